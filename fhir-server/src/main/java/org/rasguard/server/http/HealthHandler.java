package org.rasguard.server.http;

import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * {@code GET /health}: 200 once the database and the knowledge are loaded, 503 before (and while
 * stopping). Everything else waits behind it: until ready, other paths get 503 too, so no request
 * reaches a half-built server.
 */
public final class HealthHandler extends Handler.Wrapper {

    private final BooleanSupplier ready;

    public HealthHandler(BooleanSupplier ready) {
        super(true, null); // dynamic: the application is attached once it is built
        this.ready = ready;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        boolean isReady = ready.getAsBoolean();
        if ("/health".equals(request.getHttpURI().getPath())) {
            if (!HttpMethod.GET.is(request.getMethod()) && !HttpMethod.HEAD.is(request.getMethod())) {
                return write(response, callback, 405, ErrorResponses.forStatus(405, null), ErrorResponses.FHIR_JSON);
            }
            String body = "{\"status\":\"" + (isReady ? "UP" : "STARTING") + "\"}";
            return write(response, callback, isReady ? 200 : 503, body, "application/json");
        }
        if (!isReady || getHandler() == null) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "5");
            return write(response, callback, 503, ErrorResponses.forStatus(503, null), ErrorResponses.FHIR_JSON);
        }
        return super.handle(request, response, callback);
    }

    private static boolean write(Response response, Callback callback, int status, String body, String contentType) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, BufferUtil.toBuffer(body.getBytes(StandardCharsets.UTF_8)), callback);
        return true;
    }
}
