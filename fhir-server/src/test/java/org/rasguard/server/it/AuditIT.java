package org.rasguard.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.rasguard.cdshooks.CdsScenarios.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.rasguard.cdshooks.CdsScenarios.Scenario;
import org.rasguard.cdshooks.CdsServices;

/**
 * Acts as an EHR: seven order-sign calls for three patients of its own and feedback on five of the
 * six cards, then reads the audit trail back: one AuditEvent per call with who, whom, which orders,
 * the verdict and why, the cards, the evidence and the time taken, never the token; the chain card →
 * feedback; and the {@code $cds-report} counts for the time window of these calls (the shared server
 * runs one test class at a time, so nothing else is decided in it).
 */
@ExtendWith(SharedServer.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TYPE = "http://rasguard.org/fhir/CodeSystem/audit-event-type";
    private static final String TOKEN = "audit-it-secret-" + UUID.randomUUID();
    private static final String USER = "Practitioner/audit-it";

    /** A call made: its hookInstance, the patient, the cards it returned (uuid → topic) and the verdict expected. */
    record Call(String hookInstance, String patientId, Map<String, String> cards, String verdict, JsonNode response) {}

    private final List<Call> calls = new ArrayList<>();
    private Instant windowStart;
    private Instant windowEnd;
    private String mutantPatient;

    @BeforeAll
    void callAndGiveFeedback(ServerProcess server) {
        Scenario mutant = scenario("audit-mutant")
                .crc()
                .evidence(kras("NP_004976.2:p.Gly12Asp"))
                .order(cetuximab())
                .build();
        Scenario unknown = scenario("audit-unknown").crc().order(panitumumab()).build();
        Scenario g12c = scenario("audit-g12c")
                .crc()
                .evidence(kras("NP_004976.2:p.Gly12Cys"))
                .order(panitumumab())
                .order(sotorasib())
                .build();
        Scenario noAntibody = scenario("audit-no-antibody")
                .crc()
                .order(drug(RXNORM, "32592", "oxaliplatin"))
                .build();
        mutantPatient = post(server, mutant).get("patient");
        String unknownPatient = post(server, unknown).get("patient");
        String g12cPatient = post(server, g12c).get("patient");

        windowStart = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        for (int i = 0; i < 3; i++) {
            calls.add(call(server, mutant, mutantPatient, "mutated"));
        }
        for (int i = 0; i < 2; i++) {
            calls.add(call(server, unknown, unknownPatient, "unknown"));
        }
        calls.add(call(server, g12c, g12cPatient, "mutated"));
        calls.add(call(server, noAntibody, mutantPatient, "not-assessed")); // the oxaliplatin order: no RAS check
        windowEnd = Instant.now().plusMillis(1);

        List<String> mutantCards = cardsOf(calls.subList(0, 3));
        List<String> unknownCards = cardsOf(calls.subList(3, 5));
        String combinationCard = cardsOf(calls.subList(5, 6)).get(0);
        assertThat(mutantCards).hasSize(3);
        assertThat(unknownCards).hasSize(2);
        feedback(
                server,
                overridden(mutantCards.get(0), "clinical-trial", null),
                overridden(mutantCards.get(1), "clinical-trial", "on trial X"));
        feedback(server, accepted(calls.get(2)));
        feedback(server, overridden(unknownCards.get(0), "result-under-review", null));
        feedback(server, accepted(calls.get(5)));
        // unknownCards.get(1): no feedback
        assertThat(combinationCard).isNotNull();
    }

    @Test
    void everyCallIsOneAuditEventWithWhoWhomWhatVerdictCardsEvidenceAndTimeButNoToken(ServerProcess server)
            throws Exception {
        Bundle decisions = decisionsInWindow(server, calls.size());
        assertThat(decisions.getEntry()).hasSize(calls.size());
        String raw = Http.encode(decisions);
        assertThat(raw)
                .doesNotContain(TOKEN)
                .doesNotContain("access_token")
                .doesNotContain("draftOrders")
                .doesNotContain("prefetch");

        Map<String, AuditEvent> byHookInstance = new HashMap<>();
        for (Bundle.BundleEntryComponent entry : decisions.getEntry()) {
            AuditEvent event = (AuditEvent) entry.getResource();
            byHookInstance.put(entity(event, "hookInstance").getName(), event);
        }
        assertThat(byHookInstance.keySet())
                .containsExactlyInAnyOrderElementsOf(
                        calls.stream().map(Call::hookInstance).toList());
        for (Call call : calls) {
            AuditEvent event = byHookInstance.get(call.hookInstance());
            assertThat(event.getSubtypeFirstRep().getCode()).isEqualTo("order-sign");
            assertThat(event.getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._0);
            assertThat(event.getRecorded()).isNotNull();
            assertThat(event.getAgentFirstRep().getAltId()).isEqualTo(USER);
            assertThat(entity(event, "patient").getName()).isEqualTo("Patient/" + call.patientId());
            AuditEvent.AuditEventEntityComponent decision = entity(event, "hookInstance");
            assertThat(detail(decision, "verdict")).isEqualTo(call.verdict());
            assertThat(detail(decision, "service")).isEqualTo(CdsServices.ORDER_SIGN_ID);
            assertThat(Double.parseDouble(detail(decision, "durationMs"))).isPositive();
            Map<String, String> cards = new LinkedHashMap<>();
            event.getEntity().stream()
                    .filter(e -> "card".equals(e.getDescription()))
                    .forEach(card -> cards.put(card.getName(), detail(card, "topic")));
            assertThat(cards).isEqualTo(call.cards());
            if (call.verdict().equals("not-assessed")) {
                assertThat(event.getEntity())
                        .noneMatch(e -> "order".equals(e.getDescription()) || "evidence".equals(e.getDescription()));
            } else {
                AuditEvent.AuditEventEntityComponent order = entity(event, "order");
                assertThat(order.getWhat().getIdentifier().getValue()).isEqualTo("MedicationRequest/order-1");
                assertThat(detail(order, "drug")).isIn("cetuximab", "panitumumab");
            }
            if (call.verdict().equals("mutated")) {
                AuditEvent.AuditEventEntityComponent evidence = entity(event, "evidence");
                assertThat(evidence.getWhat().getIdentifier().getValue()).startsWith("Observation/");
                assertThat(detail(evidence, "gene")).isEqualTo("KRAS");
                assertThat(detail(evidence, "call")).isEqualTo("mutated");
            }
            if (call.verdict().equals("unknown")) {
                assertThat(decision.getDetail())
                        .anyMatch(d -> d.getType().equals("reason")
                                && d.getValueStringType().getValue().equals("not-tested"));
            }
        }
    }

    @Test
    void aCardsDecisionAndItsFeedbackReadBackTogetherAndByPatient(ServerProcess server) {
        decisionsInWindow(server, calls.size());
        String card = cardsOf(calls.subList(0, 1)).get(0);
        Bundle chain = search(server.fhirBase() + "/AuditEvent?entity-name=" + card);
        assertThat(chain.getEntry()).hasSize(2);
        AuditEvent decision = null;
        AuditEvent feedback = null;
        for (Bundle.BundleEntryComponent entry : chain.getEntry()) {
            AuditEvent event = (AuditEvent) entry.getResource();
            if (event.getType().getCode().equals("cds-hooks-decision")) {
                decision = event;
            } else {
                feedback = event;
            }
        }
        assertThat(decision).isNotNull();
        assertThat(feedback).isNotNull();
        assertThat(feedback.getSubtypeFirstRep().getCode()).isEqualTo("overridden");
        AuditEvent.AuditEventEntityComponent answered = entity(feedback, "card");
        assertThat(detail(answered, "topic")).isEqualTo("RasMutant");
        assertThat(detail(answered, "overrideReason")).endsWith("|clinical-trial");
        assertThat(entity(feedback, "hookInstance").getName())
                .isEqualTo(entity(decision, "hookInstance").getName());
        assertThat(detail(entity(decision, "card"), "order")).isEqualTo("MedicationRequest/order-1");

        Bundle ofPatient = search(server.fhirBase() + "/AuditEvent?type=" + Http.urlEncode(TYPE + "|cds-hooks-decision")
                + "&entity-name:exact=" + Http.urlEncode("Patient/" + mutantPatient) + "&_count=50");
        assertThat(ofPatient.getEntry()).hasSize(4); // three cetuximab orders and the oxaliplatin one
    }

    /**
     * The searches the README gives integrators (besides entity-name and type above) still find the trail,
     * and the built-in parameters the store no longer indexes are refused as unknown, not answered empty:
     * an integrator is told, never given a silently wrong list.
     */
    @Test
    void theDocumentedSearchesFindTheTrailAndParametersNotIndexedAreRefused(ServerProcess server) {
        decisionsInWindow(server, calls.size());
        String since = "&date=" + Http.urlEncode("ge" + windowStart);
        Bundle byClinician =
                search(server.fhirBase() + "/AuditEvent?altid=" + Http.urlEncode(USER) + since + "&_count=100");
        assertThat(byClinician.getEntry()).hasSize(calls.size());
        Bundle overrides = search(server.fhirBase() + "/AuditEvent?type=" + Http.urlEncode(TYPE + "|cds-hooks-feedback")
                + "&subtype=overridden" + since + "&_count=100");
        assertThat(overrides.getEntry()).hasSize(3);
        Bundle ofCall = search(
                server.fhirBase() + "/AuditEvent?entity-name=" + calls.get(0).hookInstance());
        assertThat(ofCall.getEntry()).hasSize(2); // the decision and the feedback on its card

        for (String notIndexed : List.of(
                "outcome=0",
                "action=E",
                "entity-role=3",
                "patient=Patient/" + mutantPatient,
                "site=" + Http.urlEncode("RAS Guard"))) {
            Http.Response refused =
                    Http.send(HttpRequest.newBuilder(URI.create(server.fhirBase() + "/AuditEvent?" + notIndexed))
                            .header("Accept", "application/fhir+json")
                            .GET());
            assertThat(refused.status()).as(notIndexed + " → " + refused.body()).isEqualTo(400);
        }
        // ...and no client can index them again: not by changing or deleting the server's retired ones, nor by a
        // new one under the built-in URL (an outside attack did all three, and HAPI then reindexed the trail).
        String retired = server.fhirBase() + "/SearchParameter/rasguard-not-indexed-AuditEvent-outcome";
        Http.Response stored = Http.get(retired);
        assertThat(stored.status()).as(stored.body()).isEqualTo(200);
        String reactivated = stored.body().replace("\"retired\"", "\"active\"");
        String builtInUrl = Http.urlEncode("http://hl7.org/fhir/SearchParameter/AuditEvent-outcome");
        for (Http.Response attempt : List.of(
                Http.put(retired, reactivated),
                Http.delete(retired),
                Http.put(
                        server.fhirBase() + "/SearchParameter?url=" + builtInUrl,
                        reactivated.replaceAll("\"id\":\"[^\"]*\",", "")),
                Http.post(server.fhirBase() + "/SearchParameter", """
                        {"resourceType":"SearchParameter","url":"http://example.org/sp/outcome2","name":"outcome2",
                         "status":"active","code":"outcome2","description":"x","base":["AuditEvent"],"type":"token",
                         "expression":"AuditEvent.outcome"}"""))) {
            assertThat(attempt.status()).as(attempt.body()).isEqualTo(403);
            assertThat(attempt.body()).contains("search-parameter-over-audit-events");
        }
        assertThat(Http.get(retired).body()).contains("\"retired\"");
        Http.Response stillRefused =
                Http.send(HttpRequest.newBuilder(URI.create(server.fhirBase() + "/AuditEvent?outcome=0"))
                        .header("Accept", "application/fhir+json")
                        .GET());
        assertThat(stillRefused.status()).as(stillRefused.body()).isEqualTo(400);
        String capabilities =
                Http.get(server.fhirBase() + "/metadata?_format=json").body();
        JsonNode auditEvent = null;
        try {
            for (JsonNode resource : JSON.readTree(capabilities).at("/rest/0/resource")) {
                if (resource.get("type").asText().equals("AuditEvent")) {
                    auditEvent = resource;
                }
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        assertThat(auditEvent).isNotNull();
        List<String> advertised = new ArrayList<>();
        auditEvent
                .get("searchParam")
                .forEach(parameter -> advertised.add(parameter.get("name").asText()));
        assertThat(advertised)
                .contains("type", "subtype", "date", "entity-name", "altid")
                .doesNotContain(
                        "outcome",
                        "action",
                        "agent",
                        "entity",
                        "entity-role",
                        "entity-type",
                        "patient",
                        "site",
                        "source");
    }

    @Test
    void theReportCountsEveryCardKindsOutcomesReasonsAndTimes(ServerProcess server) {
        decisionsInWindow(server, calls.size());
        Http.Response answer = Http.get(server.fhirBase() + "/$cds-report?start="
                + Http.urlEncode(windowStart.toString()) + "&end=" + Http.urlEncode(windowEnd.toString()));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        Parameters report = answer.resource(Parameters.class);
        assertThat(report.getParameter("decisions").getValue().primitiveValue())
                .isEqualTo(String.valueOf(calls.size()));

        assertThat(kind(report, "RasMutant"))
                .containsEntry("shown", "3")
                .containsEntry("accepted", "1")
                .containsEntry("overridden", "2")
                .containsEntry("noFeedback", "0")
                .containsEntry("reason:clinical-trial", "2");
        assertThat(kind(report, "RasUnknown"))
                .containsEntry("shown", "2")
                .containsEntry("accepted", "0")
                .containsEntry("overridden", "1")
                .containsEntry("noFeedback", "1")
                .containsEntry("reason:result-under-review", "1");
        assertThat(kind(report, "G12cApprovedCombination"))
                .containsEntry("shown", "1")
                .containsEntry("accepted", "1")
                .containsEntry("overridden", "0")
                .containsEntry("noFeedback", "0");
        assertThat(kind(report, "G12cWithoutPartner"))
                .containsEntry("shown", "0")
                .doesNotContainKey("decisionMsMedian");
        assertThat(kind(report, "RasWildType")).containsEntry("shown", "0");
        for (String topic : List.of("RasMutant", "RasUnknown", "G12cApprovedCombination")) {
            Map<String, String> figures = kind(report, topic);
            assertThat(Double.parseDouble(figures.get("decisionMsP95")))
                    .isGreaterThanOrEqualTo(Double.parseDouble(figures.get("decisionMsMedian")));
        }

        Http.Response html = Http.send(HttpRequest.newBuilder(URI.create(server.fhirBase() + "/$cds-report?start="
                        + Http.urlEncode(windowStart.toString()) + "&end=" + Http.urlEncode(windowEnd.toString())))
                .header("Accept", "text/html")
                .GET());
        assertThat(html.status()).isEqualTo(200);
        assertThat(html.header("Content-Type")).startsWith("text/html");
        assertThat(html.body()).contains("<table>", "(RasMutant)", "<td class=\"n\">3</td>");
    }

    // ------------------------------------------------------------------ helpers

    /** The decision AuditEvents of this window, once the audit writer has stored all of them. */
    private Bundle decisionsInWindow(ServerProcess server, int expected) {
        String url = server.fhirBase() + "/AuditEvent?type=" + Http.urlEncode(TYPE + "|cds-hooks-decision") + "&date="
                + Http.urlEncode("ge" + windowStart) + "&date=" + Http.urlEncode("lt" + windowEnd) + "&_count=100";
        long deadline = System.currentTimeMillis() + 20_000;
        Bundle found;
        do {
            found = search(url);
            if (found.getEntry().size() >= expected) {
                return found;
            }
            sleep(200);
        } while (System.currentTimeMillis() < deadline);
        return found;
    }

    private static Bundle search(String url) {
        Http.Response response = Http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Accept", "application/fhir+json")
                .header("Cache-Control", "no-cache")
                .GET());
        assertThat(response.status()).as(url + " → " + response.body()).isEqualTo(200);
        return response.resource(Bundle.class);
    }

    private static Map<String, String> kind(Parameters report, String topic) {
        for (Parameters.ParametersParameterComponent kind : report.getParameter()) {
            if (!kind.getName().equals("cardKind")) {
                continue;
            }
            Map<String, String> figures = new HashMap<>();
            for (Parameters.ParametersParameterComponent part : kind.getPart()) {
                if (part.getName().equals("topic")) {
                    figures.put("topic", ((org.hl7.fhir.r4.model.Coding) part.getValue()).getCode());
                } else if (part.getName().equals("overrideReason")) {
                    String code = ((org.hl7.fhir.r4.model.Coding)
                                    part.getPart().get(0).getValue())
                            .getCode();
                    figures.put(
                            "reason:" + code, part.getPart().get(1).getValue().primitiveValue());
                } else {
                    figures.put(part.getName(), part.getValue().primitiveValue());
                }
            }
            if (topic.equals(figures.get("topic"))) {
                return figures;
            }
        }
        throw new AssertionError("no cardKind " + topic);
    }

    private static AuditEvent.AuditEventEntityComponent entity(AuditEvent event, String description) {
        return event.getEntity().stream()
                .filter(e -> description.equals(e.getDescription()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + description + " entity"));
    }

    private static String detail(AuditEvent.AuditEventEntityComponent entity, String type) {
        return entity.getDetail().stream()
                .filter(d -> d.getType().equals(type))
                .map(d -> d.getValueStringType().getValue())
                .findFirst()
                .orElse(null);
    }

    private static Map<String, String> post(ServerProcess server, Scenario scenario) {
        Http.Response posted = Http.post(server.fhirBase(), Http.encode(scenario.transaction()));
        assertThat(posted.status()).as(posted.body()).isEqualTo(200);
        Map<String, String> ids = new HashMap<>();
        List<String> names = new ArrayList<>(scenario.record().keySet());
        List<Bundle.BundleEntryComponent> entries =
                posted.resource(Bundle.class).getEntry();
        for (int i = 0; i < names.size(); i++) {
            ids.put(names.get(i), entries.get(i).getResponse().getLocation().split("/")[1]);
        }
        return ids;
    }

    /** order-sign without prefetch: the service reads this server as the EHR, with a token it must never keep. */
    private Call call(ServerProcess server, Scenario scenario, String patientId, String verdict) {
        String hookInstance = UUID.randomUUID().toString();
        ObjectNode request = JSON.createObjectNode();
        request.put("hook", "order-sign");
        request.put("hookInstance", hookInstance);
        request.put("fhirServer", server.fhirBase());
        request.putObject("fhirAuthorization")
                .put("access_token", TOKEN)
                .put("token_type", "Bearer")
                .put("expires_in", 300)
                .put("scope", "patient/*.read")
                .put("subject", "rasguard-audit-it");
        ObjectNode context = request.putObject("context");
        context.put("userId", USER);
        context.put("patientId", patientId);
        Bundle draftOrders = new Bundle().setType(Bundle.BundleType.COLLECTION);
        for (Resource order : scenario.orders().apply(name -> patientId)) {
            draftOrders
                    .addEntry()
                    .setFullUrl(order.fhirType() + "/" + order.getIdElement().getIdPart())
                    .setResource(order);
        }
        try {
            context.set("draftOrders", JSON.readTree(Http.encode(draftOrders)));
            Http.Response response = Http.post(
                    server.baseUrl() + "/cds-services/" + CdsServices.ORDER_SIGN_ID,
                    request.toString(),
                    "application/json");
            assertThat(response.status()).as(response.body()).isEqualTo(200);
            assertThat(response.header("X-Request-ID")).isEqualTo(hookInstance);
            JsonNode body = JSON.readTree(response.body());
            Map<String, String> cards = new LinkedHashMap<>();
            body.get("cards")
                    .forEach(card -> cards.put(
                            card.get("uuid").asText(),
                            card.at("/source/topic/code").asText()));
            return new Call(hookInstance, patientId, cards, verdict, body);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> cardsOf(List<Call> calls) {
        return calls.stream().flatMap(call -> call.cards().keySet().stream()).toList();
    }

    private static ObjectNode overridden(String card, String reasonCode, String comment) {
        ObjectNode item = JSON.createObjectNode();
        item.put("card", card);
        item.put("outcome", "overridden");
        ObjectNode reason = item.putObject("overrideReason");
        reason.putObject("reason")
                .put("system", "http://rasguard.org/fhir/CodeSystem/cds-override-reason")
                .put("code", reasonCode);
        if (comment != null) {
            reason.put("userComment", comment);
        }
        item.put("outcomeTimestamp", Instant.now().toString());
        return item;
    }

    private static ObjectNode accepted(Call call) {
        JsonNode card = call.response().get("cards").get(0);
        ObjectNode item = JSON.createObjectNode();
        item.put("card", card.get("uuid").asText());
        item.put("outcome", "accepted");
        item.putArray("acceptedSuggestions")
                .addObject()
                .put("id", card.get("suggestions").get(0).get("uuid").asText());
        item.put("outcomeTimestamp", Instant.now().toString());
        return item;
    }

    private static void feedback(ServerProcess server, ObjectNode... items) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode feedback = body.putArray("feedback");
        for (ObjectNode item : items) {
            feedback.add(item);
        }
        Http.Response stored = Http.post(
                server.baseUrl() + "/cds-services/" + CdsServices.ORDER_SIGN_ID + "/feedback",
                body.toString(),
                "application/json");
        assertThat(stored.status()).as(stored.body()).isEqualTo(200);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
