package org.rasguard.server.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Reference;
import org.rasguard.cdshooks.PrefetchKey;

/**
 * CDS Hooks requests as an EHR builds them, shared by the integration tests and the load runs: the
 * request skeleton, the common cetuximab draft order, and prefetch filled from a FHIR server with the
 * templates our discovery document announces.
 *
 * @see <a href="https://cds-hooks.hl7.org/2.0/#http-request_1">CDS Hooks 2.0: HTTP request</a>
 */
public final class CdsCalls {

    static final ObjectMapper JSON = new ObjectMapper();

    private CdsCalls() {}

    /**
     * {@code hook}, a fresh {@code hookInstance}, and a context with {@code userId}, {@code patientId}
     * and {@code draftOrders}; on order-select, every draft order is among the {@code selections}.
     */
    public static ObjectNode request(String hook, String patientId, Bundle draftOrders) {
        ObjectNode request = JSON.createObjectNode();
        request.put("hook", hook);
        request.put("hookInstance", UUID.randomUUID().toString());
        ObjectNode context = request.putObject("context");
        context.put("userId", "Practitioner/it");
        context.put("patientId", patientId);
        context.set("draftOrders", json(Http.encode(draftOrders)));
        if (hook.equals("order-select")) {
            ArrayNode selections = context.putArray("selections");
            draftOrders
                    .getEntry()
                    .forEach(entry -> selections.add(entry.getResource().fhirType() + "/"
                            + entry.getResource().getIdElement().getIdPart()));
        }
        return request;
    }

    /** One draft cetuximab order (RxNorm ingredient 318341), {@code MedicationRequest/mr-1}, for the patient. */
    public static Bundle cetuximabOrder(String patientId) {
        CodeableConcept cetuximab = new CodeableConcept();
        cetuximab
                .addCoding()
                .setSystem("http://www.nlm.nih.gov/research/umls/rxnorm")
                .setCode("318341");
        MedicationRequest order = new MedicationRequest()
                .setStatus(MedicationRequest.MedicationRequestStatus.DRAFT)
                .setIntent(MedicationRequest.MedicationRequestIntent.ORDER)
                .setSubject(new Reference("Patient/" + patientId))
                .setMedication(cetuximab);
        order.setId("mr-1");
        Bundle orders = new Bundle().setType(Bundle.BundleType.COLLECTION);
        orders.addEntry().setResource(order);
        return orders;
    }

    /** Every prefetch key of our discovery document, each read from {@code fhirBase} as an EHR fills it. */
    public static Map<String, JsonNode> prefetch(String fhirBase, String patientId) {
        Map<String, JsonNode> prefetch = new LinkedHashMap<>();
        for (PrefetchKey key : PrefetchKey.ORDER) {
            Http.Response read = Http.get(fhirBase + "/" + key.query(patientId));
            if (read.status() != 200) {
                throw new IllegalStateException(
                        "Prefetch " + key.key() + " answered " + read.status() + ": " + read.body());
            }
            prefetch.put(key.key(), json(read.body()));
        }
        return prefetch;
    }

    /** {@link #request} with every prefetch key filled from {@code fhirBase}. */
    public static ObjectNode withPrefetch(ObjectNode request, String fhirBase) {
        ObjectNode prefetch = request.putObject("prefetch");
        prefetch(fhirBase, request.path("context").path("patientId").asText()).forEach(prefetch::set);
        return request;
    }

    /**
     * order-sign of {@link #cetuximabOrder} from an EHR that knows the patient (read from
     * {@code fhirBase}) but holds no diagnoses, results or medications ({@code null}): every card
     * then comes from our own store.
     */
    public static ObjectNode orderSignFromStoreOnly(String fhirBase, String patientId) {
        ObjectNode request = request("order-sign", patientId, cetuximabOrder(patientId));
        ObjectNode prefetch = request.putObject("prefetch");
        prefetch.set(
                "patient", json(Http.get(fhirBase + "/Patient/" + patientId).body()));
        prefetch.putNull("conditions");
        prefetch.putNull("observations");
        prefetch.putNull("medications");
        CdsCalls.noMedicationHistory(prefetch);
        return request;
    }

    /**
     * The three medication-history keys as {@code null}: the EHR holds no earlier treatment (CDS Hooks 2.0
     * §Prefetch: null is "no data"), so a wild-type result is not a re-challenge and needs no history read.
     */
    public static void noMedicationHistory(ObjectNode prefetch) {
        for (PrefetchKey key :
                List.of(PrefetchKey.MEDICATION_HISTORY, PrefetchKey.ADMINISTRATIONS, PrefetchKey.STATEMENTS)) {
            prefetch.putNull(key.key());
        }
    }

    /** The one card of a 200 answer; fails the test on any other status or number of cards. */
    static JsonNode onlyCard(Http.Response response) {
        org.assertj.core.api.Assertions.assertThat(response.status())
                .as(response.body())
                .isEqualTo(200);
        JsonNode cards = json(response.body()).path("cards");
        org.assertj.core.api.Assertions.assertThat(cards).as(response.body()).hasSize(1);
        return cards.get(0);
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
