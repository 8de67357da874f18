package org.rasguard.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Parameters;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.rasguard.cdshooks.CdsServices;

/**
 * Issue 16 row 9: feedback counts in {@code $cds-report}, so it is taken only for a card this service
 * issued, with an override reason that card offered and a card id of bounded length; anything else is
 * a 400 with a stable code, and nothing is stored. Feedback that changes an earlier outcome is added
 * (the earlier one stays, marked as superseded), and the report says the latest counts.
 * (After a restart and on another replica: {@code DurabilityIT}, {@code ReplicasIT}.)
 */
@ExtendWith(SharedServer.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AttackFeedbackIT {

    private static final String FEEDBACK = "/cds-services/" + CdsServices.ORDER_SIGN_ID + "/feedback";
    private static final String REASONS = "http://rasguard.org/fhir/CodeSystem/cds-override-reason";
    private Instant started;
    private String card;
    private String suggestion;

    @BeforeAll
    void issueACard(ServerProcess server) {
        started = Instant.now().minusSeconds(1);
        Http.Response stored = Http.post(
                server.fhirBase(),
                Fixtures.genomicReportTransaction(UUID.randomUUID().toString()));
        assertThat(stored.status()).as(stored.body()).isEqualTo(200);
        String patient = stored.resource(Bundle.class)
                .getEntryFirstRep()
                .getResponse()
                .getLocation()
                .split("/")[1];
        JsonNode issued = CdsCalls.onlyCard(Http.post(
                server.baseUrl() + "/cds-services/" + CdsServices.ORDER_SIGN_ID,
                CdsCalls.orderSignFromStoreOnly(server.fhirBase(), patient).toString(),
                "application/json"));
        card = issued.path("uuid").asText();
        suggestion = issued.at("/suggestions/0/uuid").asText();
        assertThat(issued.path("overrideReasons").toString()).contains("clinical-trial");
    }

    @Test
    void feedbackForACardNeverIssuedIs400AndNotStored(ServerProcess server) {
        String never = UUID.randomUUID().toString();
        Http.Response answer = post(server, overridden(never, REASONS, "clinical-trial"));
        assertError(answer, "unknown-card");
        assertThat(feedbackEvents(server, never)).isEmpty();
    }

    @Test
    void anOverrideReasonTheCardDidNotOfferIs400(ServerProcess server) {
        assertError(post(server, overridden(card, "urn:epic", "7")), "override-reason-not-offered");
        assertError(post(server, overridden(card, REASONS, "invented-reason")), "override-reason-not-offered");
        assertError(post(server, """
                {"feedback":[{"card":"%s","outcome":"overridden","outcomeTimestamp":"2026-11-29T10:02:00Z",
                  "overrideReasons":[{"reason":{"system":"urn:epic","code":"7","display":"Benefit outweighs risk"}}]}]}
                """.formatted(card)), "override-reason-not-offered");
    }

    @Test
    void aCardIdLongerThanAUuidIs400NotA500(ServerProcess server) {
        for (int length : new int[] {129, 769, 100_000}) {
            assertError(post(server, overridden("c".repeat(length), REASONS, "clinical-trial")), "invalid-feedback");
        }
    }

    @Test
    void changedFeedbackIsKeptAsHistoryAndTheReportCountsTheLatest(ServerProcess server) {
        Http.Response first = post(server, overridden(card, REASONS, "clinical-trial"));
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        Http.Response second = post(server, """
                {"feedback":[{"card":"%s","outcome":"accepted","outcomeTimestamp":"2026-11-29T10:05:00Z",
                  "acceptedSuggestions":[{"id":"%s"}]}]}""".formatted(card, suggestion));
        assertThat(second.status()).as(second.body()).isEqualTo(200);

        List<AuditEvent> events = feedbackEvents(server, card);
        assertThat(events)
                .extracting(event -> event.getSubtypeFirstRep().getCode())
                .contains("overridden", "accepted");
        AuditEvent accepted = events.stream()
                .filter(event -> event.getSubtypeFirstRep().getCode().equals("accepted"))
                .findFirst()
                .orElseThrow();
        String firstId = CdsCalls.json(first.body()).path("stored").get(0).asText();
        assertThat(Http.encode(accepted))
                .as("the accepted feedback names the one it supersedes")
                .contains("supersedes", firstId);

        Parameters report = Http.get(server.fhirBase() + "/$cds-report?start=" + Http.urlEncode(started.toString()))
                .resource(Parameters.class);
        assertThat(report.getParameter("feedbackCounted").getValue().primitiveValue())
                .isEqualTo("latest");
        assertThat(((org.hl7.fhir.r4.model.IntegerType)
                                report.getParameter("feedbackSuperseded").getValue())
                        .getValue())
                .isGreaterThanOrEqualTo(1);
    }

    private static String overridden(String card, String system, String code) {
        return """
                {"feedback":[{"card":"%s","outcome":"overridden","outcomeTimestamp":"2026-11-29T10:00:00Z",
                  "overrideReason":{"reason":{"system":"%s","code":"%s"},"userComment":"attack"}}]}""".formatted(card, system, code);
    }

    private static Http.Response post(ServerProcess server, String body) {
        return Http.post(server.baseUrl() + FEEDBACK, body, "application/json");
    }

    private static void assertError(Http.Response answer, String code) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(400);
        assertThat(CdsCalls.json(answer.body())
                        .at("/issue/0/details/coding/0/code")
                        .asText())
                .as(answer.body())
                .isEqualTo(code);
    }

    private static List<AuditEvent> feedbackEvents(ServerProcess server, String card) {
        Http.Response found = Http.send(HttpRequest.newBuilder(
                        URI.create(server.fhirBase() + "/AuditEvent?entity-name=" + Http.urlEncode(card)))
                .header("Accept", "application/fhir+json")
                .header("Cache-Control", "no-cache")
                .GET());
        return found.resource(Bundle.class).getEntry().stream()
                .map(entry -> (AuditEvent) entry.getResource())
                .filter(event -> event.getType().getCode().equals("cds-hooks-feedback"))
                .toList();
    }
}
