package org.rasguard.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DetectedIssue;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Specimen;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.rasguard.cards.CardRules;
import org.rasguard.cdshooks.CdsScenarios;
import org.rasguard.cdshooks.CdsServices;

/**
 * Re-challenge over HTTP against the packaged server (issue 18, point 4): an order-sign of cetuximab
 * whose prefetch shows a RAS wild-type tissue result from before an earlier, completed panitumumab
 * course gets the re-challenge warning with the plasma RAS test to order; plasma KRAS and NRAS
 * negatives taken after the course, posted to our genomics store, clear it; without the medication
 * history and without a fhirServer to read it from, a wild-type patient's order is a 412; with
 * fhirServer = this server and no prefetch, the history (a MedicationAdministration naming a stored
 * Medication, read with its {@code _include}) comes from HAPI's searches; the warning overridden ("plasma
 * pending"), the mutated plasma KRAS result stored afterwards gets exactly one late-result DetectedIssue.
 */
@ExtendWith(SharedServer.class)
class RechallengeIT {

    private static final String MRN = "urn:example:rechallenge:mrn";

    @Test
    void aWildTypeResultFromBeforeAnEarlierCourseGivesTheReChallengeWarning(ServerProcess server) {
        String patientId = "ehr-rc-" + UUID.randomUUID().toString().substring(0, 8);
        ObjectNode request = orderSign(patientId, "MRN-" + patientId);

        Http.Response response = cds(server, request);

        JsonNode card = CdsCalls.onlyCard(response);
        assertThat(CardRules.checkResponse(CdsCalls.json(response.body()))).isEmpty();
        assertThat(card.path("indicator").asText()).isEqualTo("warning");
        assertThat(card.at("/source/topic/code").asText()).isEqualTo("RasRechallenge");
        assertThat(card.path("summary").asText())
                .isEqualTo(
                        "Cetuximab re-challenge: no plasma (ctDNA) RAS result since the earlier panitumumab course; test first");
        assertThat(card.path("detail").asText())
                .contains("CRICKET")
                .contains("CHRONOS")
                .contains("MedicationRequest\\/hist\\-1");
        JsonNode test = card.at("/suggestions/0/actions/0/resource");
        assertThat(test.path("resourceType").asText()).isEqualTo("ServiceRequest");
        assertThat(test.at("/instantiatesCanonical/0").asText())
                .isEqualTo("http://rasguard.org/fhir/ActivityDefinition/order-plasma-ras-testing");
        assertThat(test.at("/subject/reference").asText()).isEqualTo("Patient/" + patientId);
    }

    @Test
    void plasmaNegativesAfterTheCourseInOurStoreClearIt(ServerProcess server) {
        String patientId = "ehr-rc-" + UUID.randomUUID().toString().substring(0, 8);
        String mrn = "MRN-" + patientId;
        Patient ours = new Patient();
        ours.addIdentifier().setSystem(MRN).setValue(mrn);
        Http.Response created = Http.post(server.fhirBase() + "/Patient", Http.encode(ours));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String ourId = created.resource(Patient.class).getIdElement().getIdPart();
        Specimen plasma = new Specimen()
                .setSubject(new Reference("Patient/" + ourId))
                .setType(new CodeableConcept(
                        new Coding("http://terminology.hl7.org/CodeSystem/v2-0487", "PLAS", "Plasma")));
        String specimenId = stored(server, plasma);
        for (Observation negative : new Observation[] {CdsScenarios.krasNegative(), CdsScenarios.nrasNegative()}) {
            negative.setSubject(new Reference("Patient/" + ourId))
                    .setSpecimen(new Reference(specimenId))
                    .setEffective(new DateTimeType("2026-10-02"));
            stored(server, negative);
        }

        Http.Response response = cds(server, orderSign(patientId, mrn));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(CdsCalls.json(response.body()).path("cards"))
                .as(response.body())
                .isEmpty();
    }

    @Test
    void withoutTheHistoryAWildTypePatientsOrderIs412(ServerProcess server) {
        String patientId = "ehr-rc-" + UUID.randomUUID().toString().substring(0, 8);
        ObjectNode request = orderSign(patientId, "MRN-" + patientId);
        ObjectNode prefetch = (ObjectNode) request.get("prefetch");
        for (String key : new String[] {"medicationHistory", "medicationAdministrations", "medicationStatements"}) {
            prefetch.remove(key);
        }

        Http.Response response = cds(server, request);

        assertThat(response.status()).as(response.body()).isEqualTo(412);
        assertThat(response.body()).contains("data-unavailable").contains("medicationHistory");
    }

