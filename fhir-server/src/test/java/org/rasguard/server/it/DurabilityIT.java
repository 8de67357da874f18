package org.rasguard.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
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
import org.rasguard.hooks.CdsServices;

/**
 * What survives a stop: a clean SIGTERM keeps every resource with its id and version, and the CDS
 * feedback (stored as AuditEvents); a SIGKILL in
 * the middle of concurrent ingest keeps every transaction that was answered 200, whole, and no
 * transaction in part. Also measures the time from {@code java -jar} to a healthy {@code /health}
 * (the README quotes it). One data directory (or PostgreSQL database) across three starts.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DurabilityIT {

    private static final int OBSERVATIONS_PER_BUNDLE = 10;
    private static final String FEEDBACK = """
            {"feedback":[{"card":"%s","outcome":"overridden","outcomeTimestamp":"2026-11-29T10:00:00Z",
              "overrideReason":{"reason":{"system":"http://rasguard.org/fhir/CodeSystem/cds-override-reason",
                "code":"result-under-review","display":"RAS result under review or in outside records"}}}]}
            """;

    private static Path dataDir;
    private static String feedbackCard;
    private static Map<String, String> database;

    @Test
    @Order(1)
    void everyResourceSurvivesACleanRestartWithItsIdAndVersion() throws Exception {
        dataDir = Files.createTempDirectory("rasguard-durability-");
        database = TestDatabase.fresh();
        String kind = TestDatabase.isPostgresql() ? "PostgreSQL" : "H2";
        Map<String, String> versions = new LinkedHashMap<>();

        try (ServerProcess first = new ServerProcess(dataDir, database).start()) {
            System.out.printf("[startup] java -jar to /health 200 on an empty %s database: %d ms%n", kind, first.millisToHealthy());
            Http.Response posted = Http.post(first.fhirBase(), Fixtures.genomicReportTransaction(UUID.randomUUID().toString()));
            assertThat(posted.status()).as(posted.body()).isEqualTo(200);
            for (Bundle.BundleEntryComponent entry : posted.resource(Bundle.class).getEntry()) {
                String[] location = entry.getResponse().getLocation().split("/");
                versions.put(location[0] + "/" + location[1], location[3]);
            }
            // A card issued before the restart; its feedback comes after it (issue 16: the card is found in the audit trail).
            String patient = posted.resource(Bundle.class).getEntryFirstRep().getResponse().getLocation().split("/")[1];
            feedbackCard = CdsCalls.onlyCard(Http.post(first.baseUrl() + "/cds-services/" + CdsServices.ORDER_SIGN_ID,
                    CdsCalls.orderSignFromStoreOnly(first.fhirBase(), patient).toString(), "application/json")).path("uuid").asText();
            awaitDecisionAudited(first, feedbackCard);
            assertThat(first.stop()).as("exit code after SIGTERM").isIn(0, 143);
            assertThat(first.output()).anyMatch(line -> line.contains("RAS Guard stopped"));
        }

        try (ServerProcess second = new ServerProcess(dataDir, database).start()) {
            System.out.printf("[startup] java -jar to /health 200 on an existing %s database: %d ms%n", kind, second.millisToHealthy());
            for (Map.Entry<String, String> stored : versions.entrySet()) {
                Http.Response read = Http.get(second.fhirBase() + "/" + stored.getKey());
                assertThat(read.status()).as(stored.getKey()).isEqualTo(200);
                Resource resource = (Resource) Http.FHIR.newJsonParser().parseResource(read.body());
                assertThat(resource.getIdElement().getIdPart()).isEqualTo(stored.getKey().split("/")[1]);
                assertThat(resource.getMeta().getVersionId()).isEqualTo(stored.getValue());
            }
            Http.Response feedback = Http.post(second.baseUrl() + "/cds-services/" + CdsServices.ORDER_SIGN_ID + "/feedback",
                    FEEDBACK.formatted(feedbackCard), "application/json");
            assertThat(feedback.status()).as("feedback on a card issued before the restart: " + feedback.body()).isEqualTo(200);
            Bundle events = Http.get(second.fhirBase() + "/AuditEvent?entity-name=" + feedbackCard
                    + "&type=http://rasguard.org/fhir/CodeSystem/audit-event-type%7Ccds-hooks-feedback").resource(Bundle.class);
            assertThat(events.getEntry()).as("CDS feedback after the restart").hasSize(1);
            AuditEvent event = (AuditEvent) events.getEntryFirstRep().getResource();
            assertThat(event.getSubtypeFirstRep().getCode()).isEqualTo("overridden");
            assertThat(Http.encode(event)).contains("result-under-review");
        }
    }

    @Test
    @Order(2)
    void aSigkillDuringConcurrentIngestLosesNoAnsweredTransactionAndLeavesNoneInPart() throws Exception {
        List<String> answered = new ArrayList<>();
        List<String> attempted = new ArrayList<>();

        try (ServerProcess server = new ServerProcess(dataDir, database).start()) {
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
                            Http.Response response = Http.post(server.fhirBase(), bundle(bundleId));
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
        }
        System.out.printf("[crash] %d transactions attempted, %d answered 200 before SIGKILL%n", attempted.size(), answered.size());

        try (ServerProcess restarted = new ServerProcess(dataDir, database).start()) {
            for (String bundleId : attempted) {
                int stored = count(restarted.fhirBase() + "/Observation?identifier=" + Http.urlEncode("urn:rasguard:crash:" + bundleId + "|"));
                if (answered.contains(bundleId)) {
                    assertThat(stored).as("answered transaction " + bundleId).isEqualTo(OBSERVATIONS_PER_BUNDLE);
                } else {
                    assertThat(stored).as("unanswered transaction " + bundleId + " is all or nothing").isIn(0, OBSERVATIONS_PER_BUNDLE);
                }
            }
        }
    }

    private static int count(String search) {
        Http.Response response = Http.get(search + "&_summary=count");
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

    /** The decision's AuditEvent is written just after the answer: wait until it is stored (at most 30 s). */
    static void awaitDecisionAudited(ServerProcess server, String card) throws InterruptedException {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            Http.Response found = Http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.fhirBase()
                    + "/AuditEvent?entity-name=" + card + "&type=http://rasguard.org/fhir/CodeSystem/audit-event-type%7Ccds-hooks-decision"))
                    .header("Accept", "application/fhir+json").header("Cache-Control", "no-cache").GET());
            if (found.status() == 200 && !found.resource(Bundle.class).getEntry().isEmpty()) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the decision that issued card " + card + " was not audited within 30 s");
    }
}
