package org.rasguard.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.TreeSet;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.rasguard.cdshooks.CdsScenarios;
import org.rasguard.cdshooks.CdsServices;

/**
 * Evidence belongs to the patient (issue 14), against the real server: our store's records are
 * matched to the EHR's patient by identifier, never by a bare id from another id space; what a
 * patient's results link to about someone else is neither used nor returned; a form-encoded
 * {@code POST _search} answers as the GET; a draft order for another patient is a 400.
 */
@ExtendWith(SharedServer.class)
class PatientEvidenceIT {

    private static final String S1 = "urn:example:hospital-one:mrn";
    private static final String S2 = "urn:example:hospital-two:mrn";

    // ------------------------------------------------------------------ identity

    @Test
    void ourPatientWithTheEhrsIdButAnotherMrnNeverDecides(ServerProcess server) {
        String run = run();
        String n = createPatient(server, S1, "ONE-" + run);
        store(server, n, CdsScenarios.krasNegative(), CdsScenarios.nrasNegative());
        assertThat(status(server, n)).as("our Patient/N is RAS wild-type").isEqualTo("wild-type");

        Patient ehrPatient = new Patient();
        ehrPatient.setId(n); // the EHR's patient has the same id, and an MRN of another hospital
        ehrPatient.addIdentifier().setSystem(S2).setValue("TWO-" + run);

        ObjectNode withPatient = orderSign(n, ehrPatient);
        JsonNode card = CdsCalls.onlyCard(cds(server, withPatient));
        assertThat(card.path("indicator").asText())
                .as("with the EHR's Patient prefetched")
                .isEqualTo("warning");
        assertThat(card.path("summary").asText()).contains("not tested");

        ObjectNode withoutPatient = orderSign(n, null);
        JsonNode unconsulted = CdsCalls.onlyCard(cds(server, withoutPatient));
        assertThat(unconsulted.path("indicator").asText())
                .as("without the EHR's Patient")
                .isEqualTo("warning");
        assertThat(unconsulted.path("detail").asText()).contains("genomics store was not consulted");

        ObjectNode elsewhere = orderSign(n, ehrPatient);
        elsewhere.put("fhirServer", "https://ehr.elsewhere.example.test/fhir");
        assertThat(CdsCalls.onlyCard(cds(server, elsewhere)).path("indicator").asText())
                .as("with fhirServer naming another server")
                .isEqualTo("warning");

        ObjectNode ourOwnBase = orderSign(n, null);
        ((ObjectNode) ourOwnBase.get("prefetch")).remove("patient");
        ourOwnBase.put("fhirServer", server.fhirBase());
        Http.Response sameIdSpace = cds(server, ourOwnBase);
        assertThat(sameIdSpace.status()).as(sameIdSpace.body()).isEqualTo(200);
        assertThat(CdsCalls.json(sameIdSpace.body()).path("cards"))
                .as("fhirServer is this server: one id space, our Patient/N")
                .isEmpty();
    }

    @Test
    void ourPatientWithTheSameMrnDecidesWhateverItsId(ServerProcess server) {
        String run = run();
        String ours = createPatient(server, S1, "SAME-" + run);
        store(server, ours, CdsScenarios.kras("NP_004976.2:p.Gly12Asp"));
        Patient ehrPatient = new Patient();
        ehrPatient.setId("ehr-" + run.substring(0, 8));
        ehrPatient.addIdentifier().setSystem(S1).setValue("SAME-" + run);
        JsonNode card = CdsCalls.onlyCard(cds(server, orderSign(ehrPatient.getIdPart(), ehrPatient)));
        assertThat(card.path("indicator").asText()).isEqualTo("critical");
        assertThat(card.path("summary").asText()).contains("KRAS p.G12D");
    }

    @Test
    void rasStatusReadsAndNamesOurOtherRecordsOfThePerson(ServerProcess server) {
        String run = run();
        String first = createPatient(server, S1, "TWICE-" + run);
        String second = createPatient(server, S1, "TWICE-" + run);
        String stranger = createPatient(server, S1, "OTHER-" + run);
        store(server, first, CdsScenarios.krasNegative());
        store(server, second, CdsScenarios.nrasNegative());
        store(server, stranger, CdsScenarios.nras("NP_002515.1:p.Gln61Lys"));

        Parameters status = rasStatus(server, first);
        assertThat(value(status, "status"))
                .as("KRAS negative on one record, NRAS negative on the other")
                .isEqualTo("wild-type");
        assertThat(status.getParameters("linkedPatient"))
                .extracting(p -> ((Reference) p.getValue()).getReference())
                .containsExactly("Patient/" + second);
        assertThat(Http.encode(status)).doesNotContain("Patient/" + stranger).doesNotContain("Gln61");
    }