    @Test
    void withoutPrefetchTheHistoryIsReadFromFhirServerWithItsMedications(ServerProcess server) {
        String[] stored = storedRechallengePatient(server);
        String patientId = stored[0].substring("Patient/".length());
        ObjectNode request = CdsCalls.request("order-sign", patientId, CdsCalls.cetuximabOrder(patientId));
        request.put("fhirServer", server.fhirBase());

        Http.Response response = cds(server, request);

        JsonNode card = CdsCalls.onlyCard(response);
        assertThat(card.at("/source/topic/code").asText()).as(response.body()).isEqualTo("RasRechallenge");
        assertThat(card.path("detail").asText()).contains(stored[1].replace("/", "\\/"));
    }

    /**
     * Issue 18 closing the loop on a re-challenge: the warning overridden ("plasma pending"), then the plasma
     * KRAS G12D result it asked for is stored: one DetectedIssue, earlier decision {@code rechallenge-warned}.
     */
    @Test
    void aMutatedPlasmaResultAfterAnOverriddenReChallengeWarningGetsOneDetectedIssue(ServerProcess server)
            throws Exception {
        String patient = storedRechallengePatient(server)[0];
        String patientId = patient.substring("Patient/".length());
        ObjectNode request = CdsCalls.request("order-sign", patientId, CdsCalls.cetuximabOrder(patientId));
        request.put("fhirServer", server.fhirBase());
        JsonNode card = CdsCalls.onlyCard(cds(server, request));
        assertThat(card.at("/source/topic/code").asText()).isEqualTo("RasRechallenge");
        Http.Response feedback = Http.post(
                server.baseUrl() + "/cds-services/" + CdsServices.ORDER_SIGN_ID + "/feedback",
                """
                {"feedback":[{"card":"%s","outcome":"overridden","outcomeTimestamp":"2026-12-01T10:00:00Z",
                  "overrideReason":{"reason":{"system":"http://rasguard.org/fhir/CodeSystem/cds-override-reason",
                    "code":"result-under-review"},"userComment":"plasma pending"}}]}
                """.formatted(card.get("uuid").asText()),
                "application/json");
        assertThat(feedback.status()).as(feedback.body()).isEqualTo(200);
        String decisions =
                server.fhirBase() + "/AuditEvent?entity-name:exact=" + Http.urlEncode("store:Patient/" + patientId);
        awaitTrue(() -> total(decisions) == 1, "the decision AuditEvent");

        Specimen plasma = new Specimen()
                .setSubject(new Reference(patient))
                .setType(new CodeableConcept(
                        new Coding("http://terminology.hl7.org/CodeSystem/v2-0487", "PLAS", "Plasma")));
        Observation mutated = CdsScenarios.kras("NP_004976.2:p.(Gly12Asp)")
                .setSubject(new Reference(patient))
                .setSpecimen(new Reference(stored(server, plasma)))
                .setEffective(new DateTimeType("2026-10-02"));
        stored(server, mutated);

        String issues = server.fhirBase() + "/DetectedIssue?patient=" + patient;
        awaitTrue(() -> total(issues) >= 1, "the late-result DetectedIssue");
        Bundle found = Http.get(issues).resource(Bundle.class);
        assertThat(found.getEntry()).hasSize(1);
        DetectedIssue issue = (DetectedIssue) found.getEntryFirstRep().getResource();
        assertThat(issue.getEvidenceFirstRep().getCodeFirstRep().getCoding())
                .extracting(Coding::getCode)
                .containsExactly("rechallenge-warned", "RasRechallenge");
        assertThat(issue.getDetail())
                .startsWith("Cetuximab was ordered on")
                .contains("re-challenge")
                .contains("KRAS p.G12D");
    }

