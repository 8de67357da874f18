package org.rasguard.server.ingest;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.LenientErrorHandler;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.api.RequestTypeEnum;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.RestfulServerUtils;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.rasguard.server.http.ErrorResponses;
import org.rasguard.server.http.Refusals;
import org.rasguard.server.ingest.IngestValidator.Issue;

/**
 * {@code $validate} of a resource that HAPI's strict parser refuses (an unknown element, a wrong JSON
 * type: {@code HAPI-0450}) but the validator can read: the validation can be performed, so the
 * answer is 200 with every structural error located, not HAPI's 400 naming one element. FHIR R4
 * OperationDefinition Resource-validate, comment: "This operation returns a 200 OK whether or not the
 * resource is valid. A 4xx or 5xx error means that the validation itself could not be performed".
 * A body the validator cannot read either (not JSON or XML) keeps HAPI's 400; a Parameters form whose
 * {@code resource} is a value rather than a resource, or a resource of another type than the request's,
 * is refused with 400 before HAPI binds it ({@link #refuseWhatIsNotOneResourceOfTheType}).
 *
 * @see <a href="https://hl7.org/fhir/R4/resource-operation-validate.html">FHIR R4 Resource $validate</a>
 */
@Interceptor
public final class ValidateOperationParseErrors {

    private final IngestValidator validator;

    public ValidateOperationParseErrors(IngestValidator validator) {
        this.validator = validator;
    }

    @Hook(Pointcut.SERVER_PRE_PROCESS_OUTGOING_EXCEPTION)
    public BaseServerResponseException answerWithIssues(RequestDetails request, Throwable failure) {
        if (!isValidate(request)) {
            return null;
        }
        List<Issue> located = IngestValidationInterceptor.structuralErrorsOfRefusedBody(validator, request, failure);
        if (located.isEmpty()) {
            return null;
        }
        return new ValidationOutcome(
                IngestValidationInterceptor.outcome(located, OperationOutcome.IssueSeverity.ERROR));
    }

    /**
     * What {@code $validate} cannot validate is refused with 400 before HAPI binds it: a Parameters form
     * whose {@code resource} holds a value, not a resource (HAPI's binding failed on it with a 500), or
     * that holds two resources; and at {@code [type]/$validate}, a resource of another type (HAPI
     * validated a Patient sent to {@code Observation/$validate} and answered "No issues detected", which
     * a client reads as a valid Observation). FHIR R4 Resource-validate: one {@code resource} (0..1).
     */
    @Hook(Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED)
    public void refuseWhatIsNotOneResourceOfTheType(RequestDetails request) {
        if (!isValidate(request)) {
            return;
        }
        String problem = problemOf(request);
        if (problem != null) {
            Refusals.record(request, MISMATCH);
            throw new InvalidRequestException(
                    problem,
                    ErrorResponses.outcome(
                            OperationOutcome.IssueType.INVALID,
                            MISMATCH,
                            "Not one resource of the type",
                            problem,
                            null));
        }
    }

    static final String MISMATCH = "validate-resource-mismatch";

    /** Why the body is not one resource of the request's type, or null (also when the body cannot be read: HAPI says so). */
    static String problemOf(RequestDetails request) {
        // Only a POST body has met the body guards (JsonGuardFilter: numbers, depth); HAPI ignores the others.
        if (request.getRequestType() != RequestTypeEnum.POST) {
            return null;
        }
        byte[] body = request.loadRequestContents();
        EncodingEnum encoding = RestfulServerUtils.determineRequestEncodingNoDefault(request);
        if (body == null || body.length == 0 || encoding == null) {
            return null;
        }
        IBaseResource parsed;
        try {
            IParser parser = encoding.newParser(request.getFhirContext());
            parser.setParserErrorHandler(new LenientErrorHandler(false));
            parsed = parser.parseResource(new String(body, StandardCharsets.UTF_8));
        } catch (RuntimeException unreadable) {
            return null;
        }
        String wanted = request.getResourceName();
        IBaseResource resource = parsed;
        if (parsed instanceof Parameters parameters && !"Parameters".equals(wanted)) {
            List<Parameters.ParametersParameterComponent> resources = parameters.getParameter().stream()
                    .filter(parameter -> "resource".equals(parameter.getName()))
                    .toList();
            if (resources.stream()
                    .anyMatch(parameter -> parameter.getResource() == null && parameter.getValue() != null)) {
                return "The 'resource' parameter of the $validate Parameters holds a value, not a resource: there"
                        + " is nothing to validate (FHIR R4 Resource-validate: resource is a Resource).";
            }
            if (resources.size() > 1) {
                return "The $validate Parameters holds " + resources.size()
                        + " 'resource' parameters; $validate validates one resource (FHIR R4 Resource-validate: resource 0..1).";
            }
            resource = resources.isEmpty() ? null : resources.get(0).getResource();
        }
        if (wanted == null || resource == null) {
            return null;
        }
        String type = request.getFhirContext().getResourceType(resource);
        return type.equals(wanted)
                ? null
                : "The body is a " + type + "; " + wanted + "/$validate validates a " + wanted + " (send it to " + type
                        + "/$validate).";
    }

    /** {@code [type]/$validate} or {@code [type]/[id]/$validate}, whether HAPI has classified the request yet or not. */
    static boolean isValidate(RequestDetails request) {
        return request.getRestOperationType() == RestOperationTypeEnum.VALIDATE
                || "$validate".equals(request.getOperation());
    }

    /** The outcome of a validation that was performed: 200, however many errors it lists. */
    static final class ValidationOutcome extends BaseServerResponseException {
        private static final long serialVersionUID = 1L;

        ValidationOutcome(OperationOutcome outcome) {
            super(200, "Validated: the resource is not valid FHIR R4", outcome);
        }
    }
}
