package org.rasguard.server.http;

import java.io.IOException;
import java.nio.charset.Charset;
import java.util.List;
import org.eclipse.jetty.ee10.servlet.ErrorHandler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** {@link JsonErrorHandler} for the servlet context: an exception escaping a servlet becomes an OperationOutcome. */
public final class JsonServletErrorHandler extends ErrorHandler {

    public JsonServletErrorHandler() {
        setShowStacks(false);
        setShowMessageInTitle(false);
    }

    @Override
    protected boolean generateAcceptableResponse(
            Request request,
            Response response,
            Callback callback,
            String contentType,
            List<Charset> charsets,
            int code,
            String message,
            Throwable cause)
            throws IOException {
        JsonErrorHandler.writeJson(request, response, callback, code, cause == null ? message : null);
        return true;
    }
}