    /**
     * Our Patient with a colorectal cancer, KRAS and NRAS wild-type by sequencing on 2026-02-10 and a completed
     * cetuximab administration on 2026-06-02 naming a stored Medication: {@code {Patient/<id>, MedicationAdministration/<id>}}.
     */
    private static String[] storedRechallengePatient(ServerProcess server) {
        Patient ours = new Patient();
        ours.addIdentifier().setSystem(MRN).setValue("MRN-" + UUID.randomUUID());
        String patient = stored(server, ours);
        Condition crc = new Condition().setSubject(new Reference(patient));
        crc.setCode(new CodeableConcept(
                new Coding("http://hl7.org/fhir/sid/icd-10-cm", "C18.7", "Malignant neoplasm of sigmoid colon")));
        stored(server, crc);
        stored(server, CdsScenarios.krasNegative().setSubject(new Reference(patient)));
        stored(server, CdsScenarios.nrasNegative().setSubject(new Reference(patient)));
        org.hl7.fhir.r4.model.Medication vial = new org.hl7.fhir.r4.model.Medication()
                .setCode(new CodeableConcept(new Coding(
                        "http://hl7.org/fhir/sid/ndc", "66733-948-23", "Erbitux 100 mg/50 mL single-dose vial")));
        String medication = stored(server, vial);
        org.hl7.fhir.r4.model.MedicationAdministration given = new org.hl7.fhir.r4.model.MedicationAdministration()
                .setStatus(org.hl7.fhir.r4.model.MedicationAdministration.MedicationAdministrationStatus.COMPLETED)
                .setMedication(new Reference(medication))
                .setSubject(new Reference(patient))
                .setEffective(new DateTimeType("2026-06-02T09:00:00Z"));
        return new String[] {patient, stored(server, given)};
    }

    private static int total(String search) {
        Http.Response response = Http.get(search + (search.contains("?") ? "&" : "?") + "_summary=count");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.resource(Bundle.class).getTotal();
    }

    /** Polls every 100 ms for up to 15 s (the decision and the check are written off the call). */
    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " was not stored within 15 s");
            }
            Thread.sleep(100);
        }
    }

    /**
     * order-sign of cetuximab; prefetch: the EHR's Patient (with the MRN), a colorectal cancer, KRAS and NRAS
     * wild-type by sequencing on 2026-02-10, and a completed panitumumab MedicationRequest valid to 2026-08-31.
     */
    private static ObjectNode orderSign(String patientId, String mrn) {
        ObjectNode request = CdsCalls.request("order-sign", patientId, CdsCalls.cetuximabOrder(patientId));
        ObjectNode prefetch = request.putObject("prefetch");
        Patient patient = new Patient();
        patient.setId(patientId);
        patient.addIdentifier().setSystem(MRN).setValue(mrn);
        prefetch.set("patient", CdsCalls.json(Http.encode(patient)));
        Condition crc = new Condition().setSubject(new Reference("Patient/" + patientId));
        crc.setCode(new CodeableConcept(
                new Coding("http://hl7.org/fhir/sid/icd-10-cm", "C18.7", "Malignant neoplasm of sigmoid colon")));
        prefetch.set("conditions", searchset(crc));
        Observation kras = CdsScenarios.krasNegative().setSubject(new Reference("Patient/" + patientId));
        kras.setId("k1");
        Observation nras = CdsScenarios.nrasNegative().setSubject(new Reference("Patient/" + patientId));
        nras.setId("n1");
        prefetch.set("observations", searchset(kras, nras));
        prefetch.putNull("medications");
        MedicationRequest earlier = new MedicationRequest()
                .setStatus(MedicationRequest.MedicationRequestStatus.COMPLETED)
                .setIntent(MedicationRequest.MedicationRequestIntent.ORDER)
                .setSubject(new Reference("Patient/" + patientId))
                .setMedication(new CodeableConcept(
                        new Coding("http://www.nlm.nih.gov/research/umls/rxnorm", "263034", "panitumumab")));
        earlier.setId("hist-1");
        earlier.getDispenseRequest()
                .setValidityPeriod(new Period()
                        .setStartElement(new DateTimeType("2026-04-01"))
                        .setEndElement(new DateTimeType("2026-08-31")));
        prefetch.set("medicationHistory", searchset(earlier));
        prefetch.set("medicationAdministrations", searchset());
        prefetch.set("medicationStatements", searchset());
        return request;
    }

    private static JsonNode searchset(Resource... resources) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.SEARCHSET);
        for (Resource resource : resources) {
            bundle.addEntry().setResource(resource);
        }
        return CdsCalls.json(Http.encode(bundle));
    }

    private static String stored(ServerProcess server, Resource resource) {
        Http.Response created = Http.post(server.fhirBase() + "/" + resource.fhirType(), Http.encode(resource));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return resource.fhirType() + "/"
                + created.resource(resource.getClass()).getIdElement().getIdPart();
    }

    private static Http.Response cds(ServerProcess server, ObjectNode request) {
        return Http.post(
                server.baseUrl() + "/cds-services/" + CdsServices.ORDER_SIGN_ID,
                request.toString(),
                "application/json");
    }
}
