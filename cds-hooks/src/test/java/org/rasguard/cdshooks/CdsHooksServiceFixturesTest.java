package org.rasguard.cdshooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rasguard.cards.CardRules;
import org.rasguard.decision.DecisionKnowledge;
import org.rasguard.knowledge.KnowledgeBase;

/**
 * Request → cards, one named fixture per case under {@code src/test/resources/hooks}: the request,
 * what our store and the client's FHIR server hold, and what must come back. No server: the store
 * and the FHIR server are in memory.
 *
 * <p>Fixture shorthand: a string {@code "@name"} stands for {@code hooks/snippets/name.json}; an array
 * where a resource is expected (a prefetch value, an EHR answer) stands for a searchset Bundle of it.
 */
class CdsHooksServiceFixturesTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final KnowledgeBase KNOWLEDGE = KnowledgeBase.loadFromClasspath(FHIR);
    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<String> fixtures() throws IOException, URISyntaxException {
        Path dir = Path.of(CdsHooksServiceFixturesTest.class
                .getClassLoader()
                .getResource("hooks")
                .toURI());
        try (Stream<Path> files = Files.list(dir)) {
            return files
                    .filter(p -> p.toString().endsWith(".json"))
                    .map(p -> p.getFileName().toString())
                    .sorted()
                    .toList()
                    .stream();
        }
    }

    /**
     * {@code "settings"}: {@code wildTypeInfo} (default false), {@code g12cCombinations} (inhibitor names; default all),
     * {@code sharedPatientIds} (default false), {@code evidenceMaxResources} (default the server's).
     */
    private static CdsHooksService.Settings settings(JsonNode settings) {
        java.util.Set<org.rasguard.knowledge.G12cInhibitor> g12c =
                java.util.EnumSet.allOf(org.rasguard.knowledge.G12cInhibitor.class);
        if (settings.has("g12cCombinations")) {
            g12c.clear();
            settings.get("g12cCombinations")
                    .forEach(name -> g12c.add(org.rasguard.knowledge.G12cInhibitor.valueOf(
                            name.asText().toUpperCase(java.util.Locale.ROOT))));
        }
        return new CdsHooksService.Settings(
                settings.path("wildTypeInfo").asBoolean(false),
                2_000,
                g12c,
                settings.path("sharedPatientIds").asBoolean(false),
                java.util.Set.of(),
                settings.path("evidenceMaxResources").asInt(CdsHooksService.Settings.DEFAULT_EVIDENCE_MAX_RESOURCES));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void answersAsTheFixtureSays(String fixture) throws IOException {
        JsonNode spec = expand(read("hooks/" + fixture));
        JsonNode request = spec.get("request");
        for (String key : Stream.of(PrefetchKey.values()).map(PrefetchKey::key).toList()) {
            JsonNode value = request.path("prefetch").get(key);
            if (value != null && value.isArray()) {
                ((ObjectNode) request.get("prefetch")).set(key, searchset((ArrayNode) value));
            }
        }
        InMemoryEvidenceStore store = store(spec.path("store"));
        FakeEhr ehr = new FakeEhr(spec.path("ehr"));
        List<String> allow = new ArrayList<>();
        spec.path("allow").forEach(entry -> allow.add(entry.asText()));
        List<Decision> decided = new ArrayList<>();
        List<String> started = new ArrayList<>();
        DecisionObserver observer = new DecisionObserver() {
            @Override
            public void started(String serviceId, String hookInstance) {
                started.add(hookInstance);
            }

            @Override
            public void decided(Decision decision) {
                decided.add(decision);
            }
        };
        CdsHooksService service = new CdsHooksService(
                DecisionKnowledge.from(KNOWLEDGE),
                FHIR,
                store,
                ehr,
                FhirServerAllowlist.of(allow),
                items -> items.stream().map(item -> "AuditEvent/1").toList(),
                settings(spec.path("settings")),
                observer);
        String serviceId = request.get("hook").asText().equals("order-select")
                ? CdsServices.ORDER_SELECT_ID
                : CdsServices.ORDER_SIGN_ID;
        byte[] body = request.toString().getBytes(StandardCharsets.UTF_8);
        JsonNode expect = spec.get("expect");

        if (expect.get("status").asInt() != 200) {
            assertThatThrownBy(() -> service.call(serviceId, body)).isInstanceOfSatisfying(CdsError.class, e -> {
                assertThat(e.status()).isEqualTo(expect.get("status").asInt());
                assertThat(e.code()).isEqualTo(expect.get("errorCode").asText());
                assertThat(e.getMessage()).doesNotContain("t0k3n");
            });
            // A 400 (or 404) is no decision; a 412 is one, recorded with its error code and no card.
            if (expect.get("status").asInt() == 412) {
                assertThat(decided).singleElement().satisfies(d -> {
                    assertThat(d.errorCode()).isEqualTo(expect.get("errorCode").asText());
                    assertThat(d.cards()).isEmpty();
                    assertThat(d.verdictCode()).isEqualTo("error");
                });
            } else {
                assertThat(decided).isEmpty();
            }
        } else {
            JsonNode response = JSON.readTree(service.call(serviceId, body));
            assertThat(CardRules.checkResponse(response)).isEmpty();
            FixtureJson.Cards got = FixtureJson.Cards.of(response);
            List<String> cards = got.kinds();
            List<String> summaries = got.summaries();
            List<String> expectedCards = FixtureJson.expectedCards(expect);
            assertThat(cards).isEqualTo(expectedCards);
            // What the observer (audit trail, metrics) is told matches what the client got.
            assertThat(decided).singleElement().satisfies(d -> {
                assertThat(d.errorCode()).isNull();
                assertThat(d.hookInstance())
                        .isEqualTo(request.get("hookInstance")
                                .asText()
                                .toLowerCase(java.util.Locale.ROOT)
                                .replace("urn:uuid:", ""))
                        .isEqualTo(started.get(0).replace("urn:uuid:", ""));
                List<String> uuids = new ArrayList<>();
                response.get("cards").forEach(card -> uuids.add(card.get("uuid").asText()));
                assertThat(d.cards()).extracting(Decision.Card::uuid).isEqualTo(uuids);
                assertThat(d.cards())
                        .extracting(card ->
                                card.kind().indicator() + ":" + card.kind().topicCode())
                        .isEqualTo(expectedCards);
                assertThat(d.durationNanos()).isPositive();
                assertThat(d.toString()).doesNotContain("t0k3n");
                if (!d.cards().isEmpty()) {
                    assertThat(d.verdict()).isNotNull();
                    assertThat(d.orders()).isNotEmpty();
                }
                // Every card names an order the decision names (the late-result check joins them), never null.
                List<String> orderNames =
                        d.orders().stream().map(Decision.Order::reference).toList();
                assertThat(orderNames).doesNotContainNull();
                d.cards().stream()
                        .filter(card -> card.kind().topicCode().startsWith("Ras")
                                || card.kind().topicCode().startsWith("G12c")
                                || card.kind().topicCode().startsWith("Braf"))
                        .forEach(card -> assertThat(orderNames).contains(card.order()));
                if (expect.has("auditedOrders")) {
                    List<String> audited = new ArrayList<>();
                    expect.get("auditedOrders").forEach(name -> audited.add(name.asText()));
                    assertThat(orderNames).isEqualTo(audited);
                }
            });
            expect.path("summaries").forEach(summary -> assertThat(summaries).contains(summary.asText()));
            expect.path("detailContains")
                    .forEach(text -> assertThat(response.toString()).contains(text.asText()));
        }
        if (expect.has("ehrCalls")) {
            List<String> calls = new ArrayList<>();
            expect.get("ehrCalls").forEach(call -> calls.add(call.asText()));
            assertThat(ehr.calls).containsExactlyInAnyOrderElementsOf(calls);
            ehr.tokens.forEach(token -> assertThat(token).isEqualTo("t0k3n"));
        }
    }

    // ------------------------------------------------------------------ fixture reading

    private static JsonNode read(String path) throws IOException {
        return FixtureJson.read(path);
    }

    /** Replaces every "@name" string by the snippet hooks/snippets/name.json, recursively. */
    private static JsonNode expand(JsonNode node) throws IOException {
        return FixtureJson.expand(node, name -> "hooks/snippets/" + name + ".json");
    }

    private static ObjectNode searchset(ArrayNode resources) {
        return FixtureJson.searchset(resources);
    }

    private static Resource parse(JsonNode json) {
        return (Resource) FHIR.newJsonParser().parseResource(json.toString());
    }

    // ------------------------------------------------------------------ fakes

    /** Our store, from the fixture's "store": {@code patients}, and {@code evidence} per patient id. */
    private static InMemoryEvidenceStore store(JsonNode store) {
        InMemoryEvidenceStore out = new InMemoryEvidenceStore();
        store.path("patients").forEach(p -> out.addPatient((Patient) parse(p)));
        store.path("evidence")
                .properties()
                .forEach(e -> e.getValue().forEach(resource -> out.addEvidence(e.getKey(), parse(resource))));
        return out;
    }

    /** The client's FHIR server: answers by URL from the fixture's "ehr"; records calls and tokens. */
    private static final class FakeEhr implements EhrFhirClient {
        final List<String> calls = Collections.synchronizedList(new ArrayList<>());
        final List<String> tokens = Collections.synchronizedList(new ArrayList<>());
        private final JsonNode answers;

        FakeEhr(JsonNode answers) {
            this.answers = answers;
        }

        @Override
        public CompletableFuture<EhrFetch> get(EhrServer server, String url) {
            calls.add(url);
            tokens.add(server.accessToken());
            JsonNode answer = answers.get(url);
            if (answer == null) {
                return CompletableFuture.completedFuture(new EhrFetch.NotFound());
            }
            List<Resource> resources = new ArrayList<>();
            if (answer.isArray()) {
                answer.forEach(resource -> resources.add(parse(resource)));
            } else if (parse(answer) instanceof Bundle page) { // a last page, as the HTTP client reports it
                page.getEntry().forEach(entry -> resources.add(entry.getResource()));
                return CompletableFuture.completedFuture(new EhrFetch.Found(
                        resources, SearchCompleteness.announcedTotal(page), SearchCompleteness.matches(page)));
            } else {
                resources.add(parse(answer));
            }
            return CompletableFuture.completedFuture(new EhrFetch.Found(resources));
        }
    }
}
