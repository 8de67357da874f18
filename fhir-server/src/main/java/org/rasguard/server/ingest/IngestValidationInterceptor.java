package org.rasguard.server.ingest;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.ResponseDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import ca.uhn.fhir.util.XmlUtil;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import javax.xml.stream.XMLEventReader;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.events.XMLEvent;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.rasguard.server.config.ServerConfig;
import org.rasguard.server.ingest.IngestValidator.Issue;
import org.rasguard.server.ingest.IngestValidator.Kind;

/**
 * Validates what labs post, before it is stored: Observations and DiagnosticReports created or
 * updated, Bundles stored as resources (document, collection), and transaction or batch Bundles
 * posted to the base, each validated as a whole in one pass (one validator call per request is far
 * cheaper than one per entry).
 *
 * <p>What happens with the result ({@link IngestValidator} sorts the messages):
 * <ul>
 *   <li>invalid FHIR: refused with 400 and an OperationOutcome whose issues name the path
 *       ({@code Bundle.entry[2].resource/*Observation/x*}/.status}); nothing is stored.</li>
 *   <li>profile errors: in {@code warn} mode stored and reported as warnings; in {@code strict} mode
 *       refused with 422. Real lab data is messy, and refusing it would lose results, hence the
 *       {@code warn} default. In strict mode a batch is refused as a whole, like a transaction.</li>
 *   <li>warnings: stored and reported.</li>
 * </ul>
 *
 * <p>Where an integrator reads the warnings: in a transaction or batch response, in each entry's
 * {@code response.outcome} (issues about the Bundle itself go to the first entry); for a single
 * create or update, in the OperationOutcome of the response when the client sends
 * {@code Prefer: return=OperationOutcome}. Every response with warnings also carries the header
 * {@code X-RasGuard-Validation: warnings=N}, so a client that asked for the resource knows there
 * is something to read.
 *
 * <p>Runs on {@code SERVER_INCOMING_REQUEST_PRE_HANDLED}, after HAPI's strict parser (which already
 * refuses unknown elements and wrong JSON types with a 400) and before any storage.
 *
 * @see <a href="https://hl7.org/fhir/R4/http.html#transaction-response">FHIR R4: transaction response</a>
 */
@Interceptor
public final class IngestValidationInterceptor {

    public static final String HEADER = "X-RasGuard-Validation";

    /** Most issues one OperationOutcome carries; a 300-entry Bundle must not answer with megabytes. */
    static final int MAX_ISSUES_PER_OUTCOME = 100;

    private static final String ISSUES = IngestValidationInterceptor.class.getName() + ".issues";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> VALIDATED_TYPES = Set.of("Observation", "DiagnosticReport", "Bundle");

    private final IngestValidator validator;
    private final ServerConfig.Validation mode;

    /**
     * @param validator the validator, or null when {@code mode} is {@link ServerConfig.Validation#OFF}
     *     (then nothing is loaded and the interceptor is not registered)
     */
    public IngestValidationInterceptor(IngestValidator validator, ServerConfig.Validation mode) {
        if ((validator == null) != (mode == ServerConfig.Validation.OFF)) {
            throw new IllegalArgumentException("A validator is needed exactly when validation is on");
        }
        this.validator = validator;
        this.mode = mode;
    }

