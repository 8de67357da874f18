package org.rasguard.server.ingest;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.OperationOutcome;

/**
 * When a transaction or batch Bundle is refused, says which entry caused it. HAPI reports the
 * offending path or reference but not the entry, and an integrator with a 300-entry lab Bundle
 * needs the entry: this adds {@code Bundle.entry[i]} (with its fullUrl) to the OperationOutcome.
 *
 * <p>It runs only on the error path, re-reading the request body it already has, so a successful
 * ingest costs nothing.
 *
 * @see <a href="https://hl7.org/fhir/R4/http.html#transaction">FHIR R4 transaction</a>
 */
@Interceptor
public final class TransactionErrorLocator {

    /** HAPI-1094: "Resource Observation/x not found, specified in path: ..." */
    private static final Pattern MISSING_REFERENCE = Pattern.compile("Resource ([A-Za-z]+/[^ ,]+) not found");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final FhirContext fhirContext;

    public TransactionErrorLocator(FhirContext fhirContext) {
        this.fhirContext = fhirContext;
    }

    @Hook(Pointcut.SERVER_PRE_PROCESS_OUTGOING_EXCEPTION)
    public BaseServerResponseException locate(RequestDetails request, Throwable failure) {
        if (!(failure instanceof BaseServerResponseException error)
                || error.getStatusCode() >= 500
                || !isBundleSubmission(request)) {
            return null;
        }
        JsonNode entries = entriesOf(request);
        if (entries == null) {
            return null;
        }
        List<String> located = new ArrayList<>();
        String message = error.getMessage() == null ? "" : error.getMessage();
        Matcher missing = MISSING_REFERENCE.matcher(message);
        if (missing.find()) {
            located.addAll(entriesReferencing(entries, missing.group(1)));
        }
        if (located.isEmpty()) {
            located.addAll(entriesThatDoNotParse(entries));
        }
        if (located.isEmpty()) {
            return null;
        }
        String where = String.join("; ", located);
        BaseServerResponseException replacement =
                BaseServerResponseException.newInstance(error.getStatusCode(), where + ": " + message);
        OperationOutcome outcome = new OperationOutcome();
        OperationOutcome.OperationOutcomeIssueComponent issue = outcome.addIssue()
                .setSeverity(OperationOutcome.IssueSeverity.ERROR)
                .setCode(OperationOutcome.IssueType.PROCESSING)
                .setDiagnostics(where + ": " + message);
        located.forEach(entry -> issue.addExpression(entry.substring(0, entry.indexOf(']') + 1)));
        replacement.setOperationOutcome(outcome);
        return replacement;
    }

    private static boolean isBundleSubmission(RequestDetails request) {
        RestOperationTypeEnum operation = request.getRestOperationType();
        return operation == RestOperationTypeEnum.TRANSACTION
                || (operation == null
                        && request.getResourceName() == null
                        && "POST".equals(request.getRequestType().name()));
    }

    private static JsonNode entriesOf(RequestDetails request) {
        byte[] body = request.loadRequestContents();
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            JsonNode entries =
                    JSON.readTree(new String(body, StandardCharsets.UTF_8)).path("entry");
            return entries.isArray() ? entries : null;
        } catch (JsonProcessingException notJson) {
            return null;
        }
    }

    private static List<String> entriesReferencing(JsonNode entries, String reference) {
        List<String> found = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            JsonNode resource = entries.get(i).path("resource");
            if (!resource.findValues("reference").stream()
                    .filter(v -> reference.equals(v.asText()))
                    .toList()
                    .isEmpty()) {
                found.add(describe(entries.get(i), i));
            }
        }
        return found;
    }

    private List<String> entriesThatDoNotParse(JsonNode entries) {
        IParser strict = fhirContext.newJsonParser().setParserErrorHandler(new StrictErrorHandler());
        List<String> found = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            JsonNode resource = entries.get(i).path("resource");
            if (resource.isMissingNode()) {
                continue;
            }
            try {
                strict.parseResource(resource.toString());
            } catch (DataFormatException e) {
                found.add(describe(entries.get(i), i) + " " + e.getMessage());
            }
        }
        return found;
    }

    private static String describe(JsonNode entry, int index) {
        String fullUrl = entry.path("fullUrl").asText("");
        return "Bundle.entry[" + index + "]" + (fullUrl.isEmpty() ? "" : " (" + fullUrl + ")");
    }
}
