package org.rasguard.cdshooks;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Specimen;
import org.hl7.fhir.r4.model.StringType;

/**
 * The clinical scenario matrix, played as an EHR would: each scenario is a patient record (what the
 * EHR's FHIR server and our store hold), the draft orders of the call, the order selected on
 * order-select, and the cards expected on order-sign and on order-select ({@code indicator:TopicCode},
 * plus words the summary must contain). Evidence comes in the shapes labs send (Genomics Reporting
 * variants, single-gene tests, a therapeutic implication).
 *
 * <p>Every scenario runs on both hooks, three ways ({@link Way}), in process in
 * {@code CdsScenariosThroughCdsTest}; fhir-server's {@code CdsHooksScenariosIT} plays a few of the
 * same calls end to end (HTTP, HAPI JPA). Both build the request with {@link #request} and check
 * the answer with {@link #checkCards}, so the two cannot drift apart.
 */
public final class CdsScenarios {

    /** How the call gets the patient's record. */
    public enum Way {
        /** Every prefetch key filled from the record (no fhirServer, unless the draft order's Medication lives on the server). */
        FULL_PREFETCH,
        /** No prefetch; the service reads {@code fhirServer} (on its allowlist; the same id space as our store). */
        NO_PREFETCH,
        /** The Patient prefetched, empty searches as {@code null} (no data), the others as an OperationOutcome
         *  (the client failed: the service reads fhirServer). */
        NULL_AND_OPERATION_OUTCOME
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final String OPERATION_OUTCOME =
            "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\",\"code\":\"timeout\"}]}";

    private CdsScenarios() {}