    /** False with {@code RASGUARD_VALIDATION=off}: register nothing, validate nothing. */
    public boolean isEnabled() {
        return mode != ServerConfig.Validation.OFF;
    }

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
    public void validate(RequestDetails request, RestOperationTypeEnum operation) {
        IBaseResource resource = request.getResource();
        if (!isEnabled() || resource == null || !isValidated(operation, resource)) {
            return;
        }
        byte[] body = request.loadRequestContents();
        List<Issue> issues = validator.validate(
                resource, body == null || body.length == 0 ? null : new String(body, StandardCharsets.UTF_8));
        if (issues.isEmpty()) {
            return;
        }
        List<Issue> invalidFhir = issues.stream()
                .filter(issue -> issue.kind() == Kind.INVALID_FHIR)
                .toList();
        if (!invalidFhir.isEmpty()) {
            throw new InvalidRequestException(
                    summary("is not valid FHIR R4", invalidFhir), outcome(invalidFhir, IssueSeverity.ERROR));
        }
        List<Issue> profileErrors = issues.stream()
                .filter(issue -> issue.kind() == Kind.PROFILE_ERROR)
                .toList();
        if (mode == ServerConfig.Validation.STRICT && !profileErrors.isEmpty()) {
            throw new UnprocessableEntityException(
                    summary("does not conform to its declared profiles (RASGUARD_VALIDATION=strict)", profileErrors),
                    outcome(profileErrors, IssueSeverity.ERROR));
        }
        request.getUserData().put(ISSUES, issues);
    }

    /**
     * When HAPI's parser refused a single resource (400, {@code HAPI-0450}), replaces its message, which
     * names only the element, by every structural error with its path. Bundles submitted to the base are
     * left to {@link TransactionErrorLocator}, which names the entry.
     */
    @Hook(Pointcut.SERVER_PRE_PROCESS_OUTGOING_EXCEPTION)
    public BaseServerResponseException locateParseError(RequestDetails request, Throwable failure) {
        if (!isEnabled()
                || request.getResourceName() == null
                || ValidateOperationParseErrors.isValidate(request)) { // ValidateOperationParseErrors answers those
            return null;
        }
        List<Issue> located = structuralErrorsOfRefusedBody(validator, request, failure);
        if (located.isEmpty()) {
            return null;
        }
        return new InvalidRequestException(
                summary("is not valid FHIR R4", located), outcome(located, IssueSeverity.ERROR));
    }

    @Hook(Pointcut.SERVER_OUTGOING_RESPONSE)
    public void report(RequestDetails request, ResponseDetails response, HttpServletResponse servletResponse) {
        @SuppressWarnings("unchecked")
        List<Issue> issues = (List<Issue>) request.getUserData().get(ISSUES);
        if (issues == null) {
            return;
        }
        if (servletResponse != null) {
            servletResponse.setHeader(HEADER, "warnings=" + issues.size());
        }
        IBaseResource body = response.getResponseResource();
        if (body instanceof Bundle bundle && isBundleResponse(bundle)) {
            attachToEntries(bundle, issues);
        } else if (body instanceof OperationOutcome outcome) {
            appendTo(outcome, issues, IssueSeverity.WARNING);
        }
    }

    private static boolean isValidated(RestOperationTypeEnum operation, IBaseResource resource) {
        return switch (operation) {
            case CREATE, UPDATE -> VALIDATED_TYPES.contains(resource.fhirType());
            case TRANSACTION -> resource instanceof Bundle;
            default -> false;
        };
    }

    private static boolean isBundleResponse(Bundle bundle) {
        return bundle.getType() == Bundle.BundleType.TRANSACTIONRESPONSE
                || bundle.getType() == Bundle.BundleType.BATCHRESPONSE;
    }

    /** Response entries are in request order, so entry i of the request answers in entry i of the response. */
    private static void attachToEntries(Bundle response, List<Issue> issues) {
        for (Issue issue : issues) {
            int index = Math.max(issue.entryIndex(), 0);
            if (index >= response.getEntry().size()) {
                continue;
            }
            Bundle.BundleEntryResponseComponent entryResponse =
                    response.getEntry().get(index).getResponse();
            OperationOutcome outcome =
                    entryResponse.getOutcome() instanceof OperationOutcome existing ? existing : new OperationOutcome();
            entryResponse.setOutcome(outcome);
            appendTo(outcome, List.of(issue), IssueSeverity.WARNING);
        }
    }

    static OperationOutcome outcome(List<Issue> issues, IssueSeverity severity) {
        OperationOutcome outcome = new OperationOutcome();
        appendTo(outcome, issues, severity);
        return outcome;
    }

