package org.rasguard.server.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * Renders errors that Jetty raises itself, before any application code runs (malformed HTTP, an
 * over-long request line), as an OperationOutcome instead of an empty or HTML page, and never with a
 * stack trace. {@link JsonServletErrorHandler} does the same inside the servlet context.
 */
public final class JsonErrorHandler extends ErrorHandler {

    public JsonErrorHandler() {
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
        writeJson(request, response, callback, code, cause == null ? message : null);
        return true;
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, ErrorResponses.FHIR_JSON);
        return BufferUtil.toBuffer(ErrorResponses.forStatus(status, reason).getBytes(StandardCharsets.UTF_8));
    }

    static void writeJson(Request request, Response response, Callback callback, int code, String message) {
        String correlation =
                request.getAttribute(Correlation.ATTRIBUTE) instanceof Correlation known ? known.id() : null;
        byte[] body = (code >= 500
                        ? ErrorResponses.serverError(code, correlation)
                        : ErrorResponses.forStatus(code, message))
                .getBytes(StandardCharsets.UTF_8);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, ErrorResponses.FHIR_JSON);
        response.write(true, BufferUtil.toBuffer(body), callback);
    }
}
