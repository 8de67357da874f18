package org.rasguard.server.auth;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.rasguard.server.http.CrossOrigin;

/**
 * Checks the FHIR API's bearer token ({@link AccessTokenVerifier}) before anything reads the request
 * body: the body guards decompress and buffer bodies, and HAPI parses them, so an unauthenticated caller
 * that sends {@code Content-Length: 100000} and one byte used to hold a worker thread until the idle
 * timeout and then get a 500 (issue 16, row 4). Now it gets 401 at once, and the connection is closed
 * rather than read on.
 *
 * <p>Only the CapabilityStatement ({@code GET /fhir/metadata}, and {@code OPTIONS /fhir}, which HAPI
 * also answers with it) passes without a token. A CORS preflight never needs one: browsers send none.
 * {@link org.rasguard.server.http.CrossOrigin} answers it in front of this filter for the configured
 * origins; one that gets here (no origin configured) is answered 204 with no data and no CORS headers,
 * so the browser refuses the call, as it should. The verified token is left on the request for
 * {@link SmartAuthorizationInterceptor}, which turns its scopes into rules.
 */
public final class FhirAuthFilter extends HttpFilter {

    /** Request attribute holding the {@link AccessTokenVerifier.AccessToken} of an authenticated request. */
    static final String VERIFIED = FhirAuthFilter.class.getName() + ".token";

    private final transient AccessTokenVerifier verifier;
    private final String audience;
    private final String publicBaseUrl;

    /**
     * @param audience {@code RASGUARD_FHIR_AUDIENCE}, or null for the FHIR base URL as called
     * @param publicBaseUrl {@code RASGUARD_PUBLIC_BASE_URL}, or null to take the base from the request
     */
    public FhirAuthFilter(AccessTokenVerifier verifier, String audience, String publicBaseUrl) {
        this.verifier = verifier;
        this.audience = audience;
        this.publicBaseUrl = publicBaseUrl;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (CrossOrigin.isPreflight(request)) {
            response.setStatus(204);
            return;
        }
        if (capabilityStatement(request)) {
            chain.doFilter(request, response);
            return;
        }
        try {
            request.setAttribute(
                    VERIFIED,
                    verifier.verify(
                            CdsAuthFilter.bearer(request.getHeader("Authorization")), expectedAudience(request)));
        } catch (TokenRejected e) {
            if (request.getContentLengthLong() != 0) {
                response.setHeader("Connection", "close"); // the body is never read
            }
            CdsAuthFilter.unauthorized(request, response, e);
            return;
        }
        chain.doFilter(request, response);
    }

    private static boolean capabilityStatement(HttpServletRequest request) {
        String path = request.getRequestURI();
        String method = request.getMethod();
        return (path.equals("/fhir/metadata") && ("GET".equals(method) || "HEAD".equals(method)))
                || ((path.equals("/fhir") || path.equals("/fhir/")) && "OPTIONS".equals(method));
    }

    /** What HAPI's {@code getFhirServerBase()} gives: the public base, or scheme, host and port of the request, and /fhir. */
    private String expectedAudience(HttpServletRequest request) {
        if (audience != null) {
            return audience;
        }
        String fhirPath = request.getContextPath() + "/fhir";
        return (publicBaseUrl != null ? publicBaseUrl : CdsAuthFilter.origin(request)) + fhirPath;
    }
}
