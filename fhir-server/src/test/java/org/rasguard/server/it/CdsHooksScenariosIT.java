package org.rasguard.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.rasguard.server.it.CdsScenarios.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.rasguard.cards.CardRules;
import org.rasguard.hooks.CdsServices;
import org.rasguard.server.it.CdsScenarios.Expect;
import org.rasguard.server.it.CdsScenarios.Scenario;

/**
 * Acts as an EHR: for every scenario, calls order-sign and order-select three ways and checks the
 * cards.
 * <ul>
 *   <li>{@link Way#FULL_PREFETCH}: every prefetch key filled from the record (no fhirServer, unless the
 *       draft order's Medication lives on the server);
 *   <li>{@link Way#NO_PREFETCH}: no prefetch; the service reads {@code fhirServer} (this server, on its allowlist);
 *   <li>{@link Way#NULL_AND_OPERATION_OUTCOME}: the Patient prefetched, empty searches as {@code null}
 *       (no data), the others as an OperationOutcome (the client failed: the service reads fhirServer).
 * </ul>
 * Every response must also pass the spec's card rules.
 */
@ExtendWith(SharedServer.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CdsHooksScenariosIT {

    enum Way { FULL_PREFETCH, NO_PREFETCH, NULL_AND_OPERATION_OUTCOME }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OPERATION_OUTCOME = "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\",\"code\":\"timeout\"}]}";

    private final List<Scenario> scenarios = scenarios();
    private final Map<String, Map<String, String>> ids = new HashMap<>();

    static List<Scenario> scenarios() {
        List<Scenario> all = new ArrayList<>();
        // RAS-mutant, by each evidence shape
        all.add(scenario("mutant-kras-g12d-variant-rxnorm").crc().evidence(kras("NP_004976.2:p.Gly12Asp")).order(cetuximab())
                .expect("critical:RasMutant", "Cetuximab not recommended: KRAS p.G12D (RAS-mutant)").build());
        all.add(scenario("mutant-nras-q61k-variant-ndc").crc().evidence(nras("NP_002515.1:p.Gln61Lys"))
                .order(drug(NDC, "55513-954-01", "Vectibix 100 mg/5 mL")).expect("critical:RasMutant", "Panitumumab", "NRAS p.Q61K").build());
        all.add(scenario("mutant-coding-hgvs-only").crc().evidence(kras("NM_004985.5:c.35G>T")).order(cetuximab())
                .expect("critical:RasMutant", "KRAS c.35G>T").build());
        all.add(scenario("mutant-single-gene-test-positive").crc().evidence(krasTest("LA6576-8", "Positive")).order(cetuximab())
                .expect("critical:RasMutant", "KRAS").build());
        all.add(scenario("mutant-therapeutic-implication").crc().evidence(resistanceToCetuximab()).order(cetuximab())
                .expect("critical:RasMutant", "KRAS").build());
        all.add(scenario("mutant-kras-g13d-with-nras-negative").crc().evidence(kras("NP_004976.2:p.Gly13Asp")).evidence(nrasNegative())
                .order(panitumumab()).expect("critical:RasMutant", "KRAS p.G13D").build());
        // wild-type: no card by default
        all.add(scenario("wild-type").crc().evidence(krasNegative()).evidence(nrasNegative()).order(cetuximab()).build());
        // unknown, by each reason
        all.add(scenario("unknown-not-tested").crc().order(cetuximab()).expect("warning:RasUnknown", "RAS status unknown", "not tested").build());
        all.add(scenario("unknown-kras-only").crc().evidence(krasNegative()).order(panitumumab())
                .expect("warning:RasUnknown", "only KRAS tested").build());
        all.add(scenario("unknown-partial-coverage").crc().evidence(geneAbsent("HGNC:6407", "KRAS", false)).evidence(nrasNegative())
                .order(cetuximab()).expect("warning:RasUnknown", "partial coverage").build());
        all.add(scenario("unknown-indeterminate").crc().evidence(krasTest("LA11884-6", "Indeterminate")).evidence(nrasNegative())
                .order(cetuximab()).expect("warning:RasUnknown", "indeterminate").build());
        all.add(scenario("unknown-vus").crc().evidence(krasVus()).evidence(nrasNegative()).order(cetuximab())
                .expect("warning:RasUnknown", "uncertain significance").build());
        all.add(scenario("unknown-preliminary-only").crc().evidence(preliminary(krasNegative())).evidence(preliminary(nrasNegative()))
                .order(cetuximab()).expect("warning:RasUnknown", "preliminary").build());
        all.add(scenario("unknown-ctdna-only").crc().ctDnaNegatives().order(panitumumab()).expect("warning:RasUnknown", "ctDNA").build());
        // KRAS G12C and the approved combinations
        all.add(scenario("g12c-panitumumab-with-sotorasib-ordered").crc().evidence(kras("NP_004976.2:p.Gly12Cys"))
                .order(panitumumab()).order(sotorasib()).expect("info:G12cApprovedCombination", "Panitumumab with sotorasib").build());
        all.add(scenario("g12c-cetuximab-with-active-adagrasib").crc().evidence(kras("NP_004976.2:p.Gly12Cys"))
                .activeMedication(adagrasib()).order(cetuximab()).expect("info:G12cApprovedCombination", "Cetuximab with adagrasib").build());
        all.add(scenario("g12c-panitumumab-alone").crc().evidence(kras("NM_004985.5:c.34G>T")).order(panitumumab())
                .expect("critical:G12cWithoutPartner", "Panitumumab alone not recommended").build());
        all.add(scenario("g12c-cetuximab-with-the-wrong-inhibitor").crc().evidence(kras("NP_004976.2:p.Gly12Cys"))
                .order(cetuximab()).order(sotorasib()).expect("critical:G12cWithoutPartner", "KRAS p.G12C").build());
        // the combinations need their mutation documented; BRAF V600E with encorafenib is not flagged
        all.add(scenario("g12c-inhibitor-ordered-without-a-g12c-result").crc().evidence(krasNegative()).evidence(nrasNegative())
                .order(panitumumab()).order(sotorasib()).expect("warning:G12cNotDocumented", "KRAS G12C not documented").build());
        all.add(scenario("braf-v600e-cetuximab-with-encorafenib").crc().evidence(brafV600e()).order(cetuximab()).order(encorafenib())
                .expect("info:BrafV600eApprovedCombination", "Cetuximab with encorafenib").build());
        all.add(scenario("braf-v600e-cetuximab-alone").crc().evidence(brafV600e()).order(cetuximab())
                .expect("warning:RasUnknown", "RAS status unknown").build());
        // indication
        all.add(scenario("head-and-neck-only").headAndNeck().order(cetuximab()).build());
        all.add(scenario("colorectal-and-head-and-neck").crc().headAndNeck().order(cetuximab()).expect("warning:RasUnknown").build());
        all.add(scenario("no-diagnoses-on-record").evidence(kras("NP_004976.2:p.Gly12Val")).order(cetuximab())
                .expect("critical:RasMutant", "KRAS p.G12V").build());
        all.add(scenario("other-diagnosis-only").diagnosis("C34.90", "Lung cancer").order(cetuximab()).expect("warning:RasUnknown").build());
        // how the drug is written
        all.add(scenario("medication-reference-in-draft-orders").crc().evidence(kras("NP_004976.2:p.Gly12Asp"))
                .order(orderWithMedicationEntry()).expect("critical:RasMutant", "Cetuximab").build());
        all.add(scenario("medication-reference-contained").crc().evidence(kras("NP_004976.2:p.Gly12Asp"))
                .order(ids -> {
                    MedicationRequest order = draftOrder("order-1", ids.apply("patient"));
                    order.addContained(new Medication().setCode(panitumumab()).setId("med"));
                    return order.setMedication(new Reference("#med"));
                }).expect("critical:RasMutant", "Panitumumab").build());
        all.add(scenario("medication-reference-on-the-server").crc().evidence(kras("NP_004976.2:p.Gly12Asp"))
                .storedMedication(drug(ATC, "L01FE01", "cetuximab"))
                .order(ids -> draftOrder("order-1", ids.apply("patient")).setMedication(new Reference("Medication/" + ids.apply("medication"))))
                .expect("critical:RasMutant", "Cetuximab").build());
        all.add(scenario("text-only-brand-name").crc().evidence(kras("NP_004976.2:p.Gly12Asp")).order(text("ERBITUX 100 mg/50 mL IV infusion"))
                .expect("critical:RasMutant", "Cetuximab").build());
        all.add(scenario("display-only-brand-name").crc().evidence(nras("NP_002515.1:p.Gln61Arg"))
                .order(drug("urn:oid:1.2.3.4", "local-991", "Vectibix 400 mg vial")).expect("critical:RasMutant", "Panitumumab").build());
        all.add(scenario("legacy-atc-code").crc().evidence(kras("NP_004976.2:p.Gly12Asp")).order(drug(ATC, "L01XC06", "cetuximab"))
                .expect("critical:RasMutant", "Cetuximab").build());
        all.add(scenario("current-atc-code").crc().order(drug(ATC, "L01FE02", "panitumumab")).expect("warning:RasUnknown", "Panitumumab").build());
        // which orders
        all.add(scenario("order-select-antibody-not-selected").crc().evidence(kras("NP_004976.2:p.Gly12Asp"))
                .order(cetuximab()).order(text("ondansetron 8 mg")).select("MedicationRequest/order-2")
                .expect("critical:RasMutant").expectOnSelect().build());
        all.add(scenario("no-anti-egfr-order").crc().evidence(kras("NP_004976.2:p.Gly12Asp")).order(drug(RXNORM, "32592", "oxaliplatin")).build());
        all.add(scenario("two-antibodies-one-card-each").crc().evidence(kras("NP_004976.2:p.Gly12Asp")).order(cetuximab()).order(panitumumab())
                .expect("critical:RasMutant", "critical:RasMutant").expectOnSelect("critical:RasMutant", "Cetuximab").build());
        // our genomics store under another patient id, found by the EHR Patient's MRN
        all.add(scenario("genomics-under-another-patient-record").crc().genomicsUnderAnotherPatientRecord(kras("NP_004976.2:p.Gly12Asp"))
                .order(cetuximab()).expect("critical:RasMutant", "KRAS p.G12D").build());
        return all;
    }

    private static java.util.function.Function<CdsScenarios.Ids, Resource> orderWithMedicationEntry() {
        return ids -> draftOrder("order-1", ids.apply("patient")).setMedication(new Reference("Medication/erbitux-vial"));
    }

    @BeforeAll
    void postEveryScenarioRecord(ServerProcess server) {
        for (Scenario scenario : scenarios) {
            Http.Response posted = Http.post(server.fhirBase(), Http.encode(scenario.transaction()));
            assertThat(posted.status()).as(scenario.name() + ": " + posted.body()).isEqualTo(200);
            Map<String, String> byName = new HashMap<>();
            List<String> names = new ArrayList<>(scenario.record().keySet());
            List<Bundle.BundleEntryComponent> entries = posted.resource(Bundle.class).getEntry();
            for (int i = 0; i < names.size(); i++) {
                byName.put(names.get(i), entries.get(i).getResponse().getLocation().split("/")[1]);
            }
            ids.put(scenario.name(), byName);
        }
    }

    @TestFactory
    Stream<DynamicTest> everyScenarioOnBothHooksThreeWays(ServerProcess server) {
        assertThat(scenarios).hasSizeGreaterThanOrEqualTo(30);
        return scenarios.stream().flatMap(scenario -> Stream.of(Way.values()).flatMap(way -> Stream.of(
                DynamicTest.dynamicTest(scenario.name() + " / order-sign / " + way, () -> check(server, scenario, way, false)),
                DynamicTest.dynamicTest(scenario.name() + " / order-select / " + way, () -> check(server, scenario, way, true)))));
    }

    private void check(ServerProcess server, Scenario scenario, Way way, boolean select) throws Exception {
        Map<String, String> named = ids.get(scenario.name());
        String patientId = named.get("patient");
        List<Resource> orders = scenario.orders().apply(named::get);
        ObjectNode request = request(server, patientId, orders, way, select ? scenario.selected() : null,
                scenario.name().equals("medication-reference-on-the-server"));
        String service = select ? CdsServices.ORDER_SELECT_ID : CdsServices.ORDER_SIGN_ID;
        Http.Response response = Http.post(server.baseUrl() + "/cds-services/" + service, request.toString(), "application/json");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(CardRules.checkResponse(body)).as("card rules").isEmpty();

        Expect expect = select ? scenario.select() : scenario.sign();
        List<String> found = new ArrayList<>();
        StringBuilder summaries = new StringBuilder();
        for (JsonNode card : body.get("cards")) {
            found.add(card.get("indicator").asText() + ":" + card.path("source").path("topic").path("code").asText());
            summaries.append(card.get("summary").asText()).append(" | ");
            assertThat(card.get("summary").asText().length()).isLessThan(140);
            JsonNode remove = null;
            for (JsonNode suggestion : card.get("suggestions")) {
                for (JsonNode action : suggestion.get("actions")) {
                    if (action.get("type").asText().equals("delete")) {
                        remove = action;
                    }
                }
            }
            assertThat(remove).as("a remove-this-order suggestion").isNotNull();
            assertThat(remove.get("resourceId").asText()).startsWith("MedicationRequest/order-");
            if (card.path("source").path("topic").path("code").asText().equals("RasUnknown")) {
                assertThat(card.toString()).contains("\"resourceType\":\"ServiceRequest\"", "81420-2");
            }
        }
        assertThat(found).as(summaries.toString()).isEqualTo(expect.cards());
        for (String word : expect.summaryWords()) {
            assertThat(summaries.toString()).contains(word);
        }
    }

    /** The CDS request an EHR would send, with prefetch filled the given way from this server (the "EHR"). */
    private static ObjectNode request(ServerProcess server, String patientId, List<Resource> orders, Way way, String selection,
            boolean medicationOnServer) throws Exception {
        ObjectNode request = JSON.createObjectNode();
        request.put("hook", selection == null ? "order-sign" : "order-select");
        request.put("hookInstance", UUID.randomUUID().toString());
        if (way != Way.FULL_PREFETCH || medicationOnServer) {
            request.put("fhirServer", server.fhirBase());
            request.putObject("fhirAuthorization").put("access_token", "not-a-real-token").put("token_type", "Bearer")
                    .put("expires_in", 300).put("scope", "patient/*.read").put("subject", "rasguard-it");
        }
        ObjectNode context = request.putObject("context");
        context.put("userId", "Practitioner/it");
        context.put("patientId", patientId);
        Bundle draftOrders = new Bundle().setType(Bundle.BundleType.COLLECTION);
        orders.forEach(order -> draftOrders.addEntry().setFullUrl(order.fhirType() + "/" + order.getIdElement().getIdPart()).setResource(order));
        if (orders.stream().anyMatch(o -> o instanceof MedicationRequest mr && mr.hasMedicationReference()
                && mr.getMedicationReference().getReference().equals("Medication/erbitux-vial"))) {
            Medication vial = new Medication().setCode(drug(NDC, "66733-948-23", "Erbitux 100 mg/50 mL single-dose vial"));
            vial.setId("erbitux-vial");
            draftOrders.addEntry().setFullUrl("Medication/erbitux-vial").setResource(vial);
        }
        context.set("draftOrders", JSON.readTree(Http.encode(draftOrders)));
        if (selection != null) {
            ((ArrayNode) context.putArray("selections")).add(selection);
        }
        if (way == Way.NO_PREFETCH) {
            return request;
        }
        ObjectNode prefetch = request.putObject("prefetch");
        for (Map.Entry<String, JsonNode> key : CdsCalls.prefetch(server.fhirBase(), patientId).entrySet()) {
            JsonNode value = key.getValue();
            if (way == Way.NULL_AND_OPERATION_OUTCOME && !key.getKey().equals("patient")) {
                boolean empty = value.path("entry").isMissingNode() || value.path("entry").isEmpty();
                value = empty ? JSON.nullNode() : JSON.readTree(OPERATION_OUTCOME);
            }
            prefetch.set(key.getKey(), value);
        }
        return request;
    }
}
