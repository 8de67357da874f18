package org.rasguard.server.ingest;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.LenientErrorHandler;
import ca.uhn.fhir.rest.api.EncodingEnum;
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
import org.rasguard.server.ingest.IngestValidator.Issue;

/**
 * {@code $validate} of a resource that HAPI's strict parser refuses (an unknown element, a wrong JSON
 * type: {@code HAPI-0450}) but the validator can read: the validation can be performed, so the
 * answer is 200 with every structural error located, not HAPI's 400 naming one element. FHIR R4
 * OperationDefinition Resource-validate, comment: "This operation returns a 200 OK whether or not the
 * resource is valid. A 4xx or 5xx error means that the validation itself could not be performed".
 * A body the validator cannot read either (not JSON or XML) keeps HAPI's 400; a Parameters form whose
 * {@code resource} is a value rather than a resource is refused with 400 before HAPI binds it
 * ({@link #refuseAValueAsTheResource}).
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
     * A {@code $validate} Parameters whose {@code resource} holds a value, not a resource, is refused
     * before HAPI binds it: HAPI's binding to a resource type failed on it with a 500 (an outside attack).
     */
    @Hook(Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED)
    public void refuseAValueAsTheResource(RequestDetails request) {
        if (isValidate(request) && resourceParameterHoldsNoResource(request)) {
            throw new InvalidRequestException(
                    "The 'resource' parameter of the $validate Parameters holds a value, "
                            + "not a resource: there is nothing to validate (FHIR R4 Resource-validate: resource is a Resource)");
        }
    }

    /** The body is a Parameters whose "resource" has a value[x] and no resource (parsed only when it names Parameters). */
    static boolean resourceParameterHoldsNoResource(RequestDetails request) {
        byte[] body = request.loadRequestContents();
        EncodingEnum encoding = RestfulServerUtils.determineRequestEncodingNoDefault(request);
        if (body == null || body.length == 0 || encoding == null || !names(body, "Parameters")) {
            return false;
        }
        try {
            IParser parser = encoding.newParser(request.getFhirContext());
            parser.setParserErrorHandler(new LenientErrorHandler(false));
            IBaseResource parsed = parser.parseResource(new String(body, StandardCharsets.UTF_8));
            return parsed instanceof Parameters parameters
                    && parameters.getParameter().stream()
                            .anyMatch(parameter -> "resource".equals(parameter.getName())
                                    && parameter.getResource() == null
                                    && parameter.getValue() != null);
        } catch (RuntimeException unreadable) {
            return false;
        }
    }

    private static boolean names(byte[] body, String word) {
        return new String(body, 0, Math.min(body.length, 400), StandardCharsets.UTF_8).contains(word);
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
