package org.rasguard.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.RSAKey;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Test;
import org.rasguard.cdshooks.CdsServices;
import org.rasguard.server.auth.TestJwts;

/**
 * Two server processes on one PostgreSQL database, as behind a load balancer (one public URL): both
 * serve the same data, a result stored through one changes the next CDS answer of the other (whose
 * cache of our store is checked against the shared version number), feedback on a card one issued is
 * taken by the other and read back on the first, and a CDS client token used on one is refused as a replay on the other. PostgreSQL only: the embedded H2 is one process's file.
 */
class ReplicasIT {

    private static final String EHR = "https://ehr.replicas.example.test";
    private static final String PUBLIC_URL = "https://rasguard.replicas.example.test";

    @Test
    void twoReplicasShareDataFeedbackAndReplayState() throws Exception {
        assumeTrue(TestDatabase.isPostgresql(), "replicas need a database server: runs in the PostgreSQL pass");
        RSAKey ehrKey = TestJwts.rsa("replica-ehr");
        Path dir = Files.createTempDirectory("rasguard-replicas-");
        Path keySet = Files.writeString(dir.resolve("ehr-jwks.json"), TestJwts.publicSet(ehrKey));
        Map<String, String> env = new HashMap<>(TestDatabase.fresh());
        env.put("RASGUARD_CDS_ISSUERS", EHR + "=" + keySet.toUri());
        env.put("RASGUARD_PUBLIC_BASE_URL", PUBLIC_URL);

        // One after the other: the first creates the schema, the second finds it.
        try (ServerProcess a = new ServerProcess(Files.createDirectories(dir.resolve("a")), env).start();
                ServerProcess b = new ServerProcess(Files.createDirectories(dir.resolve("b")), env).start()) {

            Http.Response posted = Http.post(
                    a.fhirBase(),
                    Fixtures.genomicReportTransaction(UUID.randomUUID().toString()));
            assertThat(posted.status()).as(posted.body()).isEqualTo(200);
            for (Bundle.BundleEntryComponent entry :
                    posted.resource(Bundle.class).getEntry()) {
                String[] location = entry.getResponse().getLocation().split("/");
                assertThat(Http.get(b.fhirBase() + "/" + location[0] + "/" + location[1])
                                .status())
                        .as("replica b reads " + entry.getResponse().getLocation())
                        .isEqualTo(200);
            }

            // Replica b answers for a patient with no result and keeps that answer; the lab's report then
            // arrives through replica a. b's very next call must show it: the version number b checks its
            // cache against lives in the shared database.
            String run = UUID.randomUUID().toString();
            Http.Response patient = Http.post(a.fhirBase() + "/Patient", """
                    {"resourceType":"Patient","identifier":[{"system":"urn:oid:2.16.840.1.113883.19.5","value":"MRN-%s"}]}
                    """.formatted(run));
            assertThat(patient.status()).as(patient.body()).isEqualTo(201);
            String patientId = patient.resource(org.hl7.fhir.r4.model.Patient.class)
                    .getIdElement()
                    .getIdPart();
            assertThat(orderSignCard(b, ehrKey, patientId).path("indicator").asText())
                    .as("b, no result yet")
                    .isEqualTo("warning");
            assertThat(Http.post(a.fhirBase(), Fixtures.genomicReportTransaction(run))
                            .status())
                    .isEqualTo(200);
            JsonNode afterReport = orderSignCard(b, ehrKey, patientId);
            assertThat(afterReport.path("indicator").asText())
                    .as("b, right after a stored the KRAS p.G12D report")
                    .isEqualTo("critical");
            assertThat(afterReport.path("summary").asText()).contains("KRAS p.G12D");

            // A card issued by replica a; its feedback posted to replica b (which finds the card in the shared audit
            // trail).
            String card = orderSignCard(a, ehrKey, patientId).path("uuid").asText();
            DurabilityIT.awaitDecisionAudited(a, card);
            String feedbackPath = "/cds-services/" + CdsServices.ORDER_SIGN_ID + "/feedback";
            String feedback = """
                    {"feedback":[{"card":"%s","outcome":"overridden","outcomeTimestamp":"2026-11-29T10:00:00Z",
                      "overrideReason":{"reason":{"system":"http://rasguard.org/fhir/CodeSystem/cds-override-reason",
                        "code":"clinical-trial","display":"Patient is treated on a clinical trial"}}}]}
                    """.formatted(card);
            Http.Response stored = Http.send(HttpRequest.newBuilder(URI.create(b.baseUrl() + feedbackPath))
                    .header("Authorization", "Bearer " + token(ehrKey, PUBLIC_URL + feedbackPath))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(feedback)));
            assertThat(stored.status()).as(stored.body()).isEqualTo(200);
            Bundle onA = Http.get(a.fhirBase() + "/AuditEvent?entity-name=" + card
                            + "&type=http://rasguard.org/fhir/CodeSystem/audit-event-type%7Ccds-hooks-feedback")
                    .resource(Bundle.class);
            assertThat(onA.getEntry()).as("feedback posted to b, read on a").hasSize(1);

            String discovery = token(ehrKey, PUBLIC_URL + "/cds-services");
            assertThat(discover(a, discovery)).as("first use, replica a").isEqualTo(200);
            assertThat(discover(b, discovery))
                    .as("the same token again, replica b")
                    .isEqualTo(401);
        }
    }

    /** The one card of an order-sign call on {@code server} whose only evidence is our store. */
    private static JsonNode orderSignCard(ServerProcess server, RSAKey ehrKey, String patientId) {
        String path = "/cds-services/" + CdsServices.ORDER_SIGN_ID;
        return CdsCalls.onlyCard(Http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .header("Authorization", "Bearer " + token(ehrKey, PUBLIC_URL + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(CdsCalls.orderSignFromStoreOnly(server.fhirBase(), patientId)
                        .toString()))));
    }

    private static int discover(ServerProcess server, String token) {
        return Http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/cds-services"))
                        .header("Authorization", "Bearer " + token)
                        .GET())
                .status();
    }

    private static String token(RSAKey key, String audience) {
        return TestJwts.sign(
                key, TestJwts.cdsClaims(EHR, audience, Instant.now()).build());
    }
}
