package org.rasguard.server.it;

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
 * The clinical scenarios the CDS Hooks IT plays as an EHR: each is a patient record (posted to the
 * server once), the draft orders of the call, the order selected on order-select, and the cards
 * expected on order-sign and on order-select ({@code indicator:TopicCode}, plus words the summary
 * must contain). Evidence comes in the shapes labs send (Genomics Reporting variants, single-gene
 * tests, a therapeutic implication).
 */
final class CdsScenarios {

    static final String LOINC = "http://loinc.org";
    static final String RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm";
    static final String ATC = "http://www.whocc.no/atc";
    static final String NDC = "http://hl7.org/fhir/sid/ndc";
    static final String ICD10 = "http://hl7.org/fhir/sid/icd-10-cm";
    static final String MRN = "http://hospital.example.org/fhir/sid/mrn";

    /** Server ids of the scenario's named resources ("patient", "medication" …) after posting. */
    interface Ids extends Function<String, String> {}

    record Expect(List<String> cards, List<String> summaryWords) {
        static Expect none() {
            return new Expect(List.of(), List.of());
        }
    }

    /** One scenario; {@code orders} builds the draft orders once the server ids are known. */
    record Scenario(String name, Map<String, Resource> record, Function<Ids, List<Resource>> orders, String selected,
            Expect sign, Expect select) {
        Bundle transaction() {
            Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
            record.forEach((name, resource) -> bundle.addEntry().setFullUrl(urn(name)).setResource(resource)
                    .getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl(resource.fhirType()));
            return bundle;
        }

        private String urn(String name) {
            return "urn:uuid:" + UUID.nameUUIDFromBytes((this.name + "/" + name).getBytes());
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** A scenario under construction. */
    static final class Builder {
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

        Builder diagnosis(String icd10, String display) {
            Condition condition = new Condition();
            condition.setClinicalStatus(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/condition-clinical", "active", null)));
            condition.setCode(new CodeableConcept(new Coding(ICD10, icd10, display)));
            condition.setSubject(patient());
            record.put("condition-" + icd10, condition);
            return this;
        }

        Builder crc() {
            return diagnosis("C18.7", "Malignant neoplasm of sigmoid colon");
        }

        Builder headAndNeck() {
            return diagnosis("C32.9", "Malignant neoplasm of larynx, unspecified");
        }

        Builder evidence(Observation observation) {
            observation.setSubject(patient());
            record.put("evidence-" + (++evidence), observation);
            return this;
        }

        /** A plasma specimen and a negative on it for both genes (ctDNA). */
        Builder ctDnaNegatives() {
            Specimen plasma = new Specimen();
            plasma.setType(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/v2-0487", "PLAS", "Plasma")));
            plasma.setSubject(patient());
            record.put("specimen", plasma);
            Reference specimen = new Reference("urn:uuid:" + UUID.nameUUIDFromBytes((name + "/specimen").getBytes()));
            evidence(geneAbsent("HGNC:6407", "KRAS", true).setSpecimen(specimen));
            return evidence(geneAbsent("HGNC:7989", "NRAS", true).setSpecimen(specimen));
        }

        /** An active MedicationRequest in the record (an inhibitor already given). */
        Builder activeMedication(CodeableConcept drug) {
            MedicationRequest request = new MedicationRequest();
            request.setStatus(MedicationRequest.MedicationRequestStatus.ACTIVE);
            request.setIntent(MedicationRequest.MedicationRequestIntent.ORDER);
            request.setMedication(drug);
            request.setSubject(patient());
            record.put("active-medication", request);
            return this;
        }

        /** A Medication on the server, for a draft order's medicationReference to point to. */
        Builder storedMedication(CodeableConcept drug) {
            record.put("medication", new Medication().setCode(drug));
            return this;
        }

        /** A second Patient of our store with the same MRN, holding the genomic results (ids differ). */
        Builder genomicsUnderAnotherPatientRecord(Observation... results) {
            Patient lab = new Patient();
            lab.addIdentifier().setSystem(MRN).setValue("CDS-" + name);
            record.put("lab-patient", lab);
            Reference labPatient = new Reference("urn:uuid:" + UUID.nameUUIDFromBytes((name + "/lab-patient").getBytes()));
            for (Observation result : results) {
                result.setSubject(labPatient);
                record.put("lab-evidence-" + (++evidence), result);
            }
            return this;
        }

        Builder order(CodeableConcept drug) {
            int n = orders.size() + 1;
            orders.add(ids -> draftOrder("order-" + n, ids.apply("patient")).setMedication(drug));
            return this;
        }

        Builder order(Function<Ids, Resource> order) {
            orders.add(order);
            return this;
        }

        Builder select(String reference) {
            this.selected = reference;
            return this;
        }

        Builder expect(String... cardsThenSummaryWords) {
            this.sign = expectation(cardsThenSummaryWords);
            return this;
        }

        Builder expectOnSelect(String... cardsThenSummaryWords) {
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

        Scenario build() {
            List<Function<Ids, Resource>> built = List.copyOf(orders);
            return new Scenario(name, record, ids -> built.stream().map(order -> order.apply(ids)).toList(), selected,
                    sign, select == null ? sign : select);
        }
    }

    static Builder scenario(String name) {
        return new Builder(name);
    }

    // ------------------------------------------------------------------ drugs

    static CodeableConcept drug(String system, String code, String display) {
        return new CodeableConcept(new Coding(system, code, display));
    }

    static CodeableConcept cetuximab() {
        return drug(RXNORM, "318341", "cetuximab");
    }

    static CodeableConcept panitumumab() {
        return drug(RXNORM, "263034", "panitumumab");
    }

    static CodeableConcept sotorasib() {
        return drug(ATC, "L01XX73", "sotorasib");
    }

    static CodeableConcept encorafenib() {
        return drug(RXNORM, "2049106", "encorafenib");
    }

    static Observation brafV600e() {
        return variant("HGNC:1097", "BRAF", "NP_004324.2:p.Val600Glu");
    }

    static CodeableConcept adagrasib() {
        return drug(ATC, "L01XX77", "adagrasib");
    }

    static CodeableConcept text(String words) {
        return new CodeableConcept().setText(words);
    }

    static MedicationRequest draftOrder(String id, String patientId) {
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
        observation.addCategory(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/observation-category", "laboratory", null)));
        observation.addCategory(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/v2-0074", "GE", "Genetics")));
        observation.setCode(new CodeableConcept(new Coding(LOINC, code, display)));
        observation.setEffective(new DateTimeType("2026-02-10"));
        return observation;
    }

    private static void gene(Observation observation, String hgnc, String symbol) {
        observation.addComponent().setCode(new CodeableConcept(new Coding(LOINC, "48018-6", "Gene studied [ID]")))
                .setValue(new CodeableConcept(new Coding("http://www.genenames.org", hgnc, symbol)));
    }

    /** A Genomics Reporting Variant, present, with a protein (p.) or coding (c.) HGVS. */
    static Observation variant(String hgnc, String symbol, String hgvs) {
        Observation observation = genomic("69548-6", "Genetic variant assessment");
        observation.setValue(new CodeableConcept(new Coding(LOINC, "LA9633-4", "Present")));
        gene(observation, hgnc, symbol);
        boolean protein = hgvs.contains(":p.") || hgvs.startsWith("p.");
        observation.addComponent()
                .setCode(new CodeableConcept(new Coding(LOINC, protein ? "48005-3" : "48004-6", protein ? "Amino acid change (pHGVS)" : "DNA change (c.HGVS)")))
                .setValue(new CodeableConcept(new Coding("http://varnomen.hgvs.org", hgvs, null)));
        return observation;
    }

    static Observation kras(String hgvs) {
        return variant("HGNC:6407", "KRAS", hgvs);
    }

    static Observation nras(String hgvs) {
        return variant("HGNC:7989", "NRAS", hgvs);
    }

    /** A variant of uncertain significance away from the hotspots. */
    static Observation krasVus() {
        Observation observation = kras("NP_004976.2:p.Ala18Thr");
        observation.addComponent().setCode(new CodeableConcept(new Coding(LOINC, "53037-8", "Genetic variation clinical significance")))
                .setValue(new CodeableConcept(new Coding(LOINC, "LA26333-7", "Uncertain significance")));
        return observation;
    }

    /** A gene-level negative by sequencing (extended) or by PCR of exon 2 only (partial). */
    static Observation geneAbsent(String hgnc, String symbol, boolean sequencing) {
        Observation observation = genomic("69548-6", "Genetic variant assessment");
        observation.setValue(new CodeableConcept(new Coding(LOINC, "LA9634-2", "Absent")));
        observation.setMethod(sequencing
                ? new CodeableConcept(new Coding(LOINC, "LA26398-0", "Sequencing"))
                : new CodeableConcept(new Coding(LOINC, "LA26418-6", "PCR")));
        gene(observation, hgnc, symbol);
        if (!sequencing) {
            observation.addComponent().setCode(new CodeableConcept(new Coding(LOINC, "81252-9", "Discrete genetic variant")))
                    .setValue(new CodeableConcept().setText(symbol + " exon 2 (codons 12 and 13)"));
        }
        return observation;
    }

    static Observation krasNegative() {
        return geneAbsent("HGNC:6407", "KRAS", true);
    }

    static Observation nrasNegative() {
        return geneAbsent("HGNC:7989", "NRAS", true);
    }

    static Observation preliminary(Observation observation) {
        observation.setStatus(Observation.ObservationStatus.PRELIMINARY);
        return observation;
    }

    /** A single-gene test (LOINC 21702-6, KRAS gene mutations found) with a coded answer. */
    static Observation krasTest(String answerCode, String answerDisplay) {
        Observation observation = genomic("21702-6", "KRAS gene mutations found [Identifier] in Blood or Tissue by Molecular genetics method Nominal");
        observation.setValue(new CodeableConcept(new Coding(LOINC, answerCode, answerDisplay)));
        return observation;
    }

    /** A KRAS+NRAS panel result (LOINC 81420-2) naming the mutation found. */
    static Observation rasPanel(String valueText) {
        Observation observation = genomic("81420-2", "KRAS and NRAS gene mutations found");
        observation.setValue(new StringType(valueText));
        return observation;
    }

    /** A therapeutic implication: resistance to cetuximab derived from a KRAS variant. */
    static Observation resistanceToCetuximab() {
        Observation observation = new Observation();
        observation.setStatus(Observation.ObservationStatus.FINAL);
        observation.addCategory(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/observation-category", "laboratory", null)));
        observation.setCode(new CodeableConcept(new Coding("http://hl7.org/fhir/uv/genomics-reporting/CodeSystem/tbd-codes-cs",
                "therapeutic-implication", "Therapeutic Implication")));
        observation.setEffective(new DateTimeType("2026-02-10"));
        observation.addComponent().setCode(new CodeableConcept(new Coding("http://hl7.org/fhir/uv/genomics-reporting/CodeSystem/tbd-codes-cs",
                "therapeutic-implication", "Therapeutic Implication")))
                .setValue(new CodeableConcept(new Coding(LOINC, "LA6676-6", "Resistant")));
        observation.addComponent().setCode(new CodeableConcept(new Coding(LOINC, "51963-7", "Medication assessed [ID]")))
                .setValue(cetuximab());
        gene(observation, "HGNC:6407", "KRAS");
        return observation;
    }
}
