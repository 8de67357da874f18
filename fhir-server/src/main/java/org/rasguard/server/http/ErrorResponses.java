package org.rasguard.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The body of every error this server writes itself (outside HAPI's RestfulServer, which writes its
 * own): a FHIR OperationOutcome with a stable machine code in {@code details.coding} and a human
 * message in {@code diagnostics}. Never a stack trace.
 *
 * @see <a href="https://hl7.org/fhir/R4/operationoutcome.html">OperationOutcome</a>
 */
public final class ErrorResponses {

    /** Code system of our stable error codes. */
    public static final String ERROR_CODE_SYSTEM = "http://rasguard.org/fhir/CodeSystem/error-code";

    public static final String FHIR_JSON = "application/fhir+json;charset=utf-8";

    private static final ObjectMapper JSON = new ObjectMapper();

    private ErrorResponses() {}

    /**
     * The same body as a HAPI model, for a refusal thrown inside HAPI's RestfulServer (an interceptor's
     * exception carries it): one error issue, our stable code in {@code details.coding}, the message as
     * {@code details.text} and {@code diagnostics}.
     *
     * @param display the code's display, or null
     * @param expression the FHIRPath of what was refused, or null
     */
    public static org.hl7.fhir.r4.model.OperationOutcome outcome(
            org.hl7.fhir.r4.model.OperationOutcome.IssueType type,
            String errorCode,
            String display,
            String message,
            String expression) {
        org.hl7.fhir.r4.model.OperationOutcome outcome = new org.hl7.fhir.r4.model.OperationOutcome();
        org.hl7.fhir.r4.model.OperationOutcome.OperationOutcomeIssueComponent issue = outcome.addIssue()
                .setSeverity(org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity.ERROR)
                .setCode(type)
                .setDiagnostics(message);
        issue.getDetails()
                .setText(message)
                .addCoding()
                .setSystem(ERROR_CODE_SYSTEM)
                .setCode(errorCode)
                .setDisplay(display);
        if (expression != null) {
            issue.addExpression(expression);
        }
        return outcome;
    }

    /**
     * @param issueType FHIR issue-type code, e.g. {@code invalid}, {@code too-long}, {@code not-found}
     * @param errorCode our stable code, e.g. {@code body-too-large}
     * @param message a sentence for a human; must not echo request content or PHI
     */
    public static String operationOutcome(String issueType, String errorCode, String message) {
        ObjectNode outcome = JSON.createObjectNode();
        outcome.put("resourceType", "OperationOutcome");
        ArrayNode issues = outcome.putArray("issue");
        ObjectNode issue = issues.addObject();
        issue.put("severity", "error");
        issue.put("code", issueType);
        ObjectNode details = issue.putObject("details");
        ObjectNode coding = details.putArray("coding").addObject();
        coding.put("system", ERROR_CODE_SYSTEM);
        coding.put("code", errorCode);
        details.put("text", message);
        issue.put("diagnostics", message);
        return outcome.toString();
    }

    /** Maps an HTTP status that Jetty raised on its own to an issue type and a stable code. */
    public static String forStatus(int status, String message) {
        return switch (status) {
            case 400 -> operationOutcome("invalid", "bad-request", orDefault(message, "The request is malformed."));
            case 404 -> operationOutcome("not-found", "not-found", "No such endpoint.");
            case 405 -> operationOutcome("not-supported", "method-not-allowed", "This method is not allowed here.");
            case 413 ->
                operationOutcome("too-long", "body-too-large", "The request body is larger than the configured limit.");
            case 414, 431 ->
                operationOutcome("too-long", "request-too-large", "The request line or headers are too large.");
            case 415 -> operationOutcome("not-supported", "unsupported-media-type", "Unsupported content type.");
            case 503 ->
                operationOutcome("transient", "unavailable", "The server is starting or stopping; try again shortly.");
            default ->
                status >= 500
                        ? operationOutcome("exception", "internal-error", "The server could not complete the request.")
                        : operationOutcome(
                                "processing",
                                "http-" + status,
                                orDefault(message, "The request could not be processed."));
        };
    }

    /** A 5xx body: a generic sentence and the correlation id, nothing about the failure (issue 16, row 14). */
    public static String serverError(int status, String correlationId) {
        if (status == 503) {
            return forStatus(503, null);
        }
        return operationOutcome(
                "exception",
                "internal-error",
                "The server could not complete the request"
                        + (correlationId == null ? "." : " (correlation id " + correlationId + ")."));
    }

    private static String orDefault(String message, String fallback) {
        // Jetty's own messages are short protocol descriptions ("Bad Request", "Invalid URI"); keep them, never
        // exceptions.
        return message == null || message.isBlank() || message.length() > 200 ? fallback : message;
    }
}