    /** The matrix: every RAS status and reason, the G12C and BRAF combinations, the indication, how a drug is written, which orders. */
    public static List<Scenario> scenarios() {
        List<Scenario> all = new ArrayList<>();
        // RAS-mutant, by each evidence shape
        all.add(scenario("mutant-kras-g12d-variant-rxnorm")
                .crc()
                .evidence(kras("NP_004976.2:p.Gly12Asp"))
                .order(cetuximab())
                .expect("critical:RasMutant", "Cetuximab not recommended: KRAS p.G12D (RAS-mutant)")
                .build());
        all.add(scenario("mutant-nras-q61k-variant-ndc")
                .crc()
                .evidence(nras("NP_002515.1:p.Gln61Lys"))
                .order(drug(NDC, "55513-954-01", "Vectibix 100 mg/5 mL"))
                .expect("critical:RasMutant", "Panitumumab", "NRAS p.Q61K")
                .build());
        all.add(scenario("mutant-coding-hgvs-only")
                .crc()
                .evidence(kras("NM_004985.5:c.35G>T"))
                .order(cetuximab())
                .expect("critical:RasMutant", "KRAS c.35G>T")
                .build());
        all.add(scenario("mutant-single-gene-test-positive")
                .crc()
                .evidence(krasTest("LA6576-8", "Positive"))
                .order(cetuximab())
                .expect("critical:RasMutant", "KRAS")
                .build());
        all.add(scenario("mutant-therapeutic-implication")
                .crc()
                .evidence(resistanceToCetuximab())
                .order(cetuximab())
                .expect("critical:RasMutant", "KRAS")
                .build());
        all.add(scenario("mutant-kras-g13d-with-nras-negative")
                .crc()
                .evidence(kras("NP_004976.2:p.Gly13Asp"))
                .evidence(nrasNegative())
                .order(panitumumab())
                .expect("critical:RasMutant", "KRAS p.G13D")
                .build());
        // wild-type: no card by default
        all.add(scenario("wild-type")
                .crc()
                .evidence(krasNegative())
                .evidence(nrasNegative())
                .order(cetuximab())
                .build());
        // unknown, by each reason
        all.add(scenario("unknown-not-tested")
                .crc()
                .order(cetuximab())
                .expect("warning:RasUnknown", "RAS status unknown", "not tested")
                .build());
        all.add(scenario("unknown-kras-only")
                .crc()
                .evidence(krasNegative())
                .order(panitumumab())
                .expect("warning:RasUnknown", "only KRAS tested")
                .build());
        all.add(scenario("unknown-partial-coverage")
                .crc()
                .evidence(geneAbsent("HGNC:6407", "KRAS", false))
                .evidence(nrasNegative())
                .order(cetuximab())
                .expect("warning:RasUnknown", "partial coverage")
                .build());
        all.add(scenario("unknown-indeterminate")
                .crc()
                .evidence(krasTest("LA11884-6", "Indeterminate"))
                .evidence(nrasNegative())
                .order(cetuximab())
                .expect("warning:RasUnknown", "indeterminate")
                .build());
        all.add(scenario("unknown-vus")
                .crc()
                .evidence(krasVus())
                .evidence(nrasNegative())
                .order(cetuximab())
                .expect("warning:RasUnknown", "uncertain significance")
                .build());
        all.add(scenario("unknown-preliminary-only")
                .crc()
                .evidence(preliminary(krasNegative()))
                .evidence(preliminary(nrasNegative()))
                .order(cetuximab())
                .expect("warning:RasUnknown", "preliminary")
                .build());
        all.add(scenario("unknown-ctdna-only")
                .crc()
                .ctDnaNegatives()
                .order(panitumumab())
                .expect("warning:RasUnknown", "ctDNA")
                .build());
        // KRAS G12C and the approved combinations
        all.add(scenario("g12c-panitumumab-with-sotorasib-ordered")
                .crc()
                .evidence(kras("NP_004976.2:p.Gly12Cys"))
                .order(panitumumab())
                .order(sotorasib())
                .expect("info:G12cApprovedCombination", "Panitumumab with sotorasib")
                .build());
        all.add(scenario("g12c-cetuximab-with-active-adagrasib")
                .crc()
                .evidence(kras("NP_004976.2:p.Gly12Cys"))
                .activeMedication(adagrasib())
                .order(cetuximab())
                .expect("info:G12cApprovedCombination", "Cetuximab with adagrasib")
                .build());
        all.add(scenario("g12c-panitumumab-alone")
                .crc()
                .evidence(kras("NM_004985.5:c.34G>T"))
                .order(panitumumab())
                .expect("critical:G12cWithoutPartner", "Panitumumab alone not recommended")
                .build());
        all.add(scenario("g12c-cetuximab-with-the-wrong-inhibitor")
                .crc()
                .evidence(kras("NP_004976.2:p.Gly12Cys"))
                .order(cetuximab())
                .order(sotorasib())
                .expect("critical:G12cWithoutPartner", "KRAS p.G12C")
                .build());
        // the combinations need their mutation documented; BRAF V600E with encorafenib is not flagged
        all.add(scenario("g12c-inhibitor-ordered-without-a-g12c-result")
                .crc()
                .evidence(krasNegative())
                .evidence(nrasNegative())
                .order(panitumumab())
                .order(sotorasib())
                .expect("warning:G12cNotDocumented", "KRAS G12C not documented")
                .build());
        all.add(scenario("braf-v600e-cetuximab-with-encorafenib")
                .crc()
                .evidence(brafV600e())
                .order(cetuximab())
                .order(encorafenib())
                .expect("info:BrafV600eApprovedCombination", "Cetuximab with encorafenib")
                .build());
        all.add(scenario("braf-v600e-cetuximab-alone")
                .crc()
                .evidence(brafV600e())
                .order(cetuximab())
                .expect("warning:RasUnknown", "RAS status unknown")
                .build());
        // indication
        all.add(scenario("head-and-neck-only").headAndNeck().order(cetuximab()).build());
        all.add(scenario("colorectal-and-head-and-neck")
                .crc()
                .headAndNeck()
                .order(cetuximab())
                .expect("warning:RasUnknown")
                .build());
        all.add(scenario("no-diagnoses-on-record")
                .evidence(kras("NP_004976.2:p.Gly12Val"))
                .order(cetuximab())
                .expect("critical:RasMutant", "KRAS p.G12V")
                .build());
        all.add(scenario("other-diagnosis-only")
                .diagnosis("C34.90", "Lung cancer")
                .order(cetuximab())
                .expect("warning:RasUnknown")
                .build());
        // how the drug is written
        all.add(scenario("medication-reference-in-draft-orders")
                .crc()
                .evidence(kras("NP_004976.2:p.Gly12Asp"))
                .order(orderWithMedicationEntry())
                .expect("critical:RasMutant", "Cetuximab")
                .build());
        all.add(scenario("medication-reference-contained")
                .crc()
                .evidence(kras("NP_004976.2:p.Gly12Asp"))
                .order(ids -> {
                    MedicationRequest order = draftOrder("order-1", ids.apply("patient"));
                    order.addContained(new Medication().setCode(panitumumab()).setId("med"));
                    return order.setMedication(new Reference("#med"));
                })
                .expect("critical:RasMutant", "Panitumumab")
                .build());
        all.add(scenario("medication-reference-on-the-server")
                .crc()
                .evidence(kras("NP_004976.2:p.Gly12Asp"))
                .storedMedication(drug(ATC, "L01FE01", "cetuximab"))
                .order(ids -> draftOrder("order-1", ids.apply("patient"))
                        .setMedication(new Reference("Medication/" + ids.apply("medication"))))
                .expect("critical:RasMutant", "Cetuximab")
                .build());
        all.add(scenario("text-only-brand-name")
                .crc()
                .evidence(kras("NP_004976.2:p.Gly12Asp"))
                .order(text("ERBITUX 100 mg/50 mL IV infusion"))
                .expect("critical:RasMutant", "Cetuximab")
                .build());
        all.add(scenario("display-only-brand-name")
                .crc()
                .evidence(nras("NP_002515.1:p.Gln61Arg"))
                .order(drug("urn:oid:1.2.3.4", "local-991", "Vectibix 400 mg vial"))
                .expect("critical:RasMutant", "Panitumumab")
                .build());
        all.add(scenario("legacy-atc-code")
                .crc()
                .evidence(kras("NP_004976.2:p.Gly12Asp"))
                .order(drug(ATC, "L01XC06", "cetuximab"))
                .expect("critical:RasMutant", "Cetuximab")
                .build());
        all.add(scenario("current-atc-code")
                .crc()
                .order(drug(ATC, "L01FE02", "panitumumab"))
                .expect("warning:RasUnknown", "Panitumumab")
                .build());
        // which orders
        all.add(scenario("order-select-antibody-not-selected")
                .crc()
                .evidence(kras("NP_004976.2:p.Gly12Asp"))
                .order(cetuximab())
                .order(text("ondansetron 8 mg"))
                .select("MedicationRequest/order-2")
                .expect("critical:RasMutant")
                .expectOnSelect()
                .build());
        all.add(scenario("no-anti-egfr-order")
                .crc()
                .evidence(kras("NP_004976.2:p.Gly12Asp"))
                .order(drug(RXNORM, "32592", "oxaliplatin"))
                .build());
        all.add(scenario("two-antibodies-one-card-each")
                .crc()
                .evidence(kras("NP_004976.2:p.Gly12Asp"))
                .order(cetuximab())
                .order(panitumumab())
                .expect("critical:RasMutant", "critical:RasMutant")
                .expectOnSelect("critical:RasMutant", "Cetuximab")
                .build());
        // our genomics store under another patient id, found by the EHR Patient's MRN
        all.add(scenario("genomics-under-another-patient-record")
                .crc()
                .genomicsUnderAnotherPatientRecord(kras("NP_004976.2:p.Gly12Asp"))
                .order(cetuximab())
                .expect("critical:RasMutant", "KRAS p.G12D")
                .build());
        return all;
    }

