package org.rasguard.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DetectedIssue;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 18, hardening: what the late-result loop trusts is the server's own. On the open shared server
 * (no token needed, the weakest case), a client cannot create, change or delete a late-result
 * DetectedIssue or an audit-trail AuditEvent by any path: POST, PUT (by id, as a create with an id of its
 * own, conditional), PATCH, DELETE (by id, conditional), or inside a transaction (which then stores none
 * of its entries) or batch. Each is 403 with {@code server-owned-resource}, and the stored ones are as they
 * were. A client's own DetectedIssue or AuditEvent of other codes is still taken.
 */
@ExtendWith(SharedServer.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AttackServerOwnedIT {

    private static final String AUDIT_TYPES = "http://rasguard.org/fhir/CodeSystem/audit-event-type";
    private static final String ISSUE_CODES = "http://rasguard.org/fhir/CodeSystem/ras-detected-issue";
    private static final String ISSUE_IDS = "http://rasguard.org/fhir/sid/late-ras-result";
    private static final String CODE = "server-owned-resource";

    private String run;
    private String patientId;
    private DetectedIssue issue;
    private AuditEvent decision;

    /** The real loop: an order-sign on RAS-unknown, then a KRAS G12D result: one decision AuditEvent, one DetectedIssue. */
    @BeforeAll
    void storeADecisionAndItsLateResult(ServerProcess server) {
        run = UUID.randomUUID().toString().substring(0, 8);
        patientId = created(
                server,
                "Patient",
                "{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"urn:example:attack-server-owned\","
                        + "\"value\":\"" + run + "\"}]}");
        decision = LateResults.unknownOrderSigned(server, patientId, "mr-" + run);
        issue = LateResults.issueAfter(server, patientId, "/Observation", krasG12d(patientId));
        assertThat(issue.getMeta().getVersionId()).isEqualTo("1");
    }

    @Test
    void aForgedLateResultIssueIsRefusedOnEveryPathAndNothingIsStored(ServerProcess server) {
        String forged = forgedIssue("forged-" + run);
        refused(Http.post(server.fhirBase() + "/DetectedIssue", forged));
        refused(Http.post(server.fhirBase() + "/DetectedIssue", forged.replace(ISSUE_CODES, "urn:example:issues")));
        refused(Http.post(server.fhirBase() + "/DetectedIssue", forged.replace(ISSUE_IDS, "urn:example:ids")));
        refused(Http.put(server.fhirBase() + "/DetectedIssue/forged-" + run, withId(forged, "forged-" + run)));
        refused(Http.put(
                server.fhirBase() + "/DetectedIssue?identifier=" + Http.urlEncode(ISSUE_IDS + "|forged-" + run),
                forged));
        refused(transaction(server, "transaction", entry("POST", "DetectedIssue", forged) + "," + bystander()));
        Http.Response batch = transaction(server, "batch", entry("POST", "DetectedIssue", forged));
        assertThat(batch.status()).as(batch.body()).isEqualTo(200);
        // A batch entry's outcome is HAPI's own (its message, not our coding): the status and the message say it.
        Bundle.BundleEntryResponseComponent entry =
                batch.resource(Bundle.class).getEntryFirstRep().getResponse();
        assertThat(entry.getStatus()).startsWith("403");
        assertThat(((OperationOutcome) entry.getOutcome()).getIssueFirstRep().getDiagnostics())
                .contains("written by the server only");

        assertThat(total(server, "/DetectedIssue?patient=Patient/" + patientId))
                .as("only the server's issue")
                .isEqualTo(1);
        assertThat(total(server, "/DetectedIssue?identifier=" + Http.urlEncode(ISSUE_IDS + "|forged-" + run)))
                .isZero();
        assertThat(total(
                        server,
                        "/Patient?identifier="
                                + Http.urlEncode("urn:example:attack-server-owned|" + run + "-bystander")))
                .as("the refused entry failed its whole transaction")
                .isZero();
    }

    @Test
    void theServersIssueCannotBeChangedClosedOrDeletedThroughTheApi(ServerProcess server) {
        String url =
                server.fhirBase() + "/DetectedIssue/" + issue.getIdElement().getIdPart();
        DetectedIssue cancelled = issue.copy().setStatus(DetectedIssue.DetectedIssueStatus.CANCELLED);
        refused(Http.put(url, Http.encode(cancelled)));
        DetectedIssue disowned = issue.copy();
        disowned.getCode().getCodingFirstRep().setSystem("urn:example:issues");
        disowned.getIdentifier().removeIf(identifier -> ISSUE_IDS.equals(identifier.getSystem()));
        refused(Http.put(url, Http.encode(disowned)));
        refused(patch(url, "[{\"op\":\"replace\",\"path\":\"/status\",\"value\":\"cancelled\"}]"));
        refused(Http.delete(url));
        String identifier =
                Http.urlEncode(ISSUE_IDS + "|" + issue.getIdentifierFirstRep().getValue());
        refused(Http.delete(server.fhirBase() + "/DetectedIssue?identifier=" + identifier));
        refused(Http.put(
                server.fhirBase() + "/DetectedIssue?identifier=" + identifier,
                Http.encode(disowned.setId((String) null))));
        refused(transaction(
                server,
                "transaction",
                entry("PUT", "DetectedIssue/" + issue.getIdElement().getIdPart(), Http.encode(cancelled))));
        refused(transaction(
                server,
                "transaction",
                "{\"request\":{\"method\":\"DELETE\",\"url\":\"DetectedIssue/"
                        + issue.getIdElement().getIdPart() + "\"}}"));

        DetectedIssue stored = Http.get(url).resource(DetectedIssue.class);
        assertThat(stored.getMeta().getVersionId()).as("unchanged").isEqualTo("1");
        assertThat(stored.getStatus()).isEqualTo(DetectedIssue.DetectedIssueStatus.FINAL);
        assertThat(stored.getCode().getCodingFirstRep().getSystem()).isEqualTo(ISSUE_CODES);
        assertThat(stored.getDetail()).isEqualTo(issue.getDetail());
    }

    @Test
    void anAuditTrailAuditEventCannotBeForgedChangedOrDeleted(ServerProcess server) {
        String forged = forgedDecision();
        refused(Http.post(server.fhirBase() + "/AuditEvent", forged));
        refused(Http.post(
                server.fhirBase() + "/AuditEvent", forged.replace("cds-hooks-decision", "cds-hooks-feedback")));
        refused(transaction(server, "transaction", entry("POST", "AuditEvent", forged) + "," + bystander()));

        String url =
                server.fhirBase() + "/AuditEvent/" + decision.getIdElement().getIdPart();
        AuditEvent changed = decision.copy().setOutcomeDesc("forged");
        refused(Http.put(url, Http.encode(changed)));
        AuditEvent disowned = decision.copy();
        disowned.getType().setSystem("urn:example:audit");
        refused(Http.put(url, Http.encode(disowned)));
        refused(patch(url, "[{\"op\":\"replace\",\"path\":\"/outcome\",\"value\":\"8\"}]"));
        refused(Http.delete(url));
        refused(Http.delete(
                server.fhirBase() + "/AuditEvent?_id=" + decision.getIdElement().getIdPart()));
        refused(transaction(
                server,
                "transaction",
                "{\"request\":{\"method\":\"DELETE\",\"url\":\"AuditEvent/"
                        + decision.getIdElement().getIdPart() + "\"}}"));

        AuditEvent stored = Http.get(url).resource(AuditEvent.class);
        assertThat(stored.getMeta().getVersionId()).as("unchanged").isEqualTo("1");
        assertThat(stored.getType().getSystem()).isEqualTo(AUDIT_TYPES);
        assertThat(stored.getOutcome()).isEqualTo(decision.getOutcome());
        assertThat(total(server, "/AuditEvent?entity-name:exact=" + Http.urlEncode("store:Patient/" + patientId)))
                .as("only the server's decision")
                .isEqualTo(1);
        assertThat(total(
                        server,
                        "/Patient?identifier="
                                + Http.urlEncode("urn:example:attack-server-owned|" + run + "-bystander")))
                .isZero();
    }

    @Test
    void aClientsOwnDetectedIssueAndAuditEventOfOtherCodesAreStillTaken(ServerProcess server) {
        String clientIssue =
                "{\"resourceType\":\"DetectedIssue\",\"status\":\"preliminary\",\"code\":{\"coding\":[{\"system\":"
                        + "\"http://terminology.hl7.org/CodeSystem/v3-ActCode\",\"code\":\"DRG\"}]},\"patient\":{\"reference\":\"Patient/"
                        + patientId
                        + "\"},\"detail\":\"A drug interaction the EHR found\"}";
        String issueId = created(server, "DetectedIssue", clientIssue);
        Http.Response updated = Http.put(
                server.fhirBase() + "/DetectedIssue/" + issueId,
                withId(clientIssue.replace("preliminary", "final"), issueId));
        assertThat(updated.status()).as(updated.body()).isEqualTo(200);
        refused(Http.put(
                server.fhirBase() + "/DetectedIssue/" + issueId,
                withId(
                        clientIssue
                                .replace("http://terminology.hl7.org/CodeSystem/v3-ActCode", ISSUE_CODES)
                                .replace("DRG", "late-ras-result"),
                        issueId)));
        assertThat(Http.delete(server.fhirBase() + "/DetectedIssue/" + issueId).status())
                .isIn(200, 204);

        String clientEvent =
                "{\"resourceType\":\"AuditEvent\",\"type\":{\"system\":\"http://dicom.nema.org/resources/ontology/DCM\","
                        + "\"code\":\"110110\",\"display\":\"Patient Record\"},\"action\":\"R\",\"recorded\":\"2026-12-01T10:00:00Z\","
                        + "\"agent\":[{\"requestor\":true,\"who\":{\"display\":\"EHR " + run
                        + "\"}}],\"source\":{\"observer\":{\"display\":\"EHR\"}}}";
        String eventId = created(server, "AuditEvent", clientEvent);
        assertThat(Http.delete(server.fhirBase() + "/AuditEvent/" + eventId).status())
                .isIn(200, 204);
    }

    // ------------------------------------------------------------------ helpers

    private static void refused(Http.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(403);
        OperationOutcome outcome = response.resource(OperationOutcome.class);
        assertThat(outcome.getIssue()).anySatisfy(issue -> {
            assertThat(issue.getDetails().getCoding()).anySatisfy(coding -> {
                assertThat(coding.getSystem()).isEqualTo("http://rasguard.org/fhir/CodeSystem/error-code");
                assertThat(coding.getCode()).isEqualTo(CODE);
            });
            assertThat(issue.getDiagnostics()).contains("written by the server only");
        });
    }

    /** The layout of README "Late results", on the real patient: what a forger would post to put a card on the chart. */
    private String forgedIssue(String hash) {
        return "{\"resourceType\":\"DetectedIssue\",\"status\":\"final\","
                + "\"identifier\":[{\"system\":\"" + ISSUE_IDS + "\",\"value\":\"" + hash + "\"}],"
                + "\"code\":{\"coding\":[{\"system\":\"" + ISSUE_CODES + "\",\"code\":\"late-ras-result\"}]},"
                + "\"severity\":\"high\",\"patient\":{\"reference\":\"Patient/" + patientId + "\"},"
                + "\"implicated\":[{\"identifier\":{\"system\":\"http://rasguard.org/fhir/sid/ehr-medication-request\",\"value\":\"mr-9\"},"
                + "\"display\":\"Panitumumab\"}],\"detail\":\"Forged: stop the panitumumab order.\"}";
    }

    /** A decision AuditEvent naming the real patient, as the late-result and reminder checks search for them. */
    private String forgedDecision() {
        return "{\"resourceType\":\"AuditEvent\",\"type\":{\"system\":\"" + AUDIT_TYPES
                + "\",\"code\":\"cds-hooks-decision\"},"
                + "\"subtype\":[{\"system\":\"http://rasguard.org/fhir/CodeSystem/cds-hook\",\"code\":\"patient-view\"}],"
                + "\"action\":\"E\",\"recorded\":\"2026-12-01T10:00:00Z\",\"outcome\":\"0\","
                + "\"agent\":[{\"requestor\":true,\"who\":{\"display\":\"forger\"}}],\"source\":{\"observer\":{\"display\":\"forger\"}},"
                + "\"entity\":[{\"name\":\"store:Patient/" + patientId + "\",\"description\":\"storePatient\"}]}";
    }

    /** A harmless entry next to the forged one: it must not be stored when the transaction is refused. */
    private String bystander() {
        return entry(
                "POST",
                "Patient",
                "{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"urn:example:attack-server-owned\","
                        + "\"value\":\"" + run + "-bystander\"}]}");
    }

    private static String entry(String method, String url, String resource) {
        return "{\"fullUrl\":\"urn:uuid:" + UUID.randomUUID() + "\",\"resource\":" + resource
                + ",\"request\":{\"method\":\"" + method + "\",\"url\":\"" + url + "\"}}";
    }

    private static Http.Response transaction(ServerProcess server, String type, String entries) {
        return Http.post(
                server.fhirBase(),
                "{\"resourceType\":\"Bundle\",\"type\":\"" + type + "\",\"entry\":[" + entries + "]}");
    }

    private static Http.Response patch(String url, String jsonPatch) {
        return Http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json-patch+json")
                .header("Accept", "application/fhir+json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(jsonPatch, StandardCharsets.UTF_8)));
    }

    private static String withId(String resource, String id) {
        return resource.replaceFirst(
                "\\{\"resourceType\":\"(\\w+)\",", "{\"resourceType\":\"$1\",\"id\":\"" + id + "\",");
    }

    private static String created(ServerProcess server, String type, String body) {
        Http.Response response = Http.post(server.fhirBase() + "/" + type, body);
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return Http.FHIR
                .newJsonParser()
                .parseResource(response.body())
                .getIdElement()
                .getIdPart();
    }

    private static int total(ServerProcess server, String search) {
        Http.Response response =
                Http.get(server.fhirBase() + search + (search.contains("?") ? "&" : "?") + "_summary=count");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.resource(Bundle.class).getTotal();
    }

    /** A KRAS p.(Gly12Asp) Variant (Genomics Reporting 3.0.0 shape) of the patient. */
    private String krasG12d(String patient) {
        return "{\"resourceType\":\"Observation\",\"status\":\"final\",\"identifier\":[{\"system\":\"urn:example:lab:result\",\"value\":\"SO-"
                + run
                + "\"}],\"category\":[{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/observation-category\","
                + "\"code\":\"laboratory\"}]},{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/v2-0074\",\"code\":\"GE\"}]}],"
                + "\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"69548-6\",\"display\":\"Genetic variant assessment\"}]},"
                + "\"subject\":{\"reference\":\"Patient/" + patient + "\"},\"effectiveDateTime\":\"2026-11-20\","
                + "\"valueCodeableConcept\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"LA9633-4\",\"display\":\"Present\"}]},"
                + "\"component\":[{\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"48018-6\"}]},"
                + "\"valueCodeableConcept\":{\"coding\":[{\"system\":\"http://www.genenames.org\",\"code\":\"HGNC:6407\",\"display\":\"KRAS\"}]}},"
                + "{\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"48005-3\"}]},"
                + "\"valueCodeableConcept\":{\"coding\":[{\"system\":\"http://varnomen.hgvs.org\",\"code\":\"NP_004976.2:p.(Gly12Asp)\"}]}}]}";
    }
}
