package org.rasguard.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.rasguard.server.it.Http.urlEncode;

import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.ResourceType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The FHIR REST API an integrator uses: transactions, search, read, history, conditional create. */
@ExtendWith(SharedServer.class)
class FhirApiIT {

    private String fhir;
    private String run;

    @BeforeEach
    void setUp(ServerProcess server) {
        fhir = server.fhirBase();
        run = UUID.randomUUID().toString();
    }

    @Test
    void transactionStoresTheReportAndSearchFindsTheVariants() {
        Bundle response = postTransaction(Fixtures.genomicReportTransaction(run));

        assertThat(response.getEntry())
                .hasSize(4)
                .allSatisfy(entry -> assertThat(entry.getResponse().getStatus()).startsWith("201"));
        String patientId = idOf(response, 0);

        Bundle variants = Http.get(
                        fhir + "/Observation?patient=" + patientId + "&code=" + urlEncode("http://loinc.org|69548-6"))
                .resource(Bundle.class);
        assertThat(variants.getTotal()).isEqualTo(2);

        DiagnosticReport report = Http.get(fhir + "/" + idOf(response, 1)).resource(DiagnosticReport.class);
        assertThat(report.getSubject().getReference()).isEqualTo(patientId);
        assertThat(report.getResult())
                .extracting(ref -> ref.getReference())
                .containsExactly(idOf(response, 2), idOf(response, 3));

        Observation kras = Http.get(fhir + "/" + idOf(response, 2)).resource(Observation.class);
        assertThat(kras.getSubject().getReference()).isEqualTo(patientId);
        assertThat(kras.getComponent())
                .extracting(c -> c.getValueCodeableConcept().getCodingFirstRep().getCode())
                .containsExactly("HGNC:6407", "NM_004985.5:c.35G>A", "NP_004976.2:p.(Gly12Asp)");
        Patient patient = Http.get(fhir + "/" + patientId).resource(Patient.class);
        assertThat(patient.getIdentifierFirstRep().getValue()).isEqualTo("MRN-" + run);
    }

    @Test
    void observationSearchSupportsTheGenomicsParameters() {
        Bundle response = postTransaction(Fixtures.genomicReportTransaction(run));
        String patientId = idOf(response, 0);
        String base = fhir + "/Observation?subject=" + patientId;

        assertThat(total(base + "&component-code=" + urlEncode("http://loinc.org|48018-6")))
                .isEqualTo(2);
        assertThat(total(base + "&category=laboratory")).isEqualTo(2);
        assertThat(total(base + "&status=final")).isEqualTo(2);
        assertThat(total(base + "&date=ge2026-09-01")).isEqualTo(2);
        assertThat(total(base + "&date=lt2026-09-01")).isZero();
        assertThat(total(base + "&component-value-concept=" + urlEncode("http://www.genenames.org|HGNC:6407")))
                .isEqualTo(1);

        Bundle withPatient = Http.get(base + "&_include=Observation:subject").resource(Bundle.class);
        assertThat(withPatient.getEntry())
                .extracting(e -> e.getResource().getResourceType())
                .containsExactlyInAnyOrder(ResourceType.Observation, ResourceType.Observation, ResourceType.Patient);
    }

    @Test
    void postingTheSameTransactionTwiceStoresEachResultOnce() {
        String transaction = Fixtures.genomicReportTransaction(run);
        postTransaction(transaction);
        Bundle second = postTransaction(transaction);

        assertThat(second.getEntry())
                .allSatisfy(entry -> assertThat(entry.getResponse().getStatus()).startsWith("200"));
        assertThat(total(fhir + "/Observation?identifier=" + urlEncode("urn:example:lab:result|KRAS-" + run)))
                .isEqualTo(1);
        assertThat(total(fhir + "/Observation?identifier=" + urlEncode("urn:example:lab:result|NRAS-" + run)))
                .isEqualTo(1);
        assertThat(total(fhir + "/Patient?identifier=" + urlEncode("urn:oid:2.16.840.1.113883.19.5|MRN-" + run)))
                .isEqualTo(1);
    }

    @Test
    void aTransactionWithADanglingReferenceStoresNothing() {
        String transaction = Fixtures.genomicReportTransaction(run)
                .replaceFirst(
                        "\"result\": \\[\\{ \"reference\": \"urn:uuid:[^\"]+\" }",
                        "\"result\": [{ \"reference\": \"Observation/missing-" + run + "\" }");

        Http.Response response = Http.post(fhir, transaction);

        assertThat(response.status()).isBetween(400, 499);
        OperationOutcome outcome = response.resource(OperationOutcome.class);
        assertThat(outcome.getIssueFirstRep().getDiagnostics()).contains("Observation/missing-" + run);
        assertThat(outcome.getIssueFirstRep().getDiagnostics()).contains("Bundle.entry[1]");
        assertNothingStored();
    }

