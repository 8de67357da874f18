package org.rasguard.server.http;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.UnclassifiedServerFailureException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.rasguard.server.logs.SafeExceptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * How a failure inside HAPI is answered.
 *
 * <p>Input that HAPI fails on deep inside, answering 500, although the fault is the client's; found by
 * the fuzz run. This answers 400 with an OperationOutcome instead:
 * <ul>
 *   <li>a form-encoded body (a POST search, {@code $expand}) with broken percent-escapes;</li>
 *   <li>a FHIR-format PATCH whose body is not a Parameters resource (HAPI calls its method with the wrong type);</li>
 *   <li>a FHIRPath Patch path HAPI's FHIRPath engine cannot evaluate ({@code %resource});</li>
 *   <li>a number HAPI cannot read ({@code value-quantity=gt1e999999/x}: "Too many nonzero exponent
 *       digits"). Well-formed numbers out of range are refused earlier, in {@link RequestHygieneFilter}.</li>
 * </ul>
 *
 * <p>A real server failure (5xx) is answered with a generic message and the correlation id only, and
 * logged as one line without any message (issue 16, row 14: 500 bodies had carried
 * {@code Java heap space}, parser exception names and {@code HAPI-0389} texts quoting submitted values).
 * A refusal (4xx) records its stable code for the request's log line ({@link Refusals}). A client that
 * closed its connection while the answer was written is neither: it is left unanswered and unlogged
 * here ({@link ClientAborts}).
 */
@Interceptor
public final class BadInputExceptionMapper {

    private static final Logger LOG = LoggerFactory.getLogger(BadInputExceptionMapper.class);
    private static final Map<Integer, String> REFUSAL_CODES = Map.of(
            400,
            "invalid",
            401,
            "unauthorized",
            403,
            "forbidden",
            405,
            "method-not-allowed",
            413,
            "too-large",
            415,
            "unsupported-media-type",
            422,
            "unprocessable",
            429,
            "too-many-requests");

    @Hook(value = Pointcut.SERVER_PRE_PROCESS_OUTGOING_EXCEPTION, order = Integer.MIN_VALUE)
    public BaseServerResponseException answer(Throwable failure, HttpServletRequest request) {
        if (ClientAborts.isAbort(failure)) {
            ClientAborts.record(request); // no one to answer, nothing to log here (see below)
            return new UnclassifiedServerFailureException(ClientAborts.STATUS, "client aborted");
        }
        BaseServerResponseException mapped = asBadRequest(failure);
        if (mapped == null && SafeExceptions.isRefusal(failure)) {
            int status = failure instanceof BaseServerResponseException response ? response.getStatusCode() : 400;
            record(request, status);
            return null; // HAPI answers it as it is (a parser error becomes its 400)
        }
        if (mapped != null) {
            record(request, mapped.getStatusCode());
            return mapped;
        }
        int status = failure instanceof BaseServerResponseException response ? response.getStatusCode() : 500;
        LOG.error("FHIR request failed with {}: {}", status, SafeExceptions.summary(failure));
        String message =
                "The server could not complete the request (correlation id " + MDC.get(Correlation.MDC_KEY) + ").";
        OperationOutcome outcome = new OperationOutcome();
        OperationOutcome.OperationOutcomeIssueComponent issue = outcome.addIssue()
                .setSeverity(OperationOutcome.IssueSeverity.ERROR)
                .setCode(OperationOutcome.IssueType.EXCEPTION)
                .setDiagnostics(message);
        issue.getDetails()
                .setText(message)
                .addCoding()
                .setSystem(ErrorResponses.ERROR_CODE_SYSTEM)
                .setCode("internal-error");
        return new UnclassifiedServerFailureException(status, message, outcome);
    }

    /**
     * A client that went away gets no answer: HAPI's default would write an OperationOutcome onto the
     * committed response, fail, log and rethrow ({@link ClientAborts}). Runs before any other handler.
     */
    @Hook(value = Pointcut.SERVER_HANDLE_EXCEPTION, order = Integer.MIN_VALUE)
    public boolean answerUnlessAborted(HttpServletRequest request) {
        return !ClientAborts.recorded(request);
    }

    private static void record(HttpServletRequest request, int status) {
        String code = REFUSAL_CODES.get(status);
        if (request != null && code != null && request.getAttribute(Refusals.CODE_ATTRIBUTE) == null) {
            Refusals.record(request, code);
        }
    }

    static BaseServerResponseException asBadRequest(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof IllegalArgumentException
                    && cause.getMessage() != null
                    && cause.getMessage().startsWith("URLDecoder:")) {
                return new InvalidRequestException("A parameter is not valid percent-encoded UTF-8.");
            }
            if (cause instanceof IllegalArgumentException && "argument type mismatch".equals(cause.getMessage())) {
                // HAPI hands the parsed body to its method as it is: a PATCH whose FHIR body is not a Parameters.
                return new InvalidRequestException("The body is not a resource of the type this operation takes"
                        + " (a FHIRPath PATCH takes a Parameters resource).");
            }
            if (cause instanceof org.springframework.dao.InvalidDataAccessApiUsageException) {
                return new InvalidRequestException("A paging parameter (_offset, _count) is out of range.");
            }
            if (cause instanceof ca.uhn.fhir.fhirpath.FhirPathExecutionException
                    || cause instanceof org.hl7.fhir.exceptions.PathEngineException) {
                // A FHIRPath Patch whose path HAPI's engine cannot evaluate (%resource: an outside attack's 500).
                return new InvalidRequestException("A FHIRPath expression in the request cannot be evaluated.");
            }
            if (cause instanceof NumberFormatException || cause instanceof ArithmeticException) {
                return new InvalidRequestException("A number in the request is malformed or out of range.");
            }
        }
        return null;
    }
}
