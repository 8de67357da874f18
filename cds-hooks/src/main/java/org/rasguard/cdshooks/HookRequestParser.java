package org.rasguard.cdshooks;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.LenientErrorHandler;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;

/**
 * Reads and checks the body of a CDS Hooks call. Every failure is a 400 with its own stable code
 * ({@link CdsError#code()}), in the order a client developer would fix them: JSON, hook,
 * hookInstance, fhirServer / fhirAuthorization, context, prefetch. The prefetch is parsed here, once, for
 * the whole call.
 *
 * @see <a href="https://cds-hooks.hl7.org/2.0/#http-request">CDS Hooks 2.0: HTTP request</a>
 * @see <a href="https://cds-hooks.org/hooks/order-sign/">order-sign</a>, <a href="https://cds-hooks.org/hooks/order-select/">order-select</a>,
 *     <a href="https://cds-hooks.org/hooks/patient-view/">patient-view</a>
 */
public final class HookRequestParser {

    /** FHIR R4 id: 1-64 characters of letters, digits, '-' and '.'. */
    static final Pattern FHIR_ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");

    private static final Pattern UUID =
            Pattern.compile("(urn:uuid:)?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern SELECTION = Pattern.compile("[A-Za-z]{1,64}/[A-Za-z0-9\\-.]{1,64}");

    private final ObjectMapper json;
    private final FhirContext fhir;

    public HookRequestParser(ObjectMapper json, FhirContext fhir) {
        this.json = json;
        this.fhir = fhir;
    }

    /** A FHIR JSON parser that keeps going over unknown elements: clients send extensions we do not know. */
    private IParser lenientParser() {
        return fhir.newJsonParser().setParserErrorHandler(new LenientErrorHandler(false));
    }

    public HookRequest parse(byte[] body, ServiceDefinition service) {
        JsonNode root = readJson(body);
        Hook hook = hook(root, service);
        String hookInstance = hookInstance(root);
        String fhirServer = fhirServer(root);
        String accessToken = accessToken(root, fhirServer);

        JsonNode context = root.get("context");
        if (context == null || !context.isObject()) {
            throw CdsError.badRequest("missing-context", "The request has no context object.");
        }
        String patientId = patientId(context);
        String userId = userId(context);
        // patient-view has no orders in its context (CDS Hooks Library, patient-view: patientId, userId, encounterId).
        Bundle draftOrders =
                hook == Hook.PATIENT_VIEW ? new Bundle().setType(Bundle.BundleType.COLLECTION) : draftOrders(context);
        requireOrdersFor(patientId, draftOrders);
        List<String> selections = hook == Hook.ORDER_SELECT ? selections(context, draftOrders) : List.of();
        Map<PrefetchKey, PrefetchValue> prefetch = prefetch(root);
        return new HookRequest(
                hook, hookInstance, fhirServer, accessToken, patientId, userId, draftOrders, selections, prefetch);
    }

    private JsonNode readJson(byte[] body) {
        try {
            JsonNode root = json.readTree(body);
            if (root == null || !root.isObject()) {
                throw CdsError.badRequest("malformed-json", "The request body is not a JSON object.");
            }
            return root;
        } catch (JacksonException e) {
            throw CdsError.badRequest("malformed-json", "The request body is not valid JSON.");
        } catch (IOException e) {
            throw CdsError.badRequest("malformed-json", "The request body could not be read.");
        }
    }

    private static Hook hook(JsonNode root, ServiceDefinition service) {
        JsonNode hook = root.get("hook");
        if (hook == null || !hook.isTextual() || hook.asText().isBlank()) {
            throw CdsError.badRequest("missing-hook", "The request has no hook.");
        }
        Hook parsed = Hook.of(hook.asText())
                .orElseThrow(() -> CdsError.badRequest("invalid-hook", "The hook is not one this server knows."));
        if (parsed != service.hook()) {
            throw CdsError.badRequest(
                    "hook-mismatch", "This service answers " + service.hook().id() + ", not " + parsed.id() + ".");
        }
        return parsed;
    }

    private static String hookInstance(JsonNode root) {
        JsonNode hookInstance = root.get("hookInstance");
        if (hookInstance == null || hookInstance.isNull()) {
            throw CdsError.badRequest("missing-hook-instance", "The request has no hookInstance.");
        }
        if (!hookInstance.isTextual() || !UUID.matcher(hookInstance.asText()).matches()) {
            throw CdsError.badRequest("invalid-hook-instance", "hookInstance must be a UUID.");
        }
        return hookInstance.asText().toLowerCase(Locale.ROOT);
    }

    private static String fhirServer(JsonNode root) {
        JsonNode server = root.get("fhirServer");
        if (server == null || server.isNull()) {
            return null;
        }
        try {
            if (!server.isTextual()) {
                throw new URISyntaxException(server.toString(), "not a string");
            }
            URI uri = new URI(server.asText().trim());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("https") || scheme.equals("http"))
                    || uri.getHost() == null
                    || uri.getRawQuery() != null
                    || uri.getRawFragment() != null
                    || uri.getRawUserInfo() != null) {
                throw new URISyntaxException(server.asText(), "not a FHIR base URL");
            }
            String text = uri.toString();
            return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
        } catch (URISyntaxException e) {
            throw CdsError.badRequest("invalid-fhir-server", "fhirServer must be an absolute http(s) base URL.");
        }
    }

    private static String accessToken(JsonNode root, String fhirServer) {
        JsonNode authorization = root.get("fhirAuthorization");
        if (authorization == null || authorization.isNull()) {
            return null;
        }
        if (!authorization.isObject()) {
            throw CdsError.badRequest("invalid-fhir-authorization", "fhirAuthorization must be an object.");
        }
        if (fhirServer == null) {
            throw CdsError.badRequest(
                    "fhir-authorization-without-server", "fhirAuthorization requires fhirServer (cds-r-1).");
        }
        JsonNode token = authorization.get("access_token");
        if (token == null || !token.isTextual() || token.asText().isBlank()) {
            throw CdsError.badRequest(
                    "invalid-fhir-authorization", "fhirAuthorization.access_token must be a non-empty string.");
        }
        return token.asText();
    }

    private static String patientId(JsonNode context) {
        JsonNode patientId = context.get("patientId");
        if (patientId == null || patientId.isNull()) {
            throw CdsError.badRequest("missing-patient-id", "context.patientId is required.");
        }
        if (!patientId.isTextual() || !FHIR_ID.matcher(patientId.asText()).matches()) {
            throw CdsError.badRequest(
                    "invalid-patient-id", "context.patientId must be a FHIR id (1-64 letters, digits, '-' or '.').");
        }
        return patientId.asText();
    }

    /**
     * {@code context.userId}, required by order-sign and order-select but not needed for the decision:
     * kept when it is a {@code Type/id} reference, else null (the call is still answered).
     */
    private static String userId(JsonNode context) {
        JsonNode userId = context.get("userId");
        return userId != null
                        && userId.isTextual()
                        && SELECTION.matcher(userId.asText()).matches()
                ? userId.asText()
                : null;
    }

    private Bundle draftOrders(JsonNode context) {
        JsonNode orders = context.get("draftOrders");
        if (orders == null || orders.isNull()) {
            throw CdsError.badRequest("missing-draft-orders", "context.draftOrders is required.");
        }
        if (!orders.isObject() || !"Bundle".equals(orders.path("resourceType").asText())) {
            throw CdsError.badRequest("invalid-draft-orders", "context.draftOrders must be a FHIR Bundle.");
        }
        try {
            Bundle bundle = lenientParser().parseResource(Bundle.class, orders.toString());
            for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
                if (!entry.hasResource()) {
                    throw CdsError.badRequest(
                            "invalid-draft-orders", "Every context.draftOrders entry must hold a resource.");
                }
            }
            return bundle;
        } catch (DataFormatException | ClassCastException e) {
            throw CdsError.badRequest("invalid-draft-orders", "context.draftOrders is not a readable FHIR R4 Bundle.");
        }
    }

    /**
     * A draft order for someone else is a client error, never something to decide on: the cards would
     * go to one patient's chart on the evidence of another (CDS Hooks 2.0, order-sign: draftOrders are
     * the current patient's).
     */
    private static void requireOrdersFor(String patientId, Bundle draftOrders) {
        for (Bundle.BundleEntryComponent entry : draftOrders.getEntry()) {
            for (String name : List.of("subject", "patient")) {
                org.hl7.fhir.r4.model.Property property = entry.getResource().getNamedProperty(name);
                if (property == null) {
                    continue;
                }
                for (org.hl7.fhir.r4.model.Base value : property.getValues()) {
                    if (value instanceof org.hl7.fhir.r4.model.Reference reference
                            && namesAnotherPatient(reference, patientId)) {
                        throw CdsError.badRequest(
                                "patient-mismatch",
                                "A draft order's " + name
                                        + " is not context.patientId: every draft order must be for the patient of the call.");
                    }
                }
            }
        }
    }

    /** A subject that is not plainly {@code Patient/{patientId}} (another patient, a Group, an identifier, an odd form). */
    private static boolean namesAnotherPatient(org.hl7.fhir.r4.model.Reference reference, String patientId) {
        if (!reference.hasReference() && !reference.hasIdentifier()) {
            return false; // display only, or empty: names no one
        }
        return org.rasguard.patients.PatientReference.patientId(reference)
                .filter(patientId::equals)
                .isEmpty();
    }

    private static List<String> selections(JsonNode context, Bundle draftOrders) {
        JsonNode selections = context.get("selections");
        if (selections == null || selections.isNull()) {
            throw CdsError.badRequest("missing-selections", "context.selections is required for order-select.");
        }
        if (!selections.isArray() || selections.isEmpty()) {
            throw CdsError.badRequest(
                    "invalid-selections", "context.selections must be a non-empty array of Type/id strings.");
        }
        Set<String> inBundle = new HashSet<>();
        for (Bundle.BundleEntryComponent entry : draftOrders.getEntry()) {
            Resource resource = entry.getResource();
            if (resource.getIdElement().hasIdPart()) {
                inBundle.add(resource.fhirType() + "/" + resource.getIdElement().getIdPart());
            }
        }
        List<String> out = new ArrayList<>();
        for (JsonNode selection : selections) {
            if (!selection.isTextual() || !SELECTION.matcher(selection.asText()).matches()) {
                throw CdsError.badRequest("invalid-selections", "Each of context.selections must be a Type/id string.");
            }
            if (!inBundle.contains(selection.asText())) {
                throw CdsError.badRequest(
                        "selection-not-in-draft-orders",
                        "Each of context.selections must name an entry of context.draftOrders.");
            }
            out.add(selection.asText());
        }
        return out;
    }

    /**
     * The prefetch object read once, every key of ours to what the client sent for it ({@link PrefetchValue}:
     * not supplied, no data, failed, resources); members we did not ask for are ignored.
     */
    private Map<PrefetchKey, PrefetchValue> prefetch(JsonNode root) {
        JsonNode prefetch = root.get("prefetch");
        Map<String, JsonNode> members = new LinkedHashMap<>();
        if (prefetch != null && !prefetch.isNull()) {
            if (!prefetch.isObject()) {
                throw CdsError.badRequest("invalid-prefetch", "prefetch must be an object.");
            }
            prefetch.properties().forEach(member -> members.put(member.getKey(), member.getValue()));
        }
        IParser parser = lenientParser();
        Map<PrefetchKey, PrefetchValue> out = new EnumMap<>(PrefetchKey.class);
        for (PrefetchKey key : PrefetchKey.values()) {
            out.put(key, PrefetchValue.read(members, key, parser));
        }
        return out;
    }
}
