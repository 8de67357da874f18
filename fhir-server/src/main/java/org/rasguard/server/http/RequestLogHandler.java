package org.rasguard.server.http;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.rasguard.server.metrics.Metrics;
import org.rasguard.server.metrics.Routes;

/**
 * One log line per request: method, path, status, milliseconds. Never the query string (it can hold
 * identifiers and names), headers (they hold tokens) or bodies (PHI).
 *
 * <p>Also gives each request its {@link Correlation} id (in the MDC while the request runs, in the
 * log line, in the {@code X-Request-ID} response header) and records it in the request metrics by
 * normalised route ({@link Routes}).
 */
public final class RequestLogHandler extends Handler.Wrapper {

    private static final Logger LOG = LoggerFactory.getLogger("rasguard.request");

    private final Metrics metrics;

    public RequestLogHandler(Handler next) {
        this(next, null);
    }

    /** @param metrics where to record each request, or null */
    public RequestLogHandler(Handler next, Metrics metrics) {
        super(next);
        this.metrics = metrics;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        long start = System.nanoTime();
        String method = request.getMethod();
        String path = request.getHttpURI().getPath();
        Correlation correlation = Correlation.from(request.getHeaders().get(Correlation.HEADER));
        request.setAttribute(Correlation.ATTRIBUTE, correlation);
        response.getHeaders().put(Correlation.HEADER, correlation.id());
        Callback logged = new Callback() {
            @Override
            public void succeeded() {
                log(method, path, response.getStatus(), start, correlation);
                callback.succeeded();
            }

            @Override
            public void failed(Throwable failure) {
                log(method, path, response.getStatus() >= 400 ? response.getStatus() : 500, start, correlation);
                callback.failed(failure);
            }

            @Override
            public InvocationType getInvocationType() {
                return callback.getInvocationType();
            }
        };
        MDC.put(Correlation.MDC_KEY, correlation.id());
        try {
            return super.handle(request, response, logged);
        } finally {
            MDC.remove(Correlation.MDC_KEY);
        }
    }

    private void log(String method, String path, int status, long startNanos, Correlation correlation) {
        long nanos = System.nanoTime() - startNanos;
        if (metrics != null) {
            metrics.request(method, Routes.of(path), status, nanos);
        }
        if (LOG.isInfoEnabled()) {
            // The line may be written on another thread, after the request's own MDC is gone.
            String previous = MDC.get(Correlation.MDC_KEY);
            MDC.put(Correlation.MDC_KEY, correlation.id());
            try {
                LOG.info("{} {} {} {}ms", method, sanitize(path), status, nanos / 1_000_000);
            } finally {
                if (previous == null) {
                    MDC.remove(Correlation.MDC_KEY);
                } else {
                    MDC.put(Correlation.MDC_KEY, previous);
                }
            }
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
