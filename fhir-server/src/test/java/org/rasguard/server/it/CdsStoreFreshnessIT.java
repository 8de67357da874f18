package org.rasguard.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.rasguard.cdshooks.CdsServices;

/**
 * The CDS service keeps what it read from our store between calls, checked against the store's
 * version number (hooks.CachingEvidenceStore, store.StoreVersion). A clinician must never be shown
 * yesterday's answer: a result stored, corrected or retracted changes the very next call, and the
 * same call repeated gives the same cards.
 *
 * <p>The EHR here knows the patient but holds no genomic results (prefetch {@code null}), as most
 * EHRs: every card comes from our store. On the PostgreSQL pass the same holds with the version row
 * in PostgreSQL; {@link ReplicasIT} shows it across two processes.
 */
@ExtendWith(SharedServer.class)
class CdsStoreFreshnessIT {

    private static final String MRN = "urn:oid:2.16.840.1.113883.19.5";

    @Test
    void aResultStoredCorrectedOrRetractedIsSeenByTheNextCall(ServerProcess server) {
        String run = UUID.randomUUID().toString();
        Http.Response patient = Http.post(
                server.fhirBase() + "/Patient",
                "{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"" + MRN + "\",\"value\":\"MRN-" + run
                        + "\"}]}");
        assertThat(patient.status()).as(patient.body()).isEqualTo(201);
        String patientId = patient.resource(org.hl7.fhir.r4.model.Patient.class)
                .getIdElement()
                .getIdPart();

        JsonNode untested = card(server, patientId);
        assertThat(untested.path("indicator").asText()).as("no RAS result yet").isEqualTo("warning");
        assertThat(withoutUuids(card(server, patientId)))
                .as("the same call again, from the cache")
                .isEqualTo(withoutUuids(untested));

        Http.Response report = Http.post(server.fhirBase(), Fixtures.genomicReportTransaction(run));
        assertThat(report.status()).as(report.body()).isEqualTo(200);
        JsonNode mutant = card(server, patientId);
        assertThat(mutant.path("indicator").asText())
                .as("the KRAS p.G12D report, one call after it was stored")
                .isEqualTo("critical");
        assertThat(mutant.path("summary").asText()).contains("KRAS p.G12D");
        assertThat(withoutUuids(card(server, patientId)))
                .as("a cached answer served twice is unchanged")
                .isEqualTo(withoutUuids(mutant));

        Bundle found = Http.get(server.fhirBase() + "/Observation?identifier="
                        + Http.urlEncode("urn:example:lab:result|KRAS-" + run))
                .resource(Bundle.class);
        Observation kras = (Observation) found.getEntryFirstRep().getResource();
        kras.setStatus(Observation.ObservationStatus.ENTEREDINERROR);
        Http.Response retracted = Http.put(
                server.fhirBase() + "/Observation/" + kras.getIdElement().getIdPart(), Http.encode(kras));
        assertThat(retracted.status()).as(retracted.body()).isEqualTo(200);
        JsonNode afterRetraction = card(server, patientId);
        assertThat(afterRetraction.path("indicator").asText())
                .as("the KRAS result retracted by the lab")
                .isEqualTo("warning");
        assertThat(afterRetraction.path("summary").asText()).doesNotContain("G12D");

        // A second report, then a conditional delete of its KRAS result (a path of its own in HAPI).
        String again = UUID.randomUUID().toString();
        assertThat(Http.post(
                                server.fhirBase(),
                                Fixtures.genomicReportTransaction(again).replace("MRN-" + again, "MRN-" + run))
                        .status())
                .isEqualTo(200);
        assertThat(card(server, patientId).path("indicator").asText())
                .as("the second report's KRAS p.G12D")
                .isEqualTo("critical");
        Http.Response secondReport = Http.delete(server.fhirBase() + "/DiagnosticReport?identifier="
                + Http.urlEncode("urn:example:lab:report|RPT-" + again));
        assertThat(secondReport.status()).as(secondReport.body()).isBetween(200, 204);
        Http.Response deleted = Http.delete(server.fhirBase() + "/Observation?identifier="
                + Http.urlEncode("urn:example:lab:result|KRAS-" + again));
        assertThat(deleted.status()).as(deleted.body()).isBetween(200, 204);
        assertThat(card(server, patientId).path("indicator").asText())
                .as("after the conditional delete")
                .isEqualTo("warning");
    }

    /** The one card of {@link CdsCalls#orderSignFromStoreOnly}. */
    private static JsonNode card(ServerProcess server, String patientId) {
        return CdsCalls.onlyCard(Http.post(
                server.baseUrl() + "/cds-services/" + CdsServices.ORDER_SIGN_ID,
                CdsCalls.orderSignFromStoreOnly(server.fhirBase(), patientId).toString(),
                "application/json"));
    }

    /** A card without its uuids (new on every call, by the spec), for comparing two answers. */
    static JsonNode withoutUuids(JsonNode node) {
        JsonNode copy = node.deepCopy();
        strip(copy);
        return copy;
    }

    private static void strip(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.remove("uuid");
        }
        node.forEach(CdsStoreFreshnessIT::strip);
    }
}
