package org.rasguard.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.rasguard.cdshooks.CdsScenarios;
import org.rasguard.cdshooks.CdsServices;

/**
 * The attacks of issue 14, with real tokens: a client allowed only patient A's Observations
 * ({@code patient/Observation.rs patient/Observation.c}) links A's results to B's and C's. A's
 * {@code $ras-status} must hold nothing of B, and C's status and card must not change. A form-encoded
 * {@code POST _search} is under the same scopes as the GET. A patient with more results than
 * {@link SecurityServer#EVIDENCE_CAP} is never wild-type.
 */
@ExtendWith(SecurityServer.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecurityPatientEvidenceIT {

    private static final String MRN = "urn:example:security-it:mrn";
    private String system;
    private String run;
    private String a;
    private String b;
    private String c;
    private String bMutation;
    private String cKrasNegative;

    @BeforeAll
    void storeThreePatients(SecurityServer.Setup setup) {
        system = setup.fhirToken("system/*.cruds", null);
        run = UUID.randomUUID().toString().substring(0, 8);
        a = patient(setup, "A-" + run, List.of());
        b = patient(setup, "B-" + run, List.of(CdsScenarios.kras("NP_004976.2:p.Gly13Asp")));
        c = patient(setup, "C-" + run, List.of(CdsScenarios.krasNegative(), CdsScenarios.nrasNegative()));
        bMutation = observations(setup, b).get(0);
        cKrasNegative = observations(setup, c).stream()
                .filter(id -> Http.send(setup.request("/fhir/" + id, system).GET())
                        .body()
                        .contains("HGNC:6407"))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void aResultOfALinkingToBsResultsShowsNothingOfB(SecurityServer.Setup setup) {
        String aToken = setup.fhirToken("patient/Observation.rs patient/Observation.c", a);
        assertThat(send(setup, "/fhir/" + bMutation, aToken, null).status())
                .as("B's result, read directly")
                .isEqualTo(404);

        Observation panel = new Observation()
                .setStatus(Observation.ObservationStatus.FINAL)
                .setCode(new CodeableConcept(
                        new Coding("http://loinc.org", "81247-9", "Master HL7 genetic variant reporting panel")))
                .setSubject(new Reference("Patient/" + a));
        panel.addHasMember(new Reference(bMutation));
        Http.Response written = send(setup, "/fhir/Observation", aToken, Http.encode(panel));
        assertThat(written.status()).as(written.body()).isEqualTo(201);

        Http.Response status = send(setup, "/fhir/Patient/" + a + "/$ras-status", aToken, null);
        assertThat(status.status()).as(status.body()).isEqualTo(200);
        assertThat(status.body())
                .doesNotContain(bMutation.split("/")[1])
                .doesNotContain("Gly13")
                .doesNotContain("2026-02-10")
                .contains("about another patient");
    }

    @Test
    void aResultOfADerivedFromCsResultDoesNotChangeCsStatusOrCard(SecurityServer.Setup setup) {
        assertThat(status(setup, c)).isEqualTo("wild-type");
        String aToken = setup.fhirToken("patient/Observation.rs patient/Observation.c", a);
        Observation poison = CdsScenarios.kras("NP_004976.2:p.Gly12Val").setSubject(new Reference("Patient/" + a));
        poison.addDerivedFrom(new Reference(cKrasNegative));
        Http.Response written = send(setup, "/fhir/Observation", aToken, Http.encode(poison));
        assertThat(written.status()).as(written.body()).isEqualTo(201);

        assertThat(status(setup, c)).as("C after A's derivedFrom").isEqualTo("wild-type");
        Http.Response card = cds(setup, "C-" + run);
        assertThat(card.status()).as(card.body()).isEqualTo(200);
        assertThat(CdsCalls.json(card.body()).path("cards"))
                .as("C's cetuximab, signed without a card")
                .isEmpty();
    }

    @Test
    void aFormPostSearchIsUnderTheSameScopesAsTheGet(SecurityServer.Setup setup) {
        // Observation, DiagnosticReport and Patient; with A's token, the system's and none: status and entries as the
        // GET.
        String aToken = setup.fhirToken("patient/Observation.rs patient/Patient.rs patient/DiagnosticReport.rs", a);
        for (String token : new String[] {aToken, system, null}) {
            for (String[] search : List.of(
                    new String[] {"Observation", "patient=Patient/" + a},
                    new String[] {"Observation", "patient=Patient/" + b},
                    new String[] {"DiagnosticReport", "patient=Patient/" + b},
                    new String[] {"Patient", "identifier=" + Http.urlEncode(MRN + "|A-" + run)},
                    new String[] {"Patient", "identifier=" + Http.urlEncode(MRN + "|B-" + run)})) {
                String query = search[1];
                String label = search[0] + "?" + query;
                Http.Response get = send(setup, "/fhir/" + search[0] + "?" + query, token, null);
                Http.Response post = Http.send(setup.request("/fhir/" + search[0] + "/_search", token)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(query, StandardCharsets.UTF_8)));
                assertThat(post.status())
                        .as("POST as GET, " + label + ": " + post.body())
                        .isEqualTo(get.status());
                if (get.status() == 200) {
                    assertThat(ids(post)).isEqualTo(ids(get));
                } else {
                    assertThat(post.body()).doesNotContain(bMutation.split("/")[1]);
                }
            }
        }
        assertThat(send(setup, "/fhir/Observation?patient=Patient/" + b, aToken, null)
                        .status())
                .isEqualTo(403);
    }

    @Test
    void morePastTheCapIsUnknownTruncatedAndTheCardNamesTheCap(SecurityServer.Setup setup) {
        List<Observation> many = new ArrayList<>(List.of(CdsScenarios.krasNegative(), CdsScenarios.nrasNegative()));
        for (int i = 0; i < SecurityServer.EVIDENCE_CAP; i++) {
            many.add(CdsScenarios.krasNegative());
        }
        String crowded = patient(setup, "MANY-" + run, many);
        Parameters parameters = rasStatusOf(setup, crowded);
        assertThat(((Coding) parameters.getParameter("status").getValue()).getCode())
                .isEqualTo("unknown");
        assertThat(parameters.getParameters("reason"))
                .extracting(p -> ((Coding) p.getValue()).getCode())
                .contains("truncated");
        JsonNode card = CdsCalls.onlyCard(cds(setup, "MANY-" + run));
        assertThat(card.path("indicator").asText()).isEqualTo("warning");
        assertThat(card.path("detail").asText())
                .contains(Integer.toString(SecurityServer.EVIDENCE_CAP))
                .contains("RASGUARD_EVIDENCE_MAX_RESOURCES");

        String few = patient(setup, "FEW-" + run, List.of(CdsScenarios.krasNegative(), CdsScenarios.nrasNegative()));
        assertThat(status(setup, few)).as("below the cap: unchanged").isEqualTo("wild-type");
    }

    // ------------------------------------------------------------------ helpers

    /** A Patient with an MRN and these results, in one transaction; returns the Patient's id. */
    private String patient(SecurityServer.Setup setup, String mrn, List<Observation> results) {
        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        String patientUrl = "urn:uuid:" + UUID.randomUUID();
        Patient patient = new Patient();
        patient.addIdentifier().setSystem(MRN).setValue(mrn);
        transaction
                .addEntry()
                .setFullUrl(patientUrl)
                .setResource(patient)
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Patient");
        for (Observation result : results) {
            result.setSubject(new Reference(patientUrl));
            transaction
                    .addEntry()
                    .setFullUrl("urn:uuid:" + UUID.randomUUID())
                    .setResource(result)
                    .getRequest()
                    .setMethod(Bundle.HTTPVerb.POST)
                    .setUrl("Observation");
        }
        Http.Response response = send(setup, "/fhir", system, Http.encode(transaction));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.resource(Bundle.class)
                .getEntryFirstRep()
                .getResponse()
                .getLocation()
                .split("/")[1];
    }

    private List<String> observations(SecurityServer.Setup setup, String patient) {
        List<String> ids =
                new ArrayList<>(ids(send(setup, "/fhir/Observation?patient=Patient/" + patient, system, null)));
        assertThat(ids).isNotEmpty();
        return ids;
    }

    private Parameters rasStatusOf(SecurityServer.Setup setup, String patient) {
        Http.Response response = send(setup, "/fhir/Patient/" + patient + "/$ras-status", system, null);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.resource(Parameters.class);
    }

    private String status(SecurityServer.Setup setup, String patient) {
        return ((Coding) rasStatusOf(setup, patient).getParameter("status").getValue()).getCode();
    }

    /** order-sign for cetuximab from EHR A, whose patient (its own id) carries this MRN; no results at the EHR. */
    private static Http.Response cds(SecurityServer.Setup setup, String mrn) {
        String ehrId = "ehr-" + UUID.randomUUID().toString().substring(0, 8);
        ObjectNode request = CdsCalls.request("order-sign", ehrId, CdsCalls.cetuximabOrder(ehrId));
        Patient patient = new Patient();
        patient.setId(ehrId);
        patient.addIdentifier().setSystem(MRN).setValue(mrn);
        ObjectNode prefetch = request.putObject("prefetch");
        prefetch.set("patient", CdsCalls.json(Http.encode(patient)));
        prefetch.putNull("conditions");
        prefetch.putNull("observations");
        prefetch.putNull("medications");
        CdsCalls.noMedicationHistory(prefetch);
        String path = "/cds-services/" + CdsServices.ORDER_SIGN_ID;
        return Http.send(setup.request(path, setup.cdsToken(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(request.toString(), StandardCharsets.UTF_8)));
    }

    private static Http.Response send(SecurityServer.Setup setup, String path, String token, String body) {
        HttpRequest.Builder request = setup.request(path, token);
        return Http.send(
                body == null
                        ? request.GET()
                        : request.header("Content-Type", "application/fhir+json")
                                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
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
