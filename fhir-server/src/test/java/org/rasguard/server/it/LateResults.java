package org.rasguard.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DetectedIssue;
import org.rasguard.cdshooks.CdsServices;

/**
 * A late-result DetectedIssue made as the server makes it (issue 18), for tests that need one: the API
 * takes none from clients ({@code ServerOwnedResources}). An order-sign of a cetuximab order while our
 * Patient's RAS status is unknown (read from the server itself as {@code fhirServer}: a RasUnknown
 * warning, no feedback), its decision AuditEvent awaited; then a result that contradicts it is stored
 * and the one DetectedIssue the check stores is awaited.
 */
final class LateResults {

    private LateResults() {}

    /**
     * The order-sign of cetuximab order {@code orderId} on our Patient {@code patientId}, and its decision
     * AuditEvent once the audit writer has stored it (within 10 s).
     */
    static AuditEvent unknownOrderSigned(ServerProcess server, String patientId, String orderId) {
        Bundle orders = CdsCalls.cetuximabOrder(patientId);
        orders.getEntryFirstRep().getResource().setId(orderId);
        ObjectNode call = CdsCalls.request("order-sign", patientId, orders);
        call.put("fhirServer", server.fhirBase());
        JsonNode card = CdsCalls.onlyCard(Http.post(
                server.baseUrl() + "/cds-services/" + CdsServices.ORDER_SIGN_ID, call.toString(), "application/json"));
        assertThat(card.at("/source/topic/code").asText()).as(card.toString()).isEqualTo("RasUnknown");
        String decisions =
                server.fhirBase() + "/AuditEvent?entity-name:exact=" + Http.urlEncode("store:Patient/" + patientId);
        Bundle found = await(decisions, "the decision AuditEvent");
        return (AuditEvent) found.getEntryFirstRep().getResource();
    }

    /**
     * Posts {@code result} (a resource or a transaction Bundle, to {@code path} under the FHIR base) and
     * returns the patient's one DetectedIssue once the late-result check has stored it (within 10 s).
     */
    static DetectedIssue issueAfter(ServerProcess server, String patientId, String path, String result) {
        Http.Response stored = Http.post(server.fhirBase() + path, result);
        assertThat(stored.status()).as(stored.body()).isIn(200, 201);
        Bundle found = await(
                server.fhirBase() + "/DetectedIssue?patient=Patient/" + patientId, "the late-result DetectedIssue");
        return (DetectedIssue) found.getEntryFirstRep().getResource();
    }

    private static Bundle await(String search, String what) {
        for (int i = 0; i < 100; i++) {
            Http.Response response = Http.get(search);
            assertThat(response.status()).as(response.body()).isEqualTo(200);
            Bundle found = response.resource(Bundle.class);
            if (!found.getEntry().isEmpty()) {
                assertThat(found.getEntry()).as(what).hasSize(1);
                return found;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError(what + " was not stored within 10 s");
    }
}
