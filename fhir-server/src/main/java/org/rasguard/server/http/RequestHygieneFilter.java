package org.rasguard.server.http;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Turns away, with a 4xx and an OperationOutcome, requests no endpoint here can serve, before they
 * reach code that would answer them with a 5xx (the fuzz test found each one):
 *
 * <ul>
 *   <li>a method other than GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS on {@code /fhir}, other than
 *       GET, HEAD, POST, OPTIONS elsewhere: 405 (the servlet API answers unknown methods and PATCH 501, and
 *       TRACE would echo the request, headers included);
 *   <li>a {@code charset} in Content-Type that Java does not know: 415 (HAPI and Jetty's form parsing
 *       fail on it with 500);
 *   <li>a query string that is not percent-encoded UTF-8: 400;
 *   <li>a number in the query string out of {@link NumberLimits}: 400 (HAPI writes search numbers to
 *       the database as they are: {@code value-quantity=gt1e999999} was a 500).
 * </ul>
 */
public final class RequestHygieneFilter extends HttpFilter {

    static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS");
    static final Set<String> CDS_METHODS = Set.of("GET", "HEAD", "POST", "OPTIONS");

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        Set<String> allowed = request.getRequestURI().startsWith("/fhir") ? METHODS : CDS_METHODS;
        if (!allowed.contains(request.getMethod())) {
            response.setHeader("Allow", String.join(", ", allowed));
            refuse(request, response, 405, "method-not-allowed", ErrorResponses.forStatus(405, null));
            return;
        }
        if ("PATCH".equals(request.getMethod()) && !patchTargetsAResource(request)) {
            response.setHeader("Allow", "GET, HEAD, POST, OPTIONS");
            refuse(
                    request,
                    response,
                    405,
                    "patch-needs-target",
                    ErrorResponses.operationOutcome(
                            "not-supported",
                            "patch-needs-target",
                            "PATCH needs a resource id (Type/id) or a conditional search (Type?param=value)."));
            return;
        }
        if (emptyBundlePost(request)) {
            refuse(
                    request,
                    response,
                    400,
                    "empty-body",
                    ErrorResponses.operationOutcome(
                            "invalid",
                            "empty-body",
                            "A POST to the FHIR base needs a transaction or batch Bundle as its body."));
            return;
        }
        if (asksForRdf(request)) {
            refuse(
                    request,
                    response,
                    406,
                    "format-not-supported",
                    ErrorResponses.operationOutcome(
                            "not-supported",
                            "format-not-supported",
                            "This server answers in FHIR JSON or XML, not RDF/Turtle."));
            return;
        }
        if (sendsRdf(request)) {
            // HAPI's Turtle parser answered 500 (a NullPointerException) and its Jena reader logged what it choked on.
            refuse(
                    request,
                    response,
                    415,
                    "unsupported-media-type",
                    ErrorResponses.operationOutcome(
                            "not-supported",
                            "unsupported-media-type",
                            "This server reads FHIR JSON or XML, not RDF/Turtle."));
            return;
        }
        // The raw header: Jetty's getContentType() itself throws on an unknown charset.
        if (!knownCharset(request.getHeader("Content-Type"))) {
            refuse(
                    request,
                    response,
                    415,
                    "unsupported-charset",
                    ErrorResponses.operationOutcome(
                            "not-supported",
                            "unsupported-charset",
                            "The charset of the Content-Type is not supported; send UTF-8."));
            return;
        }
        if (!validUtf8Query(request.getQueryString())) {
            refuse(
                    request,
                    response,
                    400,
                    "bad-query",
                    ErrorResponses.operationOutcome(
                            "invalid", "bad-query", "The query string is not valid percent-encoded UTF-8."));
            return;
        }
        if (!NumberLimits.queryWithinRange(request.getQueryString())) {
            refuse(
                    request,
                    response,
                    400,
                    "number-out-of-range",
                    ErrorResponses.operationOutcome(
                            "invalid", "number-out-of-range", "A number in the query is out of range."));
            return;
        }
        chain.doFilter(request, response);
    }

    /**
     * Whether the raw query decodes to valid UTF-8 (Jetty refuses anything else with an exception that
     * HAPI, asking for the parameters, turns into a 500).
     */
    static boolean validUtf8Query(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return true;
        }
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(rawQuery.length());
        for (int i = 0; i < rawQuery.length(); i++) {
            char c = rawQuery.charAt(i);
            if (c == '%') {
                if (i + 2 >= rawQuery.length()) {
                    return false;
                }
                int high = Character.digit(rawQuery.charAt(i + 1), 16);
                int low = Character.digit(rawQuery.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    return false;
                }
                bytes.write(high * 16 + low);
                i += 2;
            } else {
                byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(encoded, 0, encoded.length);
            }
        }
        try {
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes.toByteArray()));
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }

    /** {@code /fhir/Type/id} or a conditional {@code /fhir/Type?…}: HAPI fails with a 500 on a bare type-level PATCH. */
    static boolean patchTargetsAResource(HttpServletRequest request) {
        String[] segments = request.getRequestURI().replaceFirst("^/fhir/?", "").split("/");
        if (segments.length >= 2 && !segments[1].isEmpty()) {
            return true;
        }
        // A conditional patch names a search parameter; _format and the like select nothing.
        String query = request.getQueryString();
        return query != null
                && java.util.Arrays.stream(query.split("&")).anyMatch(p -> !p.isEmpty() && !p.startsWith("_"));
    }

    /** A transaction or batch posted to the base with no body at all: HAPI fails with a 500 on it. */
    static boolean emptyBundlePost(HttpServletRequest request) {
        return "POST".equals(request.getMethod())
                && request.getRequestURI().matches("/fhir/?")
                && request.getContentLengthLong() == 0;
    }

    /** RDF (Turtle) output is not offered: HAPI's RDF encoder fails with a 500 on some resources. */
    static boolean asksForRdf(HttpServletRequest request) {
        // From the raw query, never getParameter(): that would read (and use up) a form-encoded body.
        String query = request.getQueryString();
        boolean formatRdf = false;
        if (query != null) {
            for (String pair : query.split("&")) {
                if (pair.startsWith("_format=") && mentionsRdf(pair.substring(8))) {
                    formatRdf = true;
                }
            }
        }
        String accept = request.getHeader("Accept");
        return formatRdf
                || (accept != null && accept.toLowerCase(java.util.Locale.ROOT).contains("turtle"));
    }

    /** A body labelled RDF or Turtle ({@code application/fhir+turtle}, {@code text/turtle}, {@code ttl}). */
    static boolean sendsRdf(HttpServletRequest request) {
        return mentionsRdf(MediaTypes.mediaType(request.getHeader("Content-Type")));
    }

    private static boolean mentionsRdf(String value) {
        if (value == null) {
            return false;
        }
        String lower = value.toLowerCase(java.util.Locale.ROOT);
        return lower.contains("ttl") || lower.contains("turtle") || lower.contains("rdf");
    }

    /** True when the content type names no charset, or one this JVM supports. */
    static boolean knownCharset(String contentType) {
        if (contentType == null) {
            return true;
        }
        for (String parameter : contentType.split(";")) {
            String trimmed = parameter.trim();
            if (trimmed.regionMatches(true, 0, "charset=", 0, 8)) {
                String name = trimmed.substring(8).replace("\"", "").trim();
                try {
                    return !name.isEmpty() && Charset.isSupported(name);
                } catch (IllegalArgumentException e) {
                    return false;
                }
            }
        }
        return true;
    }

    private static void refuse(
            HttpServletRequest request, HttpServletResponse response, int status, String code, String body)
            throws IOException {
        Refusals.record(request, code);
        response.setStatus(status);
        response.setContentType(ErrorResponses.FHIR_JSON);
        response.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
    }
}
