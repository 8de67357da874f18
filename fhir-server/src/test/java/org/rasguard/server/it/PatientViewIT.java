package org.rasguard.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DetectedIssue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.rasguard.cards.ChartCards;
import org.rasguard.cdshooks.CdsServices;
import org.rasguard.decision.LateResult;

/**
 * The patient-view service ({@value CdsServices#PATIENT_VIEW_ID}) end to end over HTTP, on the packaged
 * server with HAPI JPA: each card, the reminder window kept in the audit trail, and the late-result
 * loop: a DetectedIssue stored by the late-result check itself (an order-sign while the RAS status is
 * unknown, then a KRAS result: the FHIR API takes no such issue from a client), its critical card, the
 * feedback that closes it (a mitigation written through the FHIR store), and the next chart opening
 * without it.
 *
 * <p>The EHR sends its Patient (same MRN as ours), its diagnoses and, where a case needs them, results,
 * orders and specimens as prefetch; its patient-view calls give no FHIR server.
 */
@ExtendWith(SharedServer.class)
class PatientViewIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MRN = "urn:oid:2.16.840.1.113883.19.5";
    private static final String CRC =
            "{\"resourceType\":\"Condition\",\"id\":\"c1\",\"subject\":{\"reference\":\"Patient/%s\"},"
                    + "\"code\":{\"coding\":[{\"system\":\"http://hl7.org/fhir/sid/icd-10-cm\",\"code\":\"C18.7\"}]}}";
    private static final String LIVER =
            "{\"resourceType\":\"Condition\",\"id\":\"m1\",\"subject\":{\"reference\":\"Patient/%s\"},"
                    + "\"recordedDate\":\"2026-06-01\",\"code\":{\"coding\":[{\"system\":\"http://hl7.org/fhir/sid/icd-10-cm\",\"code\":\"C78.7\"}]}}";

    @Test
    void metastaticAndUntestedGetsOneReminderThenNoneWithinTheWindow(ServerProcess server) throws Exception {
        String run = UUID.randomUUID().toString();
        String ehrId = "ehr-" + run;
        ObjectNode call = call(
                ehrId, run, List.of(CRC.formatted(ehrId), LIVER.formatted(ehrId)), List.of(), List.of(), List.of());

        JsonNode first = post(server, call);
        assertThat(topics(first)).containsExactly("info:RasTestingMetastatic");
        JsonNode card = first.get("cards").get(0);
        assertThat(card.get("summary").asText())
                .isEqualTo("Metastatic colorectal cancer: RAS status never tested, order extended RAS testing");
        assertThat(card.at("/suggestions/0/actions/0/resource/code/coding/0/code")
                        .asText())
                .isEqualTo("81420-2");

        awaitDecisionAuditEvents(server, ehrId, 1);
        assertThat(topics(post(
                        server,
                        call(
                                ehrId,
                                UUID.randomUUID().toString(),
                                List.of(CRC.formatted(ehrId), LIVER.formatted(ehrId)),
                                List.of(),
                                List.of(),
                                List.of()))))
                .as("a second chart opening within RASGUARD_REMINDER_DAYS")
                .isEmpty();
    }

    @Test
    void aRasTestAlreadyOrderedSuppressesTheReminder(ServerProcess server) throws Exception {
        String run = UUID.randomUUID().toString();
        String ehrId = "ehr-" + run;
        String order = "{\"resourceType\":\"ServiceRequest\",\"id\":\"sr1\",\"status\":\"active\",\"intent\":\"order\","
                + "\"subject\":{\"reference\":\"Patient/" + ehrId
                + "\"},\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"81420-2\"}]}}";
        assertThat(topics(post(
                        server,
                        call(
                                ehrId,
                                run,
                                List.of(CRC.formatted(ehrId), LIVER.formatted(ehrId)),
                                List.of(),
                                List.of(order),
                                List.of()))))
                .isEmpty();
    }

    @Test
    void aMetastasisAfterAPrimaryOnlyResultGetsTheTestTheMetastasisCard(ServerProcess server) throws Exception {
        String run = UUID.randomUUID().toString();
        String ehrId = "ehr-" + run;
        String specimen =
                "{\"resourceType\":\"Specimen\",\"id\":\"sp1\",\"subject\":{\"reference\":\"Patient/" + ehrId + "\"},"
                        + "\"collection\":{\"collectedDateTime\":\"2026-02-20\",\"bodySite\":{\"text\":\"Sigmoid colon\"}}}";
        List<String> results = List.of(
                negative("k1", ehrId, "HGNC:6407", "KRAS"), negative("n1", ehrId, "HGNC:7989", "NRAS"), specimen);

        JsonNode answer = post(
                server,
                call(ehrId, run, List.of(CRC.formatted(ehrId), LIVER.formatted(ehrId)), results, List.of(), List.of()));

        assertThat(topics(answer)).containsExactly("info:MetastasisRasTesting");
        assertThat(answer.at("/cards/0/summary").asText())
                .isEqualTo("Metastasis documented after the RAS result of 2026-03-05: consider testing the metastasis");
        assertThat(answer.at("/cards/0/detail").asText()).contains("taken from the primary tumour");
    }

    @Test
    void aLateResultIsACriticalCardUntilItsFeedbackClosesIt(ServerProcess server) throws Exception {
        String run = UUID.randomUUID().toString();
        String ehrId = "ehr-" + run;
        String ours = created(
                server,
                "Patient",
                "{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"" + MRN + "\",\"value\":\"MRN-" + run
                        + "\"}]}");
        LateResults.unknownOrderSigned(server, ours, "mr-" + run.substring(0, 8));
        String issue = LateResults.issueAfter(server, ours, "/Observation", krasG12d(ours, run))
                .getIdElement()
                .getIdPart();

        JsonNode answer =
                post(server, call(ehrId, run, List.of(CRC.formatted(ehrId)), List.of(), List.of(), List.of()));
        assertThat(topics(answer)).containsExactly("critical:LateRasResult");
        JsonNode card = answer.get("cards").get(0);
        assertThat(card.get("summary").asText())
                .isEqualTo("Cetuximab order mr-" + run.substring(0, 8)
                        + ": a later RAS result changes its basis, stop or review it");
        assertThat(card.get("detail").asText())
                .contains("KRAS")
                .contains("Gly12Asp")
                .contains("stop the Cetuximab order");

        String stop = ChartCards.suggestionUuid(card.get("uuid").asText(), LateResult.ORDER_STOPPED);
        String accepted = "{\"feedback\":[{\"card\":\"" + card.get("uuid").asText()
                + "\",\"outcome\":\"accepted\",\"acceptedSuggestions\":[{\"id\":\"" + stop
                + "\"}],\"outcomeTimestamp\":\"2026-12-01T12:00:00Z\"}]}";
        Http.Response feedback = Http.post(
                server.baseUrl() + "/cds-services/" + CdsServices.PATIENT_VIEW_ID + "/feedback",
                accepted,
                "application/json");
        assertThat(feedback.status()).as(feedback.body()).isEqualTo(200);
        assertThat(JSON.readTree(feedback.body()).get("closed"))
                .extracting(JsonNode::asText)
                .containsExactly("DetectedIssue/" + issue);

        DetectedIssue closed =
                Http.get(server.fhirBase() + "/DetectedIssue/" + issue).resource(DetectedIssue.class);
        assertThat(closed.getMitigation()).singleElement().satisfies(m -> {
            assertThat(m.getAction().getCodingFirstRep().getSystem()).isEqualTo(LateResult.MITIGATION_SYSTEM);
            assertThat(m.getAction().getCodingFirstRep().getCode()).isEqualTo("order-stopped");
            assertThat(m.hasDate()).isTrue();
        });
        assertThat(closed.getMeta().getVersionId()).isEqualTo("2");

        assertThat(topics(post(
                        server,
                        call(
                                ehrId,
                                UUID.randomUUID().toString(),
                                List.of(CRC.formatted(ehrId)),
                                List.of(),
                                List.of(),
                                List.of()))))
                .as("the next chart opening")
                .isEmpty();
        Http.Response again = Http.post(
                server.baseUrl() + "/cds-services/" + CdsServices.PATIENT_VIEW_ID + "/feedback",
                accepted,
                "application/json");
        assertThat(again.status()).as("the same feedback again changes nothing").isEqualTo(200);
        assertThat(Http.get(server.fhirBase() + "/DetectedIssue/" + issue)
                        .resource(DetectedIssue.class)
                        .getMitigation())
                .hasSize(1);
    }

    @Test
    void anOverrideWithTheReasonReviewedClosesItAsReviewed(ServerProcess server) throws Exception {
        String run = UUID.randomUUID().toString();
        String ehrId = "ehr-" + run;
        String ours = created(
                server,
                "Patient",
                "{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"" + MRN + "\",\"value\":\"MRN-" + run
                        + "\"}]}");
        LateResults.unknownOrderSigned(server, ours, "mr-1");
        String issue = LateResults.issueAfter(server, ours, "/Observation", krasG12d(ours, run))
                .getIdElement()
                .getIdPart();
        JsonNode card = post(server, call(ehrId, run, List.of(CRC.formatted(ehrId)), List.of(), List.of(), List.of()))
                .get("cards")
                .get(0);

        Http.Response feedback = Http.post(
                server.baseUrl() + "/cds-services/" + CdsServices.PATIENT_VIEW_ID + "/feedback",
                "{\"feedback\":[{\"card\":\"" + card.get("uuid").asText()
                        + "\",\"outcome\":\"overridden\",\"overrideReason\":{\"reason\":"
                        + "{\"system\":\"" + LateResult.MITIGATION_SYSTEM
                        + "\",\"code\":\"order-reviewed\",\"display\":\"Anti-EGFR order reviewed\"}},"
                        + "\"outcomeTimestamp\":\"2026-12-01T12:00:00Z\"}]}",
                "application/json");

        assertThat(feedback.status()).as(feedback.body()).isEqualTo(200);
        assertThat(Http.get(server.fhirBase() + "/DetectedIssue/" + issue)
                        .resource(DetectedIssue.class)
                        .getMitigationFirstRep()
                        .getAction()
                        .getCodingFirstRep()
                        .getCode())
                .isEqualTo("order-reviewed");
    }

    @Test
    void aPatientViewWithoutPatientIdIs400WithAStableCode(ServerProcess server) throws Exception {
        ObjectNode call = call("p1", UUID.randomUUID().toString(), List.of(), List.of(), List.of(), List.of());
        ((ObjectNode) call.get("context")).remove("patientId");
        Http.Response response = Http.post(
                server.baseUrl() + "/cds-services/" + CdsServices.PATIENT_VIEW_ID, call.toString(), "application/json");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body()).contains("missing-patient-id").doesNotContain("Exception");
    }

    // ------------------------------------------------------------------ helpers

    private static ObjectNode call(
            String ehrId,
            String run,
            List<String> conditions,
            List<String> results,
            List<String> orders,
            List<String> specimens)
            throws Exception {
        ObjectNode request = JSON.createObjectNode();
        request.put("hook", "patient-view");
        request.put("hookInstance", UUID.randomUUID().toString());
        ObjectNode context = request.putObject("context");
        context.put("patientId", ehrId);
        context.put("userId", "Practitioner/dr-1");
        ObjectNode prefetch = request.putObject("prefetch");
        prefetch.set(
                "patient",
                JSON.readTree("{\"resourceType\":\"Patient\",\"id\":\"" + ehrId + "\",\"identifier\":[{\"system\":\""
                        + MRN + "\",\"value\":\"MRN-" + run + "\"}]}"));
        prefetch.set("conditions", searchset(conditions));
        prefetch.set("observations", searchset(results));
        prefetch.set("reports", searchset(List.of()));
        prefetch.set("serviceRequests", searchset(orders));
        prefetch.set("specimens", searchset(specimens));
        prefetch.set("staging", searchset(List.of()));
        return request;
    }

    private static ObjectNode searchset(List<String> resources) throws Exception {
        ObjectNode bundle = JSON.createObjectNode();
        bundle.put("resourceType", "Bundle");
        bundle.put("type", "searchset");
        ArrayNode entries = bundle.putArray("entry");
        for (String resource : resources) {
            entries.addObject().set("resource", JSON.readTree(resource));
        }
        return bundle;
    }

    private static JsonNode post(ServerProcess server, ObjectNode call) throws Exception {
        Http.Response response = Http.post(
                server.baseUrl() + "/cds-services/" + CdsServices.PATIENT_VIEW_ID, call.toString(), "application/json");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static List<String> topics(JsonNode response) {
        List<String> out = new ArrayList<>();
        response.get("cards")
                .forEach(card -> out.add(card.get("indicator").asText() + ":"
                        + card.at("/source/topic/code").asText()));
        return out;
    }

    /** Waits until the audit writer (off the call's thread, every 50 ms) has stored the patient's patient-view decisions. */
    private static void awaitDecisionAuditEvents(ServerProcess server, String ehrId, int count)
            throws InterruptedException {
        String url = server.fhirBase() + "/AuditEvent?subtype="
                + Http.urlEncode("http://rasguard.org/fhir/CodeSystem/cds-hook|patient-view") + "&entity-name:exact="
                + Http.urlEncode("Patient/" + ehrId);
        for (int i = 0; i < 100; i++) {
            Bundle found = Http.get(url).resource(Bundle.class);
            if (found.getEntry().size() >= count) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the decision AuditEvent was not written within 10 s");
    }

    private static String created(ServerProcess server, String type, String body) {
        Http.Response response = Http.post(server.fhirBase() + "/" + type, body);
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        try {
            return JSON.readTree(response.body()).get("id").asText();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String negative(String id, String ehrId, String hgnc, String gene) {
        return "{\"resourceType\":\"Observation\",\"id\":\"" + id
                + "\",\"status\":\"final\",\"subject\":{\"reference\":\"Patient/" + ehrId + "\"},"
                + "\"effectiveDateTime\":\"2026-03-05\",\"specimen\":{\"reference\":\"Specimen/sp1\"},"
                + "\"category\":[{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/observation-category\",\"code\":\"laboratory\"}]}],"
                + "\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"69548-6\"}]},"
                + "\"valueCodeableConcept\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"LA9634-2\",\"display\":\"Absent\"}]},"
                + "\"method\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"LA26398-0\",\"display\":\"Sequencing\"}]},"
                + "\"component\":[{\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"48018-6\"}]},"
                + "\"valueCodeableConcept\":{\"coding\":[{\"system\":\"http://www.genenames.org\",\"code\":\"" + hgnc
                + "\",\"display\":\"" + gene + "\"}]}}]}";
    }

    private static String krasG12d(String patientId, String run) {
        return "{\"resourceType\":\"Observation\",\"status\":\"final\",\"identifier\":[{\"system\":\"urn:example:lab:result\",\"value\":\"PV-"
                + run + "\"}],"
                + "\"category\":[{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/observation-category\",\"code\":\"laboratory\"}]},"
                + "{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/v2-0074\",\"code\":\"GE\"}]}],"
                + "\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"69548-6\",\"display\":\"Genetic variant assessment\"}]},"
                + "\"subject\":{\"reference\":\"Patient/" + patientId + "\"},\"effectiveDateTime\":\"2026-11-20\","
                + "\"valueCodeableConcept\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"LA9633-4\",\"display\":\"Present\"}]},"
                + "\"component\":[{\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"48018-6\"}]},"
                + "\"valueCodeableConcept\":{\"coding\":[{\"system\":\"http://www.genenames.org\",\"code\":\"HGNC:6407\",\"display\":\"KRAS\"}]}},"
                + "{\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"48005-3\"}]},"
                + "\"valueCodeableConcept\":{\"coding\":[{\"system\":\"http://varnomen.hgvs.org\",\"code\":\"NP_004976.2:p.(Gly12Asp)\"}]}}]}";
    }
}
