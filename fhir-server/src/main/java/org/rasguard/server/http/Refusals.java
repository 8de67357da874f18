package org.rasguard.server.http;

import jakarta.servlet.ServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A request this server turns away (401, 403, 400, 413, 415, 429, …) and the stable code it was turned
 * away with. Whoever refuses records the code on the request; {@link RequestLogHandler} then writes the
 * request's one log line at WARN with that code, instead of the refuser writing lines (or stack traces)
 * of its own.
 */
public final class Refusals {

    static final String CODE_ATTRIBUTE = Refusals.class.getName() + ".code";

    private Refusals() {}

    /** Records why the request is refused: a stable code such as {@code unauthorized}, never request content. */
    public static void record(ServletRequest request, String code) {
        request.setAttribute(CODE_ATTRIBUTE, code);
    }

    /** As {@link #record(ServletRequest, String)} for a HAPI request; nothing for one that came not over HTTP. */
    public static void record(ca.uhn.fhir.rest.api.server.RequestDetails request, String code) {
        if (request instanceof ca.uhn.fhir.rest.server.servlet.ServletRequestDetails servlet
                && servlet.getServletRequest() != null) {
            record(servlet.getServletRequest(), code);
        }
    }

    /**
     * As {@link #record(ServletRequest, String)}, with a detail for the operator that is one of our own
     * fixed words (the failed token check, say), never request content.
     */
    public static void record(ServletRequest request, String code, Enum<?> detail) {
        request.setAttribute(CODE_ATTRIBUTE, code + " (" + detail.name() + ")");
    }

    /**
     * As {@link #record(ServletRequest, String, Enum)}, with what the check was made against as the
     * operator configured it (a key set's file or URL), never request content; null for nothing more.
     */
    public static void record(ServletRequest request, String code, Enum<?> detail, String configured) {
        request.setAttribute(
                CODE_ATTRIBUTE, code + " (" + detail.name() + (configured == null ? "" : ", " + configured) + ")");
    }

    /** Answers with an OperationOutcome carrying {@code code}, and records the code for the log line. */
    public static void refuse(
            ServletRequest request,
            HttpServletResponse response,
            int status,
            String issueType,
            String code,
            String message)
            throws IOException {
        record(request, code);
        response.setStatus(status);
        response.setContentType(ErrorResponses.FHIR_JSON);
        response.getOutputStream()
                .write(ErrorResponses.operationOutcome(issueType, code, message).getBytes(StandardCharsets.UTF_8));
    }
}