    /** Profile errors that did not refuse the resource are reported as warnings: an error would say it failed. */
    private static void appendTo(OperationOutcome outcome, List<Issue> issues, IssueSeverity errorSeverity) {
        for (Issue issue : issues) {
            if (outcome.getIssue().size() > MAX_ISSUES_PER_OUTCOME) {
                return;
            }
            if (outcome.getIssue().size() == MAX_ISSUES_PER_OUTCOME) {
                outcome.addIssue()
                        .setSeverity(IssueSeverity.INFORMATION)
                        .setCode(IssueType.TOOCOSTLY)
                        .setDiagnostics("More validation issues were found than one outcome reports ("
                                + MAX_ISSUES_PER_OUTCOME + ")");
                return;
            }
            OperationOutcome.OperationOutcomeIssueComponent added = outcome.addIssue()
                    .setSeverity(issue.kind() == Kind.WARNING ? IssueSeverity.WARNING : errorSeverity)
                    .setCode(issue.kind() == Kind.INVALID_FHIR ? IssueType.STRUCTURE : IssueType.INVALID)
                    .setDiagnostics(issue.message());
            if (issue.location() != null) {
                added.addExpression(issue.location());
            }
        }
    }

    private static String summary(String what, List<Issue> errors) {
        Issue first = errors.get(0);
        return "The resource " + what + ": " + first.location() + ": " + first.message()
                + (errors.size() > 1 ? " (and " + (errors.size() - 1) + " more)" : "");
    }
    /**
     * The located structural errors of a body HAPI's strict parser refused (HAPI-0450), or none when the
     * failure is something else, there is no body, or it holds no resource of a known type
     * ({@link #isAResource}) or not even the validator's lenient reader can read it: then HAPI's own
     * answer stands.
     */
    static List<Issue> structuralErrorsOfRefusedBody(
            IngestValidator validator, RequestDetails request, Throwable failure) {
        if (!(failure instanceof InvalidRequestException refused)
                || refused.getMessage() == null
                || !refused.getMessage().contains("HAPI-0450")) {
            return List.of();
        }
        byte[] body = request.loadRequestContents();
        if (body == null || body.length == 0) {
            return List.of();
        }
        String text = new String(body, StandardCharsets.UTF_8);
        if (!isAResource(request.getFhirContext(), text)) {
            return List.of();
        }
        try {
            return validator.locateStructuralErrors(text);
        } catch (RuntimeException unreadable) {
            return List.of();
        }
    }

    /**
     * Whether the body holds a resource of a type this server knows: a JSON object whose
     * {@code resourceType} is one, or well-formed XML (read by HAPI's own secured StAX reader: no DTDs,
     * HTML entities known) whose root element is one. Else there is nothing to locate errors in
     * ({@code $validate} answered 200 "validated" for {@code {}}) and HAPI's 400 stands; and the
     * validator's DOM reader, which printed each XML syntax error with what it choked on to stderr, is
     * never given such a body.
     */
    static boolean isAResource(FhirContext fhir, String text) {
        String body = text.substring(IngestValidator.contentStart(text));
        String type = body.startsWith("<") ? rootOfWellFormedXml(body) : resourceTypeOfJson(body);
        return type != null && fhir.getResourceTypes().contains(type);
    }

    private static String resourceTypeOfJson(String body) {
        try {
            JsonNode tree = JSON.readTree(body);
            return tree != null && tree.path("resourceType").isTextual()
                    ? tree.path("resourceType").asText()
                    : null;
        } catch (IOException | RuntimeException unreadable) {
            return null;
        }
    }

    private static String rootOfWellFormedXml(String body) {
        try {
            XMLEventReader reader = XmlUtil.createXmlReader(new StringReader(body));
            String root = null;
            while (reader.hasNext()) {
                XMLEvent event = reader.nextEvent();
                if (root == null && event.isStartElement()) {
                    root = event.asStartElement().getName().getLocalPart();
                }
            }
            return root;
        } catch (XMLStreamException | RuntimeException malformed) {
            return null;
        }
    }
}