    private static java.util.function.Function<Ids, Resource> orderWithMedicationEntry() {
        return ids ->
                draftOrder("order-1", ids.apply("patient")).setMedication(new Reference("Medication/erbitux-vial"));
    }

    public static final String LOINC = "http://loinc.org";
    public static final String RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm";
    public static final String ATC = "http://www.whocc.no/atc";
    public static final String NDC = "http://hl7.org/fhir/sid/ndc";
    public static final String ICD10 = "http://hl7.org/fhir/sid/icd-10-cm";
    public static final String MRN = "http://hospital.example.org/fhir/sid/mrn";

    /** Server ids of the scenario's named resources ("patient", "medication" …) once stored. */
    public interface Ids extends Function<String, String> {}

    public record Expect(List<String> cards, List<String> summaryWords) {
        static Expect none() {
            return new Expect(List.of(), List.of());
        }
    }

    /** One scenario; {@code orders} builds the draft orders once the server ids are known. */
    public record Scenario(
            String name,
            Map<String, Resource> record,
            Function<Ids, List<Resource>> orders,
            String selected,
            Expect sign,
            Expect select) {
        public Bundle transaction() {
            Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
            record.forEach((name, resource) -> bundle.addEntry()
                    .setFullUrl(urn(name))
                    .setResource(resource)
                    .getRequest()
                    .setMethod(Bundle.HTTPVerb.POST)
                    .setUrl(resource.fhirType()));
            return bundle;
        }

        /** The {@code fullUrl} of a named resource in {@link #transaction}, which the record's references use. */
        public String urn(String name) {
            return "urn:uuid:" + UUID.nameUUIDFromBytes((this.name + "/" + name).getBytes());
        }

        /** The draft orders of the call, once the record's ids are known. */
        public List<Resource> orders(Ids ids) {
            return orders.apply(ids);
        }

        /** The draft order's Medication is read from the client's FHIR server: the call must name one. */
        public boolean medicationOnServer() {
            return record.containsKey("medication");
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** A scenario under construction. */
    public static final class Builder {
        private final String name;
        private final Map<String, Resource> record = new LinkedHashMap<>();
        private final List<Function<Ids, Resource>> orders = new ArrayList<>();
        private String selected = "MedicationRequest/order-1";
        private Expect sign = Expect.none();
        private Expect select;
        private int evidence;

        Builder(String name) {
            this.name = name;
            Patient patient = new Patient();
            patient.addIdentifier().setSystem(MRN).setValue("CDS-" + name);
            patient.addName().setFamily("Scenario").addGiven(name);
            record.put("patient", patient);
        }

        private Reference patient() {
            return new Reference("urn:uuid:" + UUID.nameUUIDFromBytes((name + "/patient").getBytes()));
        }

        public Builder diagnosis(String icd10, String display) {
            Condition condition = new Condition();
            condition.setClinicalStatus(new CodeableConcept(
                    new Coding("http://terminology.hl7.org/CodeSystem/condition-clinical", "active", null)));
            condition.setCode(new CodeableConcept(new Coding(ICD10, icd10, display)));
            condition.setSubject(patient());
            record.put("condition-" + icd10, condition);
            return this;
        }

        public Builder crc() {
            return diagnosis("C18.7", "Malignant neoplasm of sigmoid colon");
        }

        public Builder headAndNeck() {
            return diagnosis("C32.9", "Malignant neoplasm of larynx, unspecified");
        }

        public Builder evidence(Observation observation) {
            observation.setSubject(patient());
            record.put("evidence-" + (++evidence), observation);
            return this;
        }

        /** A plasma specimen and a negative on it for both genes (ctDNA). */
        public Builder ctDnaNegatives() {
            Specimen plasma = new Specimen();
            plasma.setType(
                    new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/v2-0487", "PLAS", "Plasma")));
            plasma.setSubject(patient());
            record.put("specimen", plasma);
            Reference specimen = new Reference("urn:uuid:" + UUID.nameUUIDFromBytes((name + "/specimen").getBytes()));
            evidence(geneAbsent("HGNC:6407", "KRAS", true).setSpecimen(specimen));
            return evidence(geneAbsent("HGNC:7989", "NRAS", true).setSpecimen(specimen));
        }

        /** An active MedicationRequest in the record (an inhibitor already given). */
        public Builder activeMedication(CodeableConcept drug) {
            MedicationRequest request = new MedicationRequest();
            request.setStatus(MedicationRequest.MedicationRequestStatus.ACTIVE);
            request.setIntent(MedicationRequest.MedicationRequestIntent.ORDER);
            request.setMedication(drug);
            request.setSubject(patient());
            record.put("active-medication", request);
            return this;
        }

        /** A Medication on the server, for a draft order's medicationReference to point to. */
        public Builder storedMedication(CodeableConcept drug) {
            record.put("medication", new Medication().setCode(drug));
            return this;
        }

        /** A second Patient of our store with the same MRN, holding the genomic results (ids differ). */
        public Builder genomicsUnderAnotherPatientRecord(Observation... results) {
            Patient lab = new Patient();
            lab.addIdentifier().setSystem(MRN).setValue("CDS-" + name);
            record.put("lab-patient", lab);
            Reference labPatient =
                    new Reference("urn:uuid:" + UUID.nameUUIDFromBytes((name + "/lab-patient").getBytes()));
            for (Observation result : results) {
                result.setSubject(labPatient);
                record.put("lab-evidence-" + (++evidence), result);
            }
            return this;
        }

        public Builder order(CodeableConcept drug) {
            int n = orders.size() + 1;
            orders.add(ids -> draftOrder("order-" + n, ids.apply("patient")).setMedication(drug));
            return this;
        }

        public Builder order(Function<Ids, Resource> order) {
            orders.add(order);
            return this;
        }

        public Builder select(String reference) {
            this.selected = reference;
            return this;
        }

        public Builder expect(String... cardsThenSummaryWords) {
            this.sign = expectation(cardsThenSummaryWords);
            return this;
        }

        public Builder expectOnSelect(String... cardsThenSummaryWords) {
            this.select = expectation(cardsThenSummaryWords);
            return this;
        }

        private static Expect expectation(String... values) {
            List<String> cards = new ArrayList<>();
            List<String> words = new ArrayList<>();
            for (String value : values) {
                (value.matches("(info|warning|critical):\\w+") ? cards : words).add(value);
            }
            return new Expect(cards, words);
        }

        public Scenario build() {
            List<Function<Ids, Resource>> built = List.copyOf(orders);
            return new Scenario(
                    name,
                    record,
                    ids -> built.stream().map(order -> order.apply(ids)).toList(),
                    selected,
                    sign,
                    select == null ? sign : select);
        }
    }

    public static Builder scenario(String name) {
        return new Builder(name);
    }

    // ------------------------------------------------------------------ the call and its check

    /**
     * The CDS request an EHR would send, with the prefetch filled the given way.
     *
     * @param fhirBase the client's FHIR server (named in the call unless {@link Way#FULL_PREFETCH})
     * @param fhirRead what that server answers to a relative read or search: a resource or a Bundle (JSON)
     * @param selection the selected order on order-select; null for order-sign
     */
    public static ObjectNode request(
            Scenario scenario,
            Ids ids,
            Way way,
            String selection,
            String fhirBase,
            Function<String, JsonNode> fhirRead) {
        String patientId = ids.apply("patient");
        ObjectNode request = JSON.createObjectNode();
        request.put("hook", selection == null ? "order-sign" : "order-select");
        request.put("hookInstance", UUID.randomUUID().toString());
        if (way != Way.FULL_PREFETCH || scenario.medicationOnServer()) {
            request.put("fhirServer", fhirBase);
            request.putObject("fhirAuthorization")
                    .put("access_token", "not-a-real-token")
                    .put("token_type", "Bearer")
                    .put("expires_in", 300)
                    .put("scope", "patient/*.read")
                    .put("subject", "rasguard-it");
        }
        ObjectNode context = request.putObject("context");
        context.put("userId", "Practitioner/it");
        context.put("patientId", patientId);
        List<Resource> orders = scenario.orders(ids);
        Bundle draftOrders = new Bundle().setType(Bundle.BundleType.COLLECTION);
        orders.forEach(order -> draftOrders
                .addEntry()
                .setFullUrl(order.fhirType() + "/" + order.getIdElement().getIdPart())
                .setResource(order));
        if (orders.stream()
                .anyMatch(o -> o instanceof MedicationRequest mr
                        && mr.hasMedicationReference()
                        && mr.getMedicationReference().getReference().equals("Medication/erbitux-vial"))) {
            Medication vial =
                    new Medication().setCode(drug(NDC, "66733-948-23", "Erbitux 100 mg/50 mL single-dose vial"));
            vial.setId("erbitux-vial");
            draftOrders.addEntry().setFullUrl("Medication/erbitux-vial").setResource(vial);
        }
        context.set("draftOrders", json(FHIR.newJsonParser().encodeResourceToString(draftOrders)));
        if (selection != null) {
            context.putArray("selections").add(selection);
        }
        if (way == Way.NO_PREFETCH) {
            return request;
        }
        ObjectNode prefetch = request.putObject("prefetch");
        for (PrefetchKey key : PrefetchKey.ORDER) {
            JsonNode value = fhirRead.apply(key.query(patientId));
            if (way == Way.NULL_AND_OPERATION_OUTCOME && key != PrefetchKey.PATIENT) {
                boolean empty = value.path("entry").isMissingNode()
                        || value.path("entry").isEmpty();
                value = empty ? JSON.nullNode() : json(OPERATION_OUTCOME);
            }
            prefetch.set(key.key(), value);
        }
        return request;
    }

    /**
     * The answer's cards are the expected ones ({@code indicator:TopicCode}, in order), their summaries
     * hold the expected words and fit the spec's 140 characters, each card offers to remove the order,
     * a RAS-unknown or G12C-not-documented card offers the extended RAS test (a ServiceRequest coded LOINC
     * 81420-2), a G12C-without-partner card offers the partner (a MedicationRequest with its ATC code),
     * every suggested resource is complete (status draft, intent order, a Patient subject, codings with
     * system, code and display), and the response passes the spec's card rules.
     */
    public static void checkCards(JsonNode response, Expect expect) {
        assertThat(org.rasguard.cards.CardRules.checkResponse(response))
                .as("card rules")
                .isEmpty();
        List<String> found = new ArrayList<>();
        StringBuilder summaries = new StringBuilder();
        for (JsonNode card : response.get("cards")) {
            found.add(card.get("indicator").asText() + ":"
                    + card.path("source").path("topic").path("code").asText());
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
            List<JsonNode> created = new ArrayList<>();
            for (JsonNode suggestion : card.get("suggestions")) {
                for (JsonNode action : suggestion.get("actions")) {
                    if (action.get("type").asText().equals("create")) {
                        created.add(action.get("resource"));
                    }
                }
            }
            created.forEach(CdsScenarios::checkComplete);
            String topic = card.path("source").path("topic").path("code").asText();
            if (topic.equals("RasUnknown") || topic.equals("G12cNotDocumented")) {
                assertThat(created).as("the extended RAS test").anySatisfy(resource -> {
                    assertThat(resource.path("resourceType").asText()).isEqualTo("ServiceRequest");
                    assertThat(resource.path("code")
                                    .path("coding")
                                    .get(0)
                                    .path("system")
                                    .asText())
                            .isEqualTo("http://loinc.org");
                    assertThat(resource.path("code")
                                    .path("coding")
                                    .get(0)
                                    .path("code")
                                    .asText())
                            .isEqualTo("81420-2");
                });
            }
            if (topic.equals("G12cWithoutPartner")) {
                assertThat(created).as("the approved partner").anySatisfy(resource -> {
                    assertThat(resource.path("resourceType").asText()).isEqualTo("MedicationRequest");
                    assertThat(resource.path("medicationCodeableConcept")
                                    .path("coding")
                                    .toString())
                            .containsAnyOf("\"L01XX73\"", "\"L01XX77\"");
                });
            }
        }
        assertThat(found).as(summaries.toString()).isEqualTo(expect.cards());
        for (String word : expect.summaryWords()) {
            assertThat(summaries.toString()).contains(word);
        }
    }

    /** A suggested resource an EHR can apply as it is: draft, an order, for a patient, fully coded. */
    private static void checkComplete(JsonNode resource) {
        assertThat(resource.path("status").asText())
                .as("status of %s", resource)
                .isEqualTo("draft");
        assertThat(resource.path("intent").asText())
                .as("intent of %s", resource)
                .isEqualTo("order");
        assertThat(resource.path("subject").path("reference").asText())
                .as("subject of %s", resource)
                .matches("Patient/[^/]+");
        JsonNode codings = resource.has("medicationCodeableConcept")
                ? resource.path("medicationCodeableConcept").path("coding")
                : resource.path("code").path("coding");
        assertThat(codings.size()).as("codings of %s", resource).isPositive();
        for (JsonNode coding : codings) {
            assertThat(coding.path("system").asText())
                    .as("system in %s", resource)
                    .isNotBlank();
            assertThat(coding.path("code").asText()).as("code in %s", resource).isNotBlank();
            assertThat(coding.path("display").asText())
                    .as("display in %s", resource)
                    .isNotBlank();
        }
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------ drugs

    public static CodeableConcept drug(String system, String code, String display) {
        return new CodeableConcept(new Coding(system, code, display));
    }

    public static CodeableConcept cetuximab() {
        return drug(RXNORM, "318341", "cetuximab");
    }

    public static CodeableConcept panitumumab() {
        return drug(RXNORM, "263034", "panitumumab");
    }

    public static CodeableConcept sotorasib() {
        return drug(ATC, "L01XX73", "sotorasib");
    }

    public static CodeableConcept encorafenib() {
        return drug(RXNORM, "2049106", "encorafenib");
    }

    public static Observation brafV600e() {
        return variant("HGNC:1097", "BRAF", "NP_004324.2:p.Val600Glu");
    }

    public static CodeableConcept adagrasib() {
        return drug(ATC, "L01XX77", "adagrasib");
    }

    public static CodeableConcept text(String words) {
        return new CodeableConcept().setText(words);
    }

    public static MedicationRequest draftOrder(String id, String patientId) {
        MedicationRequest request = new MedicationRequest();
        request.setId(id);
        request.setStatus(MedicationRequest.MedicationRequestStatus.DRAFT);
        request.setIntent(MedicationRequest.MedicationRequestIntent.ORDER);
        request.setSubject(new Reference("Patient/" + patientId));
        return request;
    }

    // ------------------------------------------------------------------ evidence shapes

    private static Observation genomic(String code, String display) {
        Observation observation = new Observation();
        observation.setStatus(Observation.ObservationStatus.FINAL);
        observation.addCategory(new CodeableConcept(
                new Coding("http://terminology.hl7.org/CodeSystem/observation-category", "laboratory", null)));
        observation.addCategory(
                new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/v2-0074", "GE", "Genetics")));
        observation.setCode(new CodeableConcept(new Coding(LOINC, code, display)));
        observation.setEffective(new DateTimeType("2026-02-10"));
        return observation;
    }

    private static void gene(Observation observation, String hgnc, String symbol) {
        observation
                .addComponent()
                .setCode(new CodeableConcept(new Coding(LOINC, "48018-6", "Gene studied [ID]")))
                .setValue(new CodeableConcept(new Coding("http://www.genenames.org", hgnc, symbol)));
    }

    /** A Genomics Reporting Variant, present, with a protein (p.) or coding (c.) HGVS. */
    public static Observation variant(String hgnc, String symbol, String hgvs) {
        Observation observation = genomic("69548-6", "Genetic variant assessment");
        observation.setValue(new CodeableConcept(new Coding(LOINC, "LA9633-4", "Present")));
        gene(observation, hgnc, symbol);
        boolean protein = hgvs.contains(":p.") || hgvs.startsWith("p.");
        observation
                .addComponent()
                .setCode(new CodeableConcept(new Coding(
                        LOINC,
                        protein ? "48005-3" : "48004-6",
                        protein ? "Amino acid change (pHGVS)" : "DNA change (c.HGVS)")))
                .setValue(new CodeableConcept(new Coding("http://varnomen.hgvs.org", hgvs, null)));
        return observation;
    }

    public static Observation kras(String hgvs) {
        return variant("HGNC:6407", "KRAS", hgvs);
    }

    public static Observation nras(String hgvs) {
        return variant("HGNC:7989", "NRAS", hgvs);
    }

    /** A variant of uncertain significance away from the hotspots. */
    public static Observation krasVus() {
        Observation observation = kras("NP_004976.2:p.Ala18Thr");
        observation
                .addComponent()
                .setCode(new CodeableConcept(new Coding(LOINC, "53037-8", "Genetic variation clinical significance")))
                .setValue(new CodeableConcept(new Coding(LOINC, "LA26333-7", "Uncertain significance")));
        return observation;
    }

    /** A gene-level negative by sequencing (extended) or by PCR of exon 2 only (partial). */
    public static Observation geneAbsent(String hgnc, String symbol, boolean sequencing) {
        Observation observation = genomic("69548-6", "Genetic variant assessment");
        observation.setValue(new CodeableConcept(new Coding(LOINC, "LA9634-2", "Absent")));
        observation.setMethod(
                sequencing
                        ? new CodeableConcept(new Coding(LOINC, "LA26398-0", "Sequencing"))
                        : new CodeableConcept(new Coding(LOINC, "LA26418-6", "PCR")));
        gene(observation, hgnc, symbol);
        if (!sequencing) {
            observation
                    .addComponent()
                    .setCode(new CodeableConcept(new Coding(LOINC, "81252-9", "Discrete genetic variant")))
                    .setValue(new CodeableConcept().setText(symbol + " exon 2 (codons 12 and 13)"));
        }
        return observation;
    }

    public static Observation krasNegative() {
        return geneAbsent("HGNC:6407", "KRAS", true);
    }

    public static Observation nrasNegative() {
        return geneAbsent("HGNC:7989", "NRAS", true);
    }

    public static Observation preliminary(Observation observation) {
        observation.setStatus(Observation.ObservationStatus.PRELIMINARY);
        return observation;
    }

    /** A single-gene test (LOINC 21702-6, KRAS gene mutations found) with a coded answer. */
    public static Observation krasTest(String answerCode, String answerDisplay) {
        Observation observation = genomic(
                "21702-6",
                "KRAS gene mutations found [Identifier] in Blood or Tissue by Molecular genetics method Nominal");
        observation.setValue(new CodeableConcept(new Coding(LOINC, answerCode, answerDisplay)));
        return observation;
    }

    /** A KRAS+NRAS panel result (LOINC 81420-2) naming the mutation found. */
    public static Observation rasPanel(String valueText) {
        Observation observation = genomic("81420-2", "KRAS and NRAS gene mutations found");
        observation.setValue(new StringType(valueText));
        return observation;
    }

    /** A therapeutic implication: resistance to cetuximab derived from a KRAS variant. */
    public static Observation resistanceToCetuximab() {
        Observation observation = new Observation();
        observation.setStatus(Observation.ObservationStatus.FINAL);
        observation.addCategory(new CodeableConcept(
                new Coding("http://terminology.hl7.org/CodeSystem/observation-category", "laboratory", null)));
        observation.setCode(new CodeableConcept(new Coding(
                "http://hl7.org/fhir/uv/genomics-reporting/CodeSystem/tbd-codes-cs",
                "therapeutic-implication",
                "Therapeutic Implication")));
        observation.setEffective(new DateTimeType("2026-02-10"));
        observation
                .addComponent()
                .setCode(new CodeableConcept(new Coding(
                        "http://hl7.org/fhir/uv/genomics-reporting/CodeSystem/tbd-codes-cs",
                        "therapeutic-implication",
                        "Therapeutic Implication")))
                .setValue(new CodeableConcept(new Coding(LOINC, "LA6676-6", "Resistant")));
        observation
                .addComponent()
                .setCode(new CodeableConcept(new Coding(LOINC, "51963-7", "Medication assessed [ID]")))
                .setValue(cetuximab());
        gene(observation, "HGNC:6407", "KRAS");
        return observation;
    }
}
