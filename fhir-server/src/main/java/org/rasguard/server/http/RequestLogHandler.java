package org.rasguard.server.http;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One log line per request: method, path, status, milliseconds. Never the query string (it can hold
 * identifiers and names), headers (they hold tokens) or bodies (PHI).
 */
public final class RequestLogHandler extends Handler.Wrapper {

    private static final Logger LOG = LoggerFactory.getLogger("rasguard.request");

    public RequestLogHandler(Handler next) {
        super(next);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        long start = System.nanoTime();
        String method = request.getMethod();
        String path = request.getHttpURI().getPath();
        Callback logged = new Callback() {
            @Override
            public void succeeded() {
                log(method, path, response.getStatus(), start);
                callback.succeeded();
            }

            @Override
            public void failed(Throwable failure) {
                log(method, path, response.getStatus() >= 400 ? response.getStatus() : 500, start);
                callback.failed(failure);
            }

            @Override
            public InvocationType getInvocationType() {
                return callback.getInvocationType();
            }
        };
        return super.handle(request, response, logged);
    }

    private static void log(String method, String path, int status, long startNanos) {
        if (LOG.isInfoEnabled()) {
            LOG.info("{} {} {} {}ms", method, sanitize(path), status, (System.nanoTime() - startNanos) / 1_000_000);
        }
    }

    /** Keeps log lines single and printable whatever a client put in the path. */
    private static String sanitize(String path) {
        if (path == null) {
            return "-";
        }
        String trimmed = path.length() > 200 ? path.substring(0, 200) + "…" : path;
        return trimmed.replaceAll("[\\p{Cntrl}\\s]", "_");
    }
}