    @Test
    void aSubjectGivenByIdentifierOrConditionalReferenceReachesThePatient(ServerProcess server) {
        String run = run();
        String p = createPatient(server, S1, "BYID-" + run);
        Observation kras = CdsScenarios.krasNegative();
        kras.setSubject(new Reference()
                .setIdentifier(
                        new org.hl7.fhir.r4.model.Identifier().setSystem(S1).setValue("BYID-" + run)));
        Http.Response byIdentifier = Http.post(server.fhirBase() + "/Observation", Http.encode(kras));
        assertThat(byIdentifier.status()).as(byIdentifier.body()).isEqualTo(201);
        assertThat(byIdentifier.resource(Observation.class).getSubject().getReference())
                .isEqualTo("Patient/" + p);
        Observation nras =
                CdsScenarios.nrasNegative().setSubject(new Reference("Patient?identifier=" + S1 + "|BYID-" + run));
        Http.Response conditional = Http.post(server.fhirBase() + "/Observation", Http.encode(nras));
        assertThat(conditional.status()).as(conditional.body()).isEqualTo(201);
        assertThat(status(server, p))
                .as("KRAS by identifier, NRAS by conditional reference")
                .isEqualTo("wild-type");

        // Two Patients with one identifier: the result is not guessed onto either.
        createPatient(server, S1, "TWIN-" + run);
        String twin = createPatient(server, S1, "TWIN-" + run);
        Observation orphan = CdsScenarios.kras("NP_004976.2:p.Gly12Asp");
        orphan.setSubject(new Reference()
                .setIdentifier(
                        new org.hl7.fhir.r4.model.Identifier().setSystem(S1).setValue("TWIN-" + run)));
        Http.Response ambiguous = Http.post(server.fhirBase() + "/Observation", Http.encode(orphan));
        assertThat(ambiguous.status()).as(ambiguous.body()).isEqualTo(201);
        assertThat(ambiguous.resource(Observation.class).getSubject().hasReference())
                .isFalse();
        assertThat(status(server, twin)).isEqualTo("unknown");
    }

    // ------------------------------------------------------------------ confinement

    @Test
    void aLinkToAnotherPatientsResultsIsNeitherUsedNorReturned(ServerProcess server) {
        String run = run();
        String a = createPatient(server, S1, "A-" + run);
        String b = createPatient(server, S1, "B-" + run);
        String c = createPatient(server, S1, "C-" + run);
        String bMutation =
                store(server, b, CdsScenarios.kras("NP_004976.2:p.Gly13Asp")).get(0);
        List<String> cResults = store(server, c, CdsScenarios.krasNegative(), CdsScenarios.nrasNegative());
        assertThat(status(server, c)).isEqualTo("wild-type");

        // A's panel names B's mutation as its member; A's variant claims to derive from C's negative.
        Observation panel = new Observation()
                .setStatus(Observation.ObservationStatus.FINAL)
                .setCode(new CodeableConcept(
                        new Coding("http://loinc.org", "81247-9", "Master HL7 genetic variant reporting panel")));
        panel.addHasMember(new Reference(bMutation));
        Observation derived = CdsScenarios.kras("NP_004976.2:p.Gly12Val");
        derived.addDerivedFrom(new Reference(cResults.get(0)));
        store(server, a, panel, derived);

        Parameters ofA = rasStatus(server, a);
        String answer = Http.encode(ofA);
        assertThat(answer)
                .as("nothing of B in A's answer")
                .doesNotContain(bMutation)
                .doesNotContain("Gly13")
                .doesNotContain("G13D");
        assertThat(value(ofA, "status")).as("A's own G12V").isEqualTo("mutated");
        assertThat(ofA.getParameters("caution"))
                .extracting(p -> p.getValue().primitiveValue())
                .anyMatch(text -> text.contains("about another patient"));

        Parameters ofC = rasStatus(server, c);
        assertThat(value(ofC, "status"))
                .as("C is not poisoned by A's derivedFrom")
                .isEqualTo("wild-type");
        assertThat(Http.encode(ofC)).doesNotContain("Patient/" + a).doesNotContain("Gly12Val");
        Patient cAtTheEhr = new Patient();
        cAtTheEhr.setId("ehr-c-" + run.substring(0, 6));
        cAtTheEhr.addIdentifier().setSystem(S1).setValue("C-" + run);
        Http.Response cCard = cds(server, orderSign(cAtTheEhr.getIdPart(), cAtTheEhr));
        assertThat(cCard.status()).isEqualTo(200);
        assertThat(CdsCalls.json(cCard.body()).path("cards"))
                .as("C's order is signed without a card")
                .isEmpty();
    }

