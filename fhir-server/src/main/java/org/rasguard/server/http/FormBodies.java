package org.rasguard.server.http;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Locale;

/**
 * Form bodies ({@code POST /fhir/Observation/_search} with {@code patient=…}, FHIR R4 3.1.0.8 "search
 * with POST") are parameters, not content: the servlet container parses them from the request stream
 * when parameters are first asked for. A filter that reads the stream for itself (the body limit, the
 * JSON guard) would leave the search with no parameters, and an unfiltered search would answer with
 * everyone's resources. So the body guards let the container parse a form first, within its own form
 * size limit, and leave the stream alone.
 */
final class FormBodies {

    private FormBodies() {}

    /**
     * The request as HAPI must see a form search: HAPI reads a request's parameters from its query
     * string when it has one, and the container's parameter map (query and form together, Servlet
     * 6.0 3.1.1) only when it has none. Without the query string, {@code POST ?_count=5} with
     * {@code subject=…} in the body is searched as the GET with both.
     */
    static HttpServletRequest asParameters(HttpServletRequest request) {
        return new jakarta.servlet.http.HttpServletRequestWrapper(request) {
            @Override
            public String getQueryString() {
                return null;
            }
        };
    }

    /**
     * @return true when the body is a form, which is then parsed into the request's parameters
     * @throws IllegalArgumentException when the form cannot be parsed (too large, malformed)
     */
    static boolean parseIfForm(HttpServletRequest request) {
        String type = request.getContentType();
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            return false;
        }
        try {
            request.getParameterMap();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("unreadable form body", e);
        }
        return true;
    }
}
