package org.rasguard.server.auth;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.rasguard.server.http.ErrorResponses;
import org.rasguard.server.http.Refusals;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates every call to {@code /cds-services/*} (discovery, services, feedback) with
 * {@link CdsJwtVerifier} before the CDS servlet sees it. Any failure is a 401 that says nothing about
 * why (CDS Hooks best practices); the reason goes to the request's one log line ({@link Refusals}),
 * the {@code jti} to a debug line only after the signature checked out. Never logs a token.
 *
 * <p>{@code OPTIONS} passes without a token (a browser's CORS preflight carries none); the servlet answers
 * it 204 with no data. For the configured origins {@link org.rasguard.server.http.CrossOrigin} answers
 * preflights before this filter.
 * The request body is not read here.
 */
public final class CdsAuthFilter extends HttpFilter {

    private static final Logger LOG = LoggerFactory.getLogger(CdsAuthFilter.class);
    static final String UNAUTHORIZED_BODY =
            ErrorResponses.operationOutcome("login", "unauthorized", "Authentication is required.");

    private final transient CdsJwtVerifier verifier;
    private final String publicBaseUrl;

    /**
     * @param publicBaseUrl the server's URL as clients call it ({@code RASGUARD_PUBLIC_BASE_URL}), or
     *     null to take scheme, host and port from each request
     */
    public CdsAuthFilter(CdsJwtVerifier verifier, String publicBaseUrl) {
        this.verifier = verifier;
        this.publicBaseUrl = publicBaseUrl;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if ("OPTIONS".equals(request.getMethod())) {
            chain.doFilter(request, response);
            return;
        }
        try {
            CdsJwtVerifier.Verified verified = verifier.verify(
                    bearer(request.getHeader("Authorization")), expectedAudience(request, publicBaseUrl));
            LOG.debug("CDS client authenticated: iss {}, jti {}", verified.issuer(), LogSafe.of(verified.jti()));
        } catch (TokenRejected e) {
            unauthorized(request, response, e);
            return;
        }
        chain.doFilter(request, response);
    }

    /** The token of an {@code Authorization: Bearer} header, or null. */
    public static String bearer(String header) {
        if (header == null || header.length() < 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = header.substring(7).trim();
        return token.isEmpty() ? null : token;
    }

    /**
     * The URL the client called, which its JWT's {@code aud} must equal: the configured public base URL
     * (or scheme, host and port of the request) followed by the request path, without the query.
     */
    static String expectedAudience(HttpServletRequest request, String publicBaseUrl) {
        String path = request.getRequestURI(); // raw path, without query
        if (publicBaseUrl != null) {
            return publicBaseUrl + path;
        }
        return origin(request) + path;
    }

    /** Scheme, host and port of the request, the port left out when it is the scheme's default. */
    static String origin(HttpServletRequest request) {
        StringBuilder url = new StringBuilder();
        String scheme = request.getScheme();
        int port = request.getServerPort();
        url.append(scheme).append("://").append(request.getServerName());
        boolean defaultPort = ("http".equals(scheme) && port == 80) || ("https".equals(scheme) && port == 443);
        if (!defaultPort && port > 0) {
            url.append(':').append(port);
        }
        return url.toString();
    }

    /** The bare 401; the reason goes only to the request's log line ({@link Refusals}). */
    static void unauthorized(HttpServletRequest request, HttpServletResponse response, TokenRejected rejected)
            throws IOException {
        Refusals.record(request, "unauthorized", rejected.reason(), rejected.keySet());
        response.setStatus(401);
        response.setHeader("WWW-Authenticate", "Bearer");
        response.setHeader("Cache-Control", "no-store");
        response.setContentType(ErrorResponses.FHIR_JSON);
        response.getOutputStream().write(UNAUTHORIZED_BODY.getBytes(StandardCharsets.UTF_8));
    }
}