    @Test
    void containedResultsOfAnotherPatientAreNotThisPatients(ServerProcess server) {
        String run = run();
        String a = createPatient(server, S1, "HOLDER-" + run);
        String b = createPatient(server, S1, "OWNER-" + run);
        DiagnosticReport report = new DiagnosticReport()
                .setStatus(DiagnosticReport.DiagnosticReportStatus.FINAL)
                .setCode(new CodeableConcept(new Coding("http://loinc.org", "81247-9", null)));
        for (Observation negative : List.of(CdsScenarios.krasNegative(), CdsScenarios.nrasNegative())) {
            negative.setId("neg-" + report.getContained().size());
            negative.setSubject(new Reference("Patient/" + b));
            report.addContained(negative);
            report.addResult(new Reference("#" + negative.getIdPart()));
        }
        store(server, a, report);
        Parameters status = rasStatus(server, a);
        assertThat(value(status, "status"))
                .as("B's negatives inside A's report")
                .isEqualTo("unknown");
        assertThat(Http.encode(status)).doesNotContain("#neg-");
    }

    @Test
    void aDraftOrderForAnotherPatientIs400(ServerProcess server) {
        ObjectNode request = orderSign("me-" + run().substring(0, 8), new Patient());
        ((ObjectNode) request.at("/context/draftOrders/entry/0/resource/subject"))
                .put("reference", "Patient/someone-else");
        Http.Response response = cds(server, request);
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.body()).contains("patient-mismatch").doesNotContain("someone-else");
    }

    // ------------------------------------------------------------------ POST _search

    @Test
    void aFormPostSearchAnswersAsTheGet(ServerProcess server) {
        String run = run();
        String p = createPatient(server, S1, "FORM-" + run);
        createPatient(server, S1, "FORM-OTHER-" + run);
        List<String> results = store(server, p, CdsScenarios.krasNegative(), CdsScenarios.nrasNegative());
        DiagnosticReport report = new DiagnosticReport()
                .setStatus(DiagnosticReport.DiagnosticReportStatus.FINAL)
                .setCode(new CodeableConcept(new Coding("http://loinc.org", "81247-9", null)));
        results.forEach(result -> report.addResult(new Reference(result)));
        store(server, p, report);

        for (String[] search : List.of(
                new String[] {"Observation", "patient=Patient/" + p},
                new String[] {"Patient", "identifier=" + Http.urlEncode(S1 + "|FORM-" + run)},
                new String[] {"DiagnosticReport", "subject=Patient/" + p + "&_include=DiagnosticReport:result"})) {
            Http.Response get = Http.get(server.fhirBase() + "/" + search[0] + "?" + search[1]);
            Http.Response post = Http.post(
                    server.fhirBase() + "/" + search[0] + "/_search", search[1], "application/x-www-form-urlencoded");
            assertThat(post.status()).as(post.body()).isEqualTo(200);
            assertThat(ids(post))
                    .as(search[0] + " POST _search")
                    .isEqualTo(ids(get))
                    .isNotEmpty();
            assertThat(post.resource(Bundle.class).getTotal())
                    .isEqualTo(get.resource(Bundle.class).getTotal());
        }
        assertThat(ids(Http.post(
                        server.fhirBase() + "/Observation/_search",
                        "patient=Patient/" + p,
                        "application/x-www-form-urlencoded")))
                .hasSize(2);
        // Parameters in the URL and in the body together: the search is the GET with both.
        Http.Response both = Http.post(
                server.fhirBase() + "/Observation/_search?_count=500",
                "patient=Patient/" + p,
                "application/x-www-form-urlencoded");
        assertThat(both.status()).as(both.body()).isEqualTo(200);
        assertThat(ids(both))
                .isEqualTo(ids(Http.get(server.fhirBase() + "/Observation?_count=500&patient=Patient/" + p)))
                .hasSize(2);
    }

    // ------------------------------------------------------------------ helpers

    // ------------------------------------------------------------------ stored documents (issue 13 family 7)

    @Test
    void storedDocumentAndCollectionBundlesAreEvidenceOfTheirPatient(ServerProcess server) {
        String run = run();
        String ours = createPatient(server, S1, "DOC-" + run);
        assertThat(status(server, ours)).isEqualTo("unknown");

        // A FHIR document: its subject is its own urn:uuid Patient entry, known by the MRN.
        Patient inside = new Patient();
        inside.addIdentifier().setSystem(S1).setValue("DOC-" + run);
        Observation g12d = CdsScenarios.kras("NP_004976.2:p.Gly12Asp");
        Http.Response document = Http.post(server.fhirBase() + "/Bundle", Http.encode(document(inside, g12d)));
        assertThat(document.status()).as(document.body()).isEqualTo(201);
        Parameters mutated = rasStatus(server, ours);
        assertThat(value(mutated, "status"))
                .as("the document's KRAS p.G12D decides")
                .isEqualTo("mutated");
        Patient ehrPatient = new Patient();
        ehrPatient.setId("ehr-doc-" + run.substring(0, 8));
        ehrPatient.addIdentifier().setSystem(S1).setValue("DOC-" + run);
        JsonNode card = CdsCalls.onlyCard(cds(server, orderSign(ehrPatient.getIdPart(), ehrPatient)));
        assertThat(card.path("indicator").asText()).as("CDS, store only").isEqualTo("critical");
        assertThat(card.path("summary").asText()).contains("KRAS p.G12D");

        // A collection whose entries name our record; another person's document is not read.
        String second = createPatient(server, S1, "COLL-" + run);
        Bundle collection = new Bundle().setType(Bundle.BundleType.COLLECTION);
        for (Observation negative : List.of(CdsScenarios.krasNegative(), CdsScenarios.nrasNegative())) {
            negative.setSubject(new Reference("Patient/" + second));
            collection.addEntry().setFullUrl("urn:uuid:" + UUID.randomUUID()).setResource(negative);
        }
        assertThat(Http.post(server.fhirBase() + "/Bundle", Http.encode(collection))
                        .status())
                .isEqualTo(201);
        assertThat(status(server, second))
                .as("KRAS and NRAS negatives in a stored collection")
                .isEqualTo("wild-type");

        Patient someoneElse = new Patient();
        someoneElse.addIdentifier().setSystem(S1).setValue("COLL-OTHER-" + run);
        Http.Response foreign = Http.post(
                server.fhirBase() + "/Bundle",
                Http.encode(document(someoneElse, CdsScenarios.nras("NP_002515.1:p.Gln61Lys"))));
        assertThat(foreign.status()).as(foreign.body()).isEqualTo(201);
        // The same MRN but another value in a second system: a different person, never read.
        Patient conflicting = new Patient();
        conflicting.addIdentifier().setSystem(S1).setValue("COLL-" + run);
        conflicting.addIdentifier().setSystem(S2).setValue("X-" + run);
        Patient secondWithS2 =
                Http.get(server.fhirBase() + "/Patient/" + second).resource(Patient.class);
        secondWithS2.addIdentifier().setSystem(S2).setValue("Y-" + run);
        assertThat(Http.put(server.fhirBase() + "/Patient/" + second, Http.encode(secondWithS2))
                        .status())
                .isEqualTo(200);
        assertThat(Http.post(
                                server.fhirBase() + "/Bundle",
                                Http.encode(document(conflicting, CdsScenarios.nras("NP_002515.1:p.Gln61Lys"))))
                        .status())
                .isEqualTo(201);
        Parameters stillWild = rasStatus(server, second);
        assertThat(value(stillWild, "status"))
                .as("neither another person's nor a conflicting document is read")
                .isEqualTo("wild-type");
        assertThat(Http.encode(stillWild)).doesNotContain("Gln61");
    }

    /** A document Bundle as R4 requires it: an identifier, a Composition first, its subject and every reference inside. */
    private static Bundle document(Patient patient, Observation result) {
        String patientUrl = "urn:uuid:" + UUID.randomUUID();
        String reportUrl = "urn:uuid:" + UUID.randomUUID();
        String resultUrl = "urn:uuid:" + UUID.randomUUID();
        Bundle bundle = new Bundle().setType(Bundle.BundleType.DOCUMENT);
        bundle.getIdentifier().setSystem("urn:ietf:rfc:3986").setValue("urn:uuid:" + UUID.randomUUID());
        bundle.setTimestamp(new java.util.Date());
        org.hl7.fhir.r4.model.Composition composition = new org.hl7.fhir.r4.model.Composition();
        composition
                .setStatus(org.hl7.fhir.r4.model.Composition.CompositionStatus.FINAL)
                .setType(new CodeableConcept(new Coding("http://loinc.org", "51969-4", "Genetic analysis report")))
                .setSubject(new Reference(patientUrl))
                .setDate(new java.util.Date())
                .setTitle("Molecular pathology report")
                .addAuthor(new Reference().setDisplay("Molecular Pathology Laboratory"))
                .addSection()
                .setTitle("Results")
                .addEntry(new Reference(reportUrl));
        DiagnosticReport report = new DiagnosticReport();
        report.setStatus(DiagnosticReport.DiagnosticReportStatus.FINAL)
                .setCode(new CodeableConcept(new Coding("http://loinc.org", "51969-4", "Genetic analysis report")))
                .setSubject(new Reference(patientUrl))
                .addResult(new Reference(resultUrl));
        result.setSubject(new Reference(patientUrl));
        bundle.addEntry().setFullUrl("urn:uuid:" + UUID.randomUUID()).setResource(composition);
        bundle.addEntry().setFullUrl(patientUrl).setResource(patient);
        bundle.addEntry().setFullUrl(reportUrl).setResource(report);
        bundle.addEntry().setFullUrl(resultUrl).setResource(result);
        return bundle;
    }

    private static String run() {
        return UUID.randomUUID().toString();
    }

    private static String createPatient(ServerProcess server, String system, String value) {
        Patient patient = new Patient();
        patient.addIdentifier().setSystem(system).setValue(value);
        Http.Response created = Http.post(server.fhirBase() + "/Patient", Http.encode(patient));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.resource(Patient.class).getIdElement().getIdPart();
    }

    /** Stores each resource with the patient as subject; returns their {@code Type/id}. */
    private static List<String> store(ServerProcess server, String patientId, Resource... resources) {
        List<String> ids = new java.util.ArrayList<>();
        for (Resource resource : resources) {
            Reference subject = new Reference("Patient/" + patientId);
            if (resource instanceof Observation observation) {
                observation.setSubject(subject);
            } else if (resource instanceof DiagnosticReport report) {
                report.setSubject(subject);
            }
            Http.Response created = Http.post(server.fhirBase() + "/" + resource.fhirType(), Http.encode(resource));
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            ids.add(resource.fhirType() + "/"
                    + created.resource(resource.getClass()).getIdElement().getIdPart());
        }
        return ids;
    }

    private static Parameters rasStatus(ServerProcess server, String patientId) {
        Http.Response response = Http.get(server.fhirBase() + "/Patient/" + patientId + "/$ras-status");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.resource(Parameters.class);
    }

    private static String status(ServerProcess server, String patientId) {
        return value(rasStatus(server, patientId), "status");
    }

    /** A coded output parameter's code (every coded value of $ras-status is a Coding). */
    private static String value(Parameters parameters, String name) {
        return ((org.hl7.fhir.r4.model.Coding) parameters.getParameter(name).getValue()).getCode();
    }

    /** An order-sign call for cetuximab, prefetch: the EHR's Patient (or none), a colorectal cancer, no results. */
    private static ObjectNode orderSign(String patientId, Patient ehrPatient) {
        ObjectNode request = CdsCalls.request("order-sign", patientId, CdsCalls.cetuximabOrder(patientId));
        ObjectNode prefetch = request.putObject("prefetch");
        if (ehrPatient != null) {
            prefetch.set("patient", CdsCalls.json(Http.encode(ehrPatient)));
        }
        Condition crc = new Condition().setSubject(new Reference("Patient/" + patientId));
        crc.setCode(new CodeableConcept(
                new Coding("http://hl7.org/fhir/sid/icd-10-cm", "C18.7", "Malignant neoplasm of sigmoid colon")));
        crc.setClinicalStatus(new CodeableConcept(
                new Coding("http://terminology.hl7.org/CodeSystem/condition-clinical", "active", null)));
        Bundle conditions = new Bundle().setType(Bundle.BundleType.SEARCHSET);
        conditions.addEntry().setResource(crc);
        prefetch.set("conditions", CdsCalls.json(Http.encode(conditions)));
        prefetch.set("observations", CdsCalls.json(Http.encode(new Bundle().setType(Bundle.BundleType.SEARCHSET))));
        prefetch.set("medications", CdsCalls.json(Http.encode(new Bundle().setType(Bundle.BundleType.SEARCHSET))));
        CdsCalls.noMedicationHistory(prefetch);
        return request;
    }

    private static Http.Response cds(ServerProcess server, ObjectNode request) {
        return Http.post(
                server.baseUrl() + "/cds-services/" + CdsServices.ORDER_SIGN_ID,
                request.toString(),
                "application/json");
    }

    private static TreeSet<String> ids(Http.Response response) {
        TreeSet<String> ids = new TreeSet<>();
        response.resource(Bundle.class)
                .getEntry()
                .forEach(entry -> ids.add(entry.getResource()
                        .getIdElement()
                        .toUnqualifiedVersionless()
                        .getValue()));
        return ids;
    }
}
