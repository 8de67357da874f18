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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DetectedIssue;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rasguard.cards.CardRules;
import org.rasguard.cards.ChartCards;
import org.rasguard.decision.DecisionKnowledge;
import org.rasguard.decision.LateResult;
import org.rasguard.knowledge.KnowledgeBase;

/**
 * The patient-view service, request to cards, one named fixture per case under
 * {@code src/test/resources/patient-view}: the request (its prefetch), what our store holds (patients,
 * evidence, {@code lateResults} DetectedIssues), when a reminder was last shown ({@code lastReminderDaysAgo}),
 * and the cards that must come back. No server: store and chart store in memory, the clock fixed.
 *
 * <p>Fixture shorthand as in {@link CdsHooksServiceFixturesTest}: {@code "@name"} is a snippet
 * ({@code patient-view/snippets/name.json}, else {@code hooks/snippets/name.json}); an array as a prefetch
 * value is a searchset Bundle of it; a missing prefetch key is not prefetched (and no FHIR server is given).
 */
class PatientViewFixturesTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final KnowledgeBase KNOWLEDGE = KnowledgeBase.loadFromClasspath(FHIR);
    private static final DecisionKnowledge DECISION = DecisionKnowledge.from(KNOWLEDGE);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    static Stream<String> fixtures() throws IOException, URISyntaxException {
        Path dir = Path.of(PatientViewFixturesTest.class
                .getClassLoader()
                .getResource("patient-view")
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

    @Test
    void theSuiteCoversTheIssuesCasesAndTheirVariants() throws IOException, URISyntaxException {
        assertThat(fixtures().toList()).hasSizeGreaterThanOrEqualTo(20);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void answersAsTheFixtureSays(String fixture) throws IOException {
        JsonNode spec = expand(read("patient-view/" + fixture));
        Fake fake = new Fake(spec);
        CdsHooksService service =
                fake.service(spec.path("settings").path("reminderDays").asInt(30));
        byte[] body = fake.requestBody();
        JsonNode expect = spec.get("expect");
        if (expect.get("status").asInt() != 200) {
            assertThatThrownBy(() -> service.call(CdsServices.PATIENT_VIEW_ID, body))
                    .isInstanceOfSatisfying(CdsError.class, e -> {
                        assertThat(e.status())
                                .as(spec.path("description").asText())
                                .isEqualTo(expect.get("status").asInt());
                        assertThat(e.code()).isEqualTo(expect.get("errorCode").asText());
                    });
            return;
        }
        JsonNode response = JSON.readTree(service.call(CdsServices.PATIENT_VIEW_ID, body));
        assertThat(CardRules.checkResponse(response)).isEmpty();
        FixtureJson.Cards got = FixtureJson.Cards.of(response);
        List<String> cards = got.kinds();
        List<String> summaries = got.summaries();
        List<String> expected = FixtureJson.expectedCards(expect);
        assertThat(cards).as(spec.path("description").asText()).isEqualTo(expected);
        expect.path("summaries").forEach(summary -> assertThat(summaries).contains(summary.asText()));
        expect.path("detailContains")
                .forEach(text -> assertThat(response.toString()).contains(text.asText()));
        assertThat(response.toString())
                .doesNotContain(
                        "{drug}",
                        "{order}",
                        "{result}",
                        "{reasons}",
                        "{metastasis}",
                        "{later}",
                        "{origin}",
                        "{resultDate}",
                        "{days}",
                        "{status}",
                        "{detail}",
                        "{identified}");
        // What the audit trail is told: the cards, a late-result card naming its DetectedIssue.
        assertThat(fake.decided).singleElement().satisfies(d -> {
            assertThat(d.hook()).isEqualTo(Hook.PATIENT_VIEW);
            assertThat(d.cards())
                    .extracting(c -> c.kind().indicator() + ":" + c.kind().topicCode())
                    .isEqualTo(expected);
            d.cards().stream()
                    .filter(c -> c.kind() == org.rasguard.decision.CardKind.LATE_RAS_RESULT)
                    .forEach(c -> assertThat(c.order()).startsWith("DetectedIssue/"));
        });
    }

    // ------------------------------------------------------------------ feedback closes a late result

    @Test
    void acceptingStopTheOrderClosesTheDetectedIssueAndTheNextViewShowsNoCard() throws IOException {
        Fake fake = new Fake(expand(read("patient-view/late-result-open-shows-a-critical-card.json")));
        CdsHooksService service = fake.service(30);
        byte[] call = fake.requestBody();
        JsonNode card = JSON.readTree(service.call(CdsServices.PATIENT_VIEW_ID, call))
                .get("cards")
                .get(0);
        String stop = ChartCards.suggestionUuid(card.get("uuid").asText(), LateResult.ORDER_STOPPED);
        assertThat(card.get("suggestions"))
                .extracting(s -> s.get("uuid").asText())
                .contains(stop);

        JsonNode answer = JSON.readTree(service.feedback(
                CdsServices.PATIENT_VIEW_ID,
                feedback(
                        card.get("uuid").asText(),
                        "\"outcome\":\"accepted\",\"acceptedSuggestions\":[{\"id\":\"" + stop + "\"}]")));

        assertThat(answer.get("closed")).extracting(JsonNode::asText).containsExactly("DetectedIssue/di1");
        assertThat(fake.mitigations).containsExactly("di1|order-stopped");
        assertThat(JSON.readTree(service.call(CdsServices.PATIENT_VIEW_ID, call))
                        .get("cards"))
                .isEmpty();
    }

    @Test
    void anOverrideWithTheReasonReviewedClosesItAsReviewed() throws IOException {
        Fake fake = new Fake(expand(read("patient-view/late-result-open-shows-a-critical-card.json")));
        CdsHooksService service = fake.service(30);
        JsonNode card = JSON.readTree(service.call(CdsServices.PATIENT_VIEW_ID, fake.requestBody()))
                .get("cards")
                .get(0);
        assertThat(card.get("overrideReasons"))
                .extracting(r -> r.get("code").asText())
                .containsExactly("order-stopped", "order-reviewed");

        service.feedback(
                CdsServices.PATIENT_VIEW_ID,
                feedback(
                        card.get("uuid").asText(),
                        "\"outcome\":\"overridden\",\"overrideReason\":" + "{\"reason\":{\"system\":\""
                                + LateResult.MITIGATION_SYSTEM
                                + "\",\"code\":\"order-reviewed\",\"display\":\"Anti-EGFR order reviewed\"}}"));

        assertThat(fake.mitigations).containsExactly("di1|order-reviewed");
    }

    @Test
    void anOverrideWithoutAReasonLeavesTheAlertOpenAndAnOrderSignReasonIsNotOffered() throws IOException {
        Fake fake = new Fake(expand(read("patient-view/late-result-open-shows-a-critical-card.json")));
        CdsHooksService service = fake.service(30);
        String uuid = JSON.readTree(service.call(CdsServices.PATIENT_VIEW_ID, fake.requestBody()))
                .at("/cards/0/uuid")
                .asText();

        service.feedback(
                CdsServices.PATIENT_VIEW_ID,
                feedback(uuid, "\"outcome\":\"overridden\",\"overrideReason\":{\"userComment\":\"later\"}"));
        assertThat(fake.mitigations).isEmpty();
        assertThatThrownBy(
                        () -> service.feedback(
                                CdsServices.PATIENT_VIEW_ID,
                                feedback(
                                        uuid,
                                        "\"outcome\":\"overridden\",\"overrideReason\":"
                                                + "{\"reason\":{\"system\":\"http://rasguard.org/fhir/CodeSystem/cds-override-reason\",\"code\":\"clinical-trial\"}}")))
                .isInstanceOfSatisfying(
                        CdsError.class, e -> assertThat(e.code()).isEqualTo("override-reason-not-offered"));
        assertThat(fake.mitigations).isEmpty();
    }

    private static byte[] feedback(String card, String rest) {
        return ("{\"feedback\":[{\"card\":\"" + card + "\"," + rest
                        + ",\"outcomeTimestamp\":\"2026-12-01T12:01:00Z\"}]}")
                .getBytes(StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------ fakes

    /** Our store and chart store from a fixture; records mitigations and decisions. */
    private static final class Fake implements ChartStore {
        final InMemoryEvidenceStore store = new InMemoryEvidenceStore();
        final List<DetectedIssue> issues = new ArrayList<>();
        final List<String> mitigations = new ArrayList<>();
        final List<Decision> decided = new ArrayList<>();
        final Instant lastReminder;
        final JsonNode spec;

        Fake(JsonNode spec) {
            this.spec = spec;
            spec.path("store").path("patients").forEach(p -> store.addPatient((Patient) parse(p)));
            spec.path("store")
                    .path("evidence")
                    .properties()
                    .forEach(e -> e.getValue().forEach(resource -> store.addEvidence(e.getKey(), parse(resource))));
            spec.path("lateResults").forEach(issue -> issues.add((DetectedIssue) parse(issue)));
            lastReminder = spec.has("lastReminderDaysAgo")
                    ? NOW.minus(Duration.ofDays(spec.get("lastReminderDaysAgo").asLong()))
                    : null;
        }

        CdsHooksService service(int reminderDays) {
            DecisionObserver observer = decided::add;
            FeedbackStore feedback =
                    items -> items.stream().map(item -> "AuditEvent/1").toList();
            EhrFhirClient noEhr = (server, url) -> CompletableFuture.completedFuture(new EhrFetch.NotFound());
            return new CdsHooksService(
                    DECISION,
                    FHIR,
                    store,
                    noEhr,
                    FhirServerAllowlist.of(List.of()),
                    feedback,
                    new CdsHooksService.Settings(
                            false,
                            2_000,
                            java.util.EnumSet.allOf(org.rasguard.knowledge.G12cInhibitor.class),
                            false,
                            java.util.Set.of(),
                            CdsHooksService.Settings.DEFAULT_EVIDENCE_MAX_RESOURCES,
                            reminderDays),
                    observer,
                    this,
                    Clock.fixed(NOW, ZoneOffset.UTC));
        }

        /**
         * The fixture's request; a prefetch key of the service it leaves out is sent empty (the patient: {@code @patient-p1}),
         * unless it is listed in {@code notPrefetched}.
         */
        byte[] requestBody() throws IOException {
            ObjectNode request = spec.get("request").deepCopy();
            ObjectNode prefetch =
                    request.has("prefetch") ? (ObjectNode) request.get("prefetch") : request.putObject("prefetch");
            List<String> notPrefetched = new ArrayList<>();
            spec.path("notPrefetched").forEach(key -> notPrefetched.add(key.asText()));
            for (PrefetchKey key : PrefetchKey.CHART) {
                if (!prefetch.has(key.key()) && !notPrefetched.contains(key.key())) {
                    prefetch.set(
                            key.key(),
                            key == PrefetchKey.PATIENT
                                    ? expand(JSON.getNodeFactory().textNode("@patient-p1"))
                                    : JSON.createArrayNode());
                }
            }
            List<String> keys = new ArrayList<>();
            prefetch.fieldNames().forEachRemaining(keys::add);
            keys.stream()
                    .filter(key -> prefetch.get(key).isArray())
                    .forEach(key -> prefetch.set(key, searchset((ArrayNode) prefetch.get(key))));
            return request.toString().getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public List<DetectedIssue> lateResults(List<String> patientIds) {
            return issues.stream()
                    .filter(issue -> patientIds.contains(
                            issue.getPatient().getReferenceElement().getIdPart()))
                    .map(DetectedIssue::copy)
                    .toList();
        }

        @Override
        public boolean mitigate(String detectedIssueId, String action, Instant when) {
            for (DetectedIssue issue : issues) {
                if (issue.getIdElement().getIdPart().equals(detectedIssueId)) {
                    if (issue.getMitigation().isEmpty()) {
                        issue.addMitigation()
                                .setAction(new CodeableConcept(new Coding(LateResult.MITIGATION_SYSTEM, action, null)))
                                .setDateElement(new DateTimeType(java.util.Date.from(when)));
                        mitigations.add(detectedIssueId + "|" + action);
                    }
                    return true;
                }
            }
            return false;
        }

        @Override
        public Instant lastReminder(String serviceId, String ehrPatientId, Instant since) {
            return lastReminder != null && !lastReminder.isBefore(since) ? lastReminder : null;
        }
    }

    // ------------------------------------------------------------------ fixture reading

    private static JsonNode read(String path) throws IOException {
        return FixtureJson.read(path);
    }

    /** "@name": patient-view's own snippet when there is one, else the order services' (hooks/snippets). */
    private static JsonNode expand(JsonNode node) throws IOException {
        return FixtureJson.expand(
                node,
                name -> PatientViewFixturesTest.class
                                        .getClassLoader()
                                        .getResource("patient-view/snippets/" + name + ".json")
                                != null
                        ? "patient-view/snippets/" + name + ".json"
                        : "hooks/snippets/" + name + ".json");
    }

    private static ObjectNode searchset(ArrayNode resources) {
        return FixtureJson.searchset(resources);
    }

    private static Resource parse(JsonNode json) {
        return (Resource) FHIR.newJsonParser().parseResource(json.toString());
    }
}