    @Test
    void aTransactionWithAMalformedEntryStoresNothing() {
        String transaction = Fixtures.genomicReportTransaction(run)
                .replaceFirst(
                        "\"value\": \"NRAS-" + run + "\" }],\n        \"status\": \"final\"",
                        "\"value\": \"NRAS-" + run + "\" }],\n        \"status\": \"not-a-status\"");
        assertThat(transaction).contains("not-a-status");

        Http.Response response = Http.post(fhir, transaction);

        assertThat(response.status()).isBetween(400, 499);
        OperationOutcome outcome = response.resource(OperationOutcome.class);
        assertThat(outcome.getIssueFirstRep().getDiagnostics())
                .contains("Bundle.entry[3]")
                .contains("status");
        assertNothingStored();
    }

    @Test
    void readUpdateVreadHistoryAndDelete() {
        Observation observation = new Observation();
        observation.setStatus(Observation.ObservationStatus.PRELIMINARY);
        observation.getCode().setText("KRAS mutation analysis " + run);
        Http.Response created = Http.post(fhir + "/Observation", Http.encode(observation));
        assertThat(created.status()).isEqualTo(201);
        String id = created.resource(Observation.class).getIdElement().getIdPart();

        observation.setId(id);
        observation.setStatus(Observation.ObservationStatus.FINAL);
        assertThat(Http.put(fhir + "/Observation/" + id, Http.encode(observation))
                        .status())
                .isEqualTo(200);

        assertThat(Http.get(fhir + "/Observation/" + id)
                        .resource(Observation.class)
                        .getMeta()
                        .getVersionId())
                .isEqualTo("2");
        assertThat(Http.get(fhir + "/Observation/" + id + "/_history/1")
                        .resource(Observation.class)
                        .getStatus())
                .isEqualTo(Observation.ObservationStatus.PRELIMINARY);
        assertThat(Http.get(fhir + "/Observation/" + id + "/_history")
                        .resource(Bundle.class)
                        .getEntry())
                .hasSize(2);

        assertThat(Http.delete(fhir + "/Observation/" + id).status()).isEqualTo(200);
        assertThat(Http.get(fhir + "/Observation/" + id).status()).isEqualTo(410);
    }

    @Test
    void aBatchProcessesEachEntryOnItsOwn() {
        String batch = """
                {"resourceType":"Bundle","type":"batch","entry":[
                  {"resource":{"resourceType":"Observation","status":"final","code":{"text":"batch %1$s"}},
                   "request":{"method":"POST","url":"Observation"}},
                  {"request":{"method":"GET","url":"Observation/does-not-exist-%1$s"}}]}
                """.formatted(run);
        Bundle response = Http.post(fhir, batch).resource(Bundle.class);
        assertThat(response.getEntry().get(0).getResponse().getStatus()).startsWith("201");
        assertThat(response.getEntry().get(1).getResponse().getStatus()).startsWith("404");
    }

    @Test
    void validateReportsOnAResourceWithoutStoringIt() {
        Observation observation = new Observation();
        observation.setStatus(Observation.ObservationStatus.FINAL);
        observation.getCode().setText("validate " + run);
        Http.Response response = Http.post(fhir + "/Observation/$validate", Http.encode(observation));
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.resource(OperationOutcome.class).getIssue())
                .noneMatch(issue -> issue.getSeverity() == OperationOutcome.IssueSeverity.ERROR);
        assertThat(total(fhir + "/Observation?code:text=" + urlEncode("validate " + run)))
                .isZero();
    }

    @Test
    void theCapabilityStatementDescribesAnR4ServerWithObservationSearch() {
        CapabilityStatement capabilities = Http.get(fhir + "/metadata").resource(CapabilityStatement.class);
        assertThat(capabilities.getFhirVersion().toCode()).isEqualTo("4.0.1");
        List<String> observationParams = capabilities.getRestFirstRep().getResource().stream()
                .filter(r -> r.getType().equals("Observation"))
                .findFirst()
                .orElseThrow()
                .getSearchParam()
                .stream()
                .map(p -> p.getName())
                .toList();
        assertThat(observationParams)
                .contains("patient", "subject", "code", "component-code", "category", "status", "date");
    }

    private void assertNothingStored() {
        assertThat(total(fhir + "/Patient?identifier=" + urlEncode("urn:oid:2.16.840.1.113883.19.5|MRN-" + run)))
                .isZero();
        assertThat(total(fhir + "/DiagnosticReport?identifier=" + urlEncode("urn:example:lab:report|RPT-" + run)))
                .isZero();
        assertThat(total(fhir + "/Observation?identifier=" + urlEncode("urn:example:lab:result|KRAS-" + run)))
                .isZero();
    }

    private Bundle postTransaction(String transaction) {
        Http.Response response = Http.post(fhir, transaction);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.resource(Bundle.class);
    }

    private int total(String searchUrl) {
        Http.Response response = Http.get(searchUrl + (searchUrl.contains("?") ? "&" : "?") + "_summary=count");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.resource(Bundle.class).getTotal();
    }

    /** "Patient/123" from the location of entry {@code index} of a transaction response. */
    static String idOf(Bundle transactionResponse, int index) {
        String location =
                transactionResponse.getEntry().get(index).getResponse().getLocation();
        String[] parts = location.split("/");
        return parts[0] + "/" + parts[1];
    }
}
