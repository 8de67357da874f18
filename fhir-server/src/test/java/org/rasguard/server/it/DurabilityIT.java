package org.rasguard.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.rasguard.cdshooks.CdsServices;

/**
 * What survives a stop: a clean SIGTERM keeps every resource with its id and version, the CDS
 * feedback (stored as AuditEvents) and the replay state (the jti of an accepted CDS client token is
 * remembered in the database, so a restart does not reopen a replay); a SIGKILL in the middle of
 * concurrent ingest keeps every transaction that was answered 200, whole, and no transaction in part.
 * Also measures the time from {@code java -jar} to a healthy {@code /health} (the README quotes it).
 *
 * <p>On the security suite's server ({@link SecurityServer}: CDS client authentication and FHIR API
 * tokens on), which restarts here with its data directory (or PostgreSQL database) and port: the
 * restarts are the ones the replay test needs anyway, and no server is started for this class alone.
 */
@ExtendWith(SecurityServer.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DurabilityIT {

    private static final int OBSERVATIONS_PER_BUNDLE = 10;
    private static final String DISCOVERY = "/cds-services";
    private static final String FEEDBACK_PATH = "/cds-services/" + CdsServices.ORDER_SIGN_ID + "/feedback";
    private static final String ORDER_SIGN_PATH = "/cds-services/" + CdsServices.ORDER_SIGN_ID;
    private static final String FEEDBACK = """
            {"feedback":[{"card":"%s","outcome":"overridden","outcomeTimestamp":"2026-11-29T10:00:00Z",
              "overrideReason":{"reason":{"system":"http://rasguard.org/fhir/CodeSystem/cds-override-reason",
                "code":"result-under-review","display":"RAS result under review or in outside records"}}}]}
            """;

    /** A CDS client token accepted once before the clean restart. */
    private static String usedBeforeTheRestart;

    @Test
    @Order(1)
    void everyResourceAndTheFeedbackSurviveACleanRestartWithTheirIdsAndVersions(SecurityServer.Setup setup)
            throws Exception {
        ServerProcess server = setup.server;
        String kind = TestDatabase.isPostgresql() ? "PostgreSQL" : "H2";
        System.out.printf(
                "[startup] java -jar to /health 200 on an empty %s database: %d ms%n",
                kind, setup.firstMillisToHealthy);
        String writer = setup.fhirToken("system/*.cruds", null);
        Map<String, String> versions = new LinkedHashMap<>();

        Http.Response posted = post(
                setup,
                "/fhir",
                writer,
                Fixtures.genomicReportTransaction(UUID.randomUUID().toString()));
        assertThat(posted.status()).as(posted.body()).isEqualTo(200);
        for (Bundle.BundleEntryComponent entry : posted.resource(Bundle.class).getEntry()) {
            String[] location = entry.getResponse().getLocation().split("/");
            versions.put(location[0] + "/" + location[1], location[3]);
        }
        // A card issued before the restart; its feedback comes after it: the card is found in the audit trail (issue
        // 16).
        String reader = setup.fhirToken("system/*.read", null);
        String patient = posted.resource(Bundle.class).getEntry().stream()
                .map(e -> e.getResponse().getLocation())
                .filter(location -> location.startsWith("Patient/"))
                .findFirst()
                .orElseThrow()
                .split("/")[1];
        com.fasterxml.jackson.databind.node.ObjectNode call =
                CdsCalls.request("order-sign", patient, CdsCalls.cetuximabOrder(patient));
        com.fasterxml.jackson.databind.node.ObjectNode prefetch = call.putObject("prefetch");
        prefetch.set(
                "patient",
                CdsCalls.json(Http.send(setup.request("/fhir/Patient/" + patient, reader)
                                .GET())
                        .body()));
        prefetch.putNull("conditions");
        prefetch.putNull("observations");
        prefetch.putNull("medications");
        CdsCalls.noMedicationHistory(prefetch);
        Http.Response decided = post(setup, ORDER_SIGN_PATH, setup.cdsToken(ORDER_SIGN_PATH), call.toString());
        assertThat(decided.status()).as(decided.body()).isEqualTo(200);
        String feedbackCard = CdsCalls.onlyCard(decided).path("uuid").asText();
        awaitDecisionAudited(setup, reader, feedbackCard);
        usedBeforeTheRestart = setup.cdsToken(DISCOVERY);
        assertThat(Http.send(setup.request(DISCOVERY, usedBeforeTheRestart).GET())
                        .status())
                .isEqualTo(200);

        assertThat(server.stop()).as("exit code after SIGTERM").isIn(0, 143);
        assertThat(server.output()).anyMatch(line -> line.contains("RAS Guard stopped"));
        server.start();
        System.out.printf(
                "[startup] java -jar to /health 200 on an existing %s database: %d ms%n",
                kind, server.millisToHealthy());

        Http.Response feedback =
                post(setup, FEEDBACK_PATH, setup.cdsToken(FEEDBACK_PATH), FEEDBACK.formatted(feedbackCard));
        assertThat(feedback.status())
                .as("feedback after the restart for a card issued before it: " + feedback.body())
                .isEqualTo(200);
        for (Map.Entry<String, String> stored : versions.entrySet()) {
            Http.Response read =
                    Http.send(setup.request("/fhir/" + stored.getKey(), reader).GET());
            assertThat(read.status()).as(stored.getKey()).isEqualTo(200);
            Resource resource = (Resource) Http.FHIR.newJsonParser().parseResource(read.body());
            assertThat(resource.getIdElement().getIdPart())
                    .isEqualTo(stored.getKey().split("/")[1]);
            assertThat(resource.getMeta().getVersionId()).isEqualTo(stored.getValue());
        }
        Bundle events = Http.send(setup.request(
                                "/fhir/AuditEvent?entity-name=" + feedbackCard
                                        + "&type=http://rasguard.org/fhir/CodeSystem/audit-event-type%7Ccds-hooks-feedback",
                                reader)
                        .GET())
                .resource(Bundle.class);
        assertThat(events.getEntry()).as("CDS feedback after the restart").hasSize(1);
        AuditEvent event = (AuditEvent) events.getEntryFirstRep().getResource();
        assertThat(event.getSubtypeFirstRep().getCode()).isEqualTo("overridden");
        assertThat(Http.encode(event)).contains("result-under-review");
    }

    @Test
    @Order(2)
    void aCdsTokenUsedBeforeTheRestartIsRefusedAfterIt(SecurityServer.Setup setup) {
        assertThat(usedBeforeTheRestart).as("the token of the restart test").isNotNull();
        SecurityCdsJwtIT.assertBare401(
                Http.send(setup.request(DISCOVERY, usedBeforeTheRestart).GET()));
        assertThat(Http.send(setup.request(DISCOVERY, setup.cdsToken(DISCOVERY)).GET())
                        .status())
                .isEqualTo(200);
    }

    @Test
    @Order(3)
    void aSigkillDuringConcurrentIngestLosesNoAnsweredTransactionAndLeavesNoneInPart(SecurityServer.Setup setup)
            throws Exception {
        ServerProcess server = setup.server;
        String writer = setup.fhirToken("system/*.cruds", null);
        List<String> answered = new ArrayList<>();
        List<String> attempted = new ArrayList<>();

        ConcurrentLinkedQueue<String> ok = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> tried = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        int clients = 4;
        CountDownLatch warmedUp = new CountDownLatch(clients * 3);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        for (int c = 0; c < clients; c++) {
            pool.submit(() -> {
                for (int n = 0; n < 500 && !stop.get(); n++) {
                    String bundleId = UUID.randomUUID().toString();
                    tried.add(bundleId);
                    try {
                        Http.Response response = post(setup, "/fhir", writer, bundle(bundleId));
                        if (response.status() == 200) {
                            ok.add(bundleId);
                            warmedUp.countDown();
                        }
                    } catch (RuntimeException connectionLost) {
                        return;
                    }
                }
            });
        }
        assertThat(warmedUp.await(120, TimeUnit.SECONDS)).as("ingest under way").isTrue();
        server.kill();
        stop.set(true);
        pool.shutdown();
        assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        answered.addAll(ok);
        attempted.addAll(tried);
        System.out.printf(
                "[crash] %d transactions attempted, %d answered 200 before SIGKILL%n",
                attempted.size(), answered.size());

        server.start();
        String reader = setup.fhirToken("system/*.read", null);
        for (String bundleId : attempted) {
            int stored = count(
                    setup,
                    reader,
                    "/fhir/Observation?identifier=" + Http.urlEncode("urn:rasguard:crash:" + bundleId + "|"));
            if (answered.contains(bundleId)) {
                assertThat(stored).as("answered transaction " + bundleId).isEqualTo(OBSERVATIONS_PER_BUNDLE);
            } else {
                assertThat(stored)
                        .as("unanswered transaction " + bundleId + " is all or nothing")
                        .isIn(0, OBSERVATIONS_PER_BUNDLE);
            }
        }
    }

    private static final String DECISION_OF_CARD =
            "/fhir/AuditEvent?type=http://rasguard.org/fhir/CodeSystem/audit-event-type%7Ccds-hooks-decision"
                    + "&entity-name=";

    /** On an open server (ReplicasIT): waits until the decision that issued the card is in the audit trail. */
    static void awaitDecisionAudited(ServerProcess server, String card) throws InterruptedException {
        awaitDecisionAudited(
                card,
                () -> java.net.http.HttpRequest.newBuilder(
                                java.net.URI.create(server.baseUrl() + DECISION_OF_CARD + card))
                        .header("Accept", "application/fhir+json"));
    }

    private static void awaitDecisionAudited(SecurityServer.Setup setup, String reader, String card)
            throws InterruptedException {
        awaitDecisionAudited(card, () -> setup.request(DECISION_OF_CARD + card, reader));
    }

    /** Polls the audit search (30 s at most): the decision's AuditEvent is written after the card is answered. */
    private static void awaitDecisionAudited(
            String card, java.util.function.Supplier<java.net.http.HttpRequest.Builder> search)
            throws InterruptedException {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            Http.Response found =
                    Http.send(search.get().header("Cache-Control", "no-cache").GET());
            if (found.status() == 200
                    && !found.resource(Bundle.class).getEntry().isEmpty()) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the decision that issued card " + card + " was not audited within 30 s");
    }

    private static Http.Response post(SecurityServer.Setup setup, String path, String token, String body) {
        String type = path.startsWith("/fhir") ? "application/fhir+json" : "application/json";
        return Http.send(setup.request(path, token)
                .header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static int count(SecurityServer.Setup setup, String token, String search) {
        Http.Response response =
                Http.send(setup.request(search + "&_summary=count", token).GET());
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.resource(Bundle.class).getTotal();
    }

    /** A transaction of one Patient and ten KRAS Variant Observations, all identified by the bundle's id. */
    private static String bundle(String bundleId) {
        StringBuilder entries = new StringBuilder();
        String patient = "urn:uuid:" + UUID.randomUUID();
        entries.append("""
                {"fullUrl":"%s","resource":{"resourceType":"Patient","identifier":[{"system":"urn:rasguard:crash:%s","value":"patient"}]},
                 "request":{"method":"POST","url":"Patient"}}""".formatted(patient, bundleId));
        for (int i = 0; i < OBSERVATIONS_PER_BUNDLE; i++) {
            entries.append(",").append("""
                    {"fullUrl":"urn:uuid:%s","resource":{"resourceType":"Observation","status":"final",
                      "identifier":[{"system":"urn:rasguard:crash:%s","value":"obs-%d"}],
                      "code":{"coding":[{"system":"http://loinc.org","code":"69548-6"}]},
                      "subject":{"reference":"%s"},
                      "valueCodeableConcept":{"coding":[{"system":"http://loinc.org","code":"LA9633-4"}]},
                      "component":[{"code":{"coding":[{"system":"http://loinc.org","code":"48018-6"}]},
                        "valueCodeableConcept":{"coding":[{"system":"http://www.genenames.org","code":"HGNC:6407","display":"KRAS"}]}}]},
                     "request":{"method":"POST","url":"Observation"}}""".formatted(UUID.randomUUID(), bundleId, i, patient));
        }
        return "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[" + entries + "]}";
    }
}
