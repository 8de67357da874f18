package org.rasguard.server.http;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.handler.CrossOriginHandler;

/**
 * CORS for the FHIR API and the CDS service alike, at the HTTP edge: browser pages on the origins of
 * {@code RASGUARD_CORS_ORIGINS} (a CDS Hooks sandbox, an SMART app) may call {@code /fhir} and
 * {@code /cds-services}. Jetty's own {@link CrossOriginHandler} does the protocol (Fetch standard,
 * "CORS protocol"): it answers a preflight itself, before the Host allowlist, the rate limit and the
 * token filters (a browser sends no token with a preflight, and the answer holds no data), and puts
 * {@code Access-Control-Allow-Origin} on every other answer to an allowed origin before anything
 * below runs, so that 401, 403, 413, 415, 421 and 429 refusals reach the page as what they are rather
 * than as a CORS error.
 *
 * <p>No credentials mode (tokens travel in {@code Authorization}, never in cookies). With no origin
 * configured (the default) there is no handler at all, and no CORS header is ever sent.
 */
public final class CrossOrigin {

    /** The methods of the FHIR REST API (FHIR R4 RESTful API 3.1.0) and of CDS Hooks (GET discovery, POST calls). */
    static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
    /** Request headers a FHIR or CDS client sends beyond the CORS-safelisted ones. */
    static final Set<String> REQUEST_HEADERS = Set.of(
            "Authorization",
            "Content-Type",
            "Accept",
            "Prefer",
            "If-Match",
            "If-None-Match",
            "If-None-Exist",
            "If-Modified-Since",
            "X-Request-ID");
    /** Response headers a page may read: where a create put the resource, its version, and our own. */
    static final Set<String> EXPOSED_HEADERS = Set.of(
            "Location",
            "Content-Location",
            "ETag",
            "Last-Modified",
            "WWW-Authenticate",
            "X-Request-ID",
            "X-RasGuard-Validation");

    static final Duration PREFLIGHT_MAX_AGE = Duration.ofMinutes(10);

    private CrossOrigin() {}

    /** A CORS preflight: {@code OPTIONS} with {@code Origin} and {@code Access-Control-Request-Method}. */
    public static boolean isPreflight(jakarta.servlet.http.HttpServletRequest request) {
        return "OPTIONS".equals(request.getMethod())
                && request.getHeader("Origin") != null
                && request.getHeader("Access-Control-Request-Method") != null;
    }

    /**
     * {@code next} behind a {@link CrossOriginHandler} for these origins, or {@code next} itself when
     * there are none.
     *
     * @param origins exact origins ({@code scheme://host[:port]}, lower case) or {@code *}
     */
    public static Handler around(Handler next, List<String> origins) {
        if (origins.isEmpty()) {
            return next;
        }
        CrossOriginHandler cors = new CrossOriginHandler();
        // The handler takes regular expressions: each configured origin is matched literally.
        cors.setAllowedOriginPatterns(
                origins.contains("*")
                        ? Set.of("*")
                        : Set.copyOf(origins.stream().map(Pattern::quote).toList()));
        cors.setAllowCredentials(false);
        cors.setAllowedMethods(METHODS);
        cors.setAllowedHeaders(REQUEST_HEADERS);
        cors.setExposedHeaders(EXPOSED_HEADERS);
        cors.setPreflightMaxAge(PREFLIGHT_MAX_AGE);
        cors.setDeliverPreflightRequests(false);
        cors.setHandler(next);
        return cors;
    }
}
