package org.rasguard.server.http;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.rasguard.server.metrics.Metrics;
import org.rasguard.server.metrics.Routes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One log line per request: method, normalised route ({@link Routes}: ids replaced by placeholders),
 * status, milliseconds. Never the path as sent, the query string (they can hold identifiers and
 * names), headers (they hold tokens) or bodies (PHI).
 *
 * <p>A refused request (issue 16, rows 5 and 14) is the same one line at WARN with the stable code its
 * refuser recorded ({@link Refusals}), and no stack trace anywhere; identical refusal lines (same
 * method, route, status and code) are written at most {@value #REPEATS_PER_MINUTE} times a minute, so a
 * flood of them cannot fill the disk or bury everything else.
 *
 * <p>A request whose client went away while it was answered ({@link ClientAborts}) is one INFO line,
 * {@code GET /fhir/Patient aborted by the client 12ms}, and status 499 in the metrics.
 *
 * <p>Also gives each request its {@link Correlation} id (in the MDC while the request runs, in the
 * log line, in the {@code X-Request-ID} response header) and records it in the request metrics by
 * normalised route ({@link Routes}).
 */
public final class RequestLogHandler extends Handler.Wrapper {

    private static final Logger LOG = LoggerFactory.getLogger("rasguard.request");
    static final int REPEATS_PER_MINUTE = 5;
    /** Statuses that mean the request was turned away rather than served. */
    private static final java.util.Set<Integer> REFUSALS =
            java.util.Set.of(400, 401, 403, 405, 406, 408, 411, 413, 414, 415, 421, 422, 429, 431);

    private final com.github.benmanes.caffeine.cache.Cache<String, java.util.concurrent.atomic.AtomicInteger> repeats =
            com.github.benmanes.caffeine.cache.Caffeine.newBuilder()
                    .expireAfterWrite(java.time.Duration.ofMinutes(1))
                    .maximumSize(10_000)
                    .build();

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
                if (ClientAborts.recorded(request.getAttribute(ClientAborts.ATTRIBUTE))) {
                    aborted(method, path, start, correlation);
                } else {
                    log(method, path, response.getStatus(), refusal(request), start, correlation);
                }
                callback.succeeded();
            }

            @Override
            public void failed(Throwable failure) {
                if (ClientAborts.recorded(request.getAttribute(ClientAborts.ATTRIBUTE))
                        || ClientAborts.isAbort(failure)) {
                    aborted(method, path, start, correlation);
                } else {
                    log(
                            method,
                            path,
                            response.getStatus() >= 400 ? response.getStatus() : 500,
                            refusal(request),
                            start,
                            correlation);
                }
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

    private static String refusal(Request request) {
        return request.getAttribute(Refusals.CODE_ATTRIBUTE) instanceof String code ? code : null;
    }

    private void log(String method, String path, int status, String code, long startNanos, Correlation correlation) {
        long nanos = System.nanoTime() - startNanos;
        String route = Routes.of(path);
        if (metrics != null) {
            metrics.request(method, route, status, nanos);
        }
        String shownMethod = org.rasguard.server.metrics.Metrics.knownMethod(method);
        if (REFUSALS.contains(status) || code != null) {
            String line =
                    shownMethod + " " + route + " " + status + " refused: " + (code == null ? "http-" + status : code);
            int seen = repeats.get(line, key -> new java.util.concurrent.atomic.AtomicInteger())
                    .incrementAndGet();
            if (seen <= REPEATS_PER_MINUTE && LOG.isWarnEnabled()) {
                withCorrelation(
                        correlation,
                        () -> LOG.warn(
                                "{} {}ms{}",
                                line,
                                nanos / 1_000_000,
                                seen == REPEATS_PER_MINUTE
                                        ? " (further identical refusals this minute are not logged)"
                                        : ""));
            }
            return;
        }
        if (LOG.isInfoEnabled()) {
            withCorrelation(
                    correlation, () -> LOG.info("{} {} {} {}ms", shownMethod, route, status, nanos / 1_000_000));
        }
    }

    /** A request whose client went away before its answer was written ({@link ClientAborts}): INFO, never 500. */
    private void aborted(String method, String path, long startNanos, Correlation correlation) {
        long nanos = System.nanoTime() - startNanos;
        String route = Routes.of(path);
        if (metrics != null) {
            metrics.request(method, route, ClientAborts.STATUS, nanos);
        }
        if (LOG.isInfoEnabled()) {
            withCorrelation(
                    correlation,
                    () -> LOG.info(
                            "{} {} aborted by the client {}ms",
                            org.rasguard.server.metrics.Metrics.knownMethod(method),
                            route,
                            nanos / 1_000_000));
        }
    }

    /** The line may be written on another thread, after the request's own MDC is gone. */
    private static void withCorrelation(Correlation correlation, Runnable logging) {
        String previous = MDC.get(Correlation.MDC_KEY);
        MDC.put(Correlation.MDC_KEY, correlation.id());
        try {
            logging.run();
        } finally {
            if (previous == null) {
                MDC.remove(Correlation.MDC_KEY);
            } else {
                MDC.put(Correlation.MDC_KEY, previous);
            }
        }
    }
}
