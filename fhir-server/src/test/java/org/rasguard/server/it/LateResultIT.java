package org.rasguard.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DetectedIssue;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Subscription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.rasguard.cdshooks.CdsServices;

/**
 * Issue 18, acceptance 1, over real HTTP against the packaged server: an order-sign on a RAS-unknown
 * patient, the warning overridden ("testing pending"); then a KRAS G12D result is posted: exactly one
 * DetectedIssue in the store, in the layout README "Late results" fixes; the same one after the result is
 * posted again, after another result, and after a restart; a rest-hook Subscription to a listener on
 * loopback receives it within 10 s; a Subscription to an endpoint off the allowlist is a 422; after a restart
 * with the allowlist narrowed, a stored Subscription off it is not delivered to (a second patient's issue,
 * from a warning that had no feedback).
 *
 * <p>On the same server (a cap of {@value #MAX_SUBSCRIPTIONS} Subscriptions, {@code RASGUARD_MAX_SUBSCRIPTIONS}):
 * a Subscription beyond the cap is a 422 by every create path, and a {@code channel.header} secret never
 * leaves the FHIR API while delivery still sends it. The two tests run in either order: the second counts
 * the Subscriptions the first left and removes its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LateResultIT {

    private static final String ISSUE_SYSTEM = "http://rasguard.org/fhir/sid/late-ras-result";
    private static final String HOOK_SYSTEM = "http://rasguard.org/fhir/sid/cds-hook-instance";
    private static final String ORDER_SYSTEM = "http://rasguard.org/fhir/sid/ehr-medication-request";
    private static final String MRN = "urn:oid:2.16.840.1.113883.19.5";
    private static final int MAX_SUBSCRIPTIONS = 3;
    private static final String SECRET_TOKEN = "SECRET-EHR-TOKEN";

    private final List<String> delivered = new CopyOnWriteArrayList<>();
    private final List<Long> deliveredAtMillis = new CopyOnWriteArrayList<>();
    /** Deliveries under /ehr/rasguard/secret: path and Authorization header as received. */
    private final List<String> secretDeliveries = new CopyOnWriteArrayList<>();

    private HttpServer listener;
    private ServerProcess server;
    private Path dataDir;
    private Map<String, String> environment;

    @BeforeAll
    void start() throws Exception {
        listener = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        listener.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            delivered.add(exchange.getRequestMethod() + " "
                    + exchange.getRequestURI().getPath() + " " + new String(body, StandardCharsets.UTF_8));
            deliveredAtMillis.add(System.currentTimeMillis());
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        listener.createContext("/ehr/rasguard/secret", exchange -> {
            exchange.getRequestBody().readAllBytes();
            secretDeliveries.add(exchange.getRequestURI().getPath() + " "
                    + exchange.getRequestHeaders().getFirst("Authorization"));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        listener.start();
        int port = SharedServer.freePort();
        environment = new HashMap<>(TestDatabase.fresh());
        environment.put("RASGUARD_PORT", String.valueOf(port));
        environment.put("RASGUARD_CDS_FHIR_SERVERS", "http://127.0.0.1:" + port + "/fhir");
        environment.put(
                "RASGUARD_SUBSCRIPTION_ENDPOINTS",
                "http://127.0.0.1:" + listener.getAddress().getPort() + "/ehr");
        // The first test stores two counted Subscriptions; the second fills the cap and goes past it.
        environment.put("RASGUARD_MAX_SUBSCRIPTIONS", String.valueOf(MAX_SUBSCRIPTIONS));
        dataDir = Files.createTempDirectory("rasguard-late-it-");
        server = new ServerProcess(dataDir, environment).start();
    }

    @AfterAll
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (listener != null) {
            listener.stop(0);
        }
    }

    @Test
    void anOverriddenOrderGetsOneDetectedIssueWhenTheMutationArrivesDeliveredByRestHookAndKeptOnce() throws Exception {
        String patientId = postPatient();

        // 1. order-sign while RAS status is unknown: a RasUnknown warning, overridden "testing pending".
        ObjectNode call = CdsCalls.request("order-sign", patientId, CdsCalls.cetuximabOrder(patientId));
        call.put("fhirServer", server.fhirBase());
        String hookInstance = call.get("hookInstance").asText();
        JsonNode card = CdsCalls.onlyCard(Http.post(
                server.baseUrl() + "/cds-services/" + CdsServices.ORDER_SIGN_ID, call.toString(), "application/json"));
        assertThat(card.at("/source/topic/code").asText()).isEqualTo("RasUnknown");
        String cardUuid = card.get("uuid").asText();
        Http.Response feedback = Http.post(
                server.baseUrl() + "/cds-services/" + CdsServices.ORDER_SIGN_ID + "/feedback",
                """
                {"feedback":[{"card":"%s","outcome":"overridden","outcomeTimestamp":"2026-12-01T10:00:00Z",
                  "overrideReason":{"reason":{"system":"http://rasguard.org/fhir/CodeSystem/cds-override-reason",
                    "code":"result-under-review"},"userComment":"testing pending"}}]}
                """.formatted(cardUuid),
                "application/json");
        assertThat(feedback.status()).as(feedback.body()).isEqualTo(200);
        // The decision is written off the call (AuditTrail): wait until it is in the store.
        awaitTrue(
                Duration.ofSeconds(10),
                () -> total(server.fhirBase() + "/AuditEvent?entity-name:exact="
                                + Http.urlEncode("store:Patient/" + patientId))
                        == 1);

        // 2. Subscriptions: one under the allowlist (rest-hook, the resource as payload), one off it: 422.
        Http.Response offList = Http.post(
                server.fhirBase() + "/Subscription",
                Http.encode(
                        subscription("http://127.0.0.1:" + listener.getAddress().getPort() + "/elsewhere", patientId)));
        assertThat(offList.status()).as(offList.body()).isEqualTo(422);
        assertThat(offList.body()).contains("OperationOutcome", "subscription-endpoint-not-allowed");
        // Our guard answers before HAPI's own endpoint validation, whose message quotes the endpoint.
        String tabbed = "http://127.0.0.1:" + listener.getAddress().getPort() + "/ehr/rasguard/x\t";
        Http.Response odd =
                Http.post(server.fhirBase() + "/Subscription", Http.encode(subscription(tabbed, patientId)));
        assertThat(odd.status()).as(odd.body()).isEqualTo(422);
        assertThat(odd.body()).contains("subscription-endpoint-not-allowed").doesNotContain("/ehr/rasguard/x");
        Http.Response otherScheme = Http.post(
                server.fhirBase() + "/Subscription",
                Http.encode(subscription(
                        "https://127.0.0.1:" + listener.getAddress().getPort() + "/ehr", patientId)));
        assertThat(otherScheme.status()).as("https where only http is listed").isEqualTo(422);
        Http.Response subscribed = Http.post(
                server.fhirBase() + "/Subscription",
                Http.encode(subscription(
                        "http://127.0.0.1:" + listener.getAddress().getPort() + "/ehr/rasguard", patientId)));
        assertThat(subscribed.status()).as(subscribed.body()).isEqualTo(201);
        String subscriptionId =
                subscribed.resource(Subscription.class).getIdElement().getIdPart();
        awaitTrue(
                Duration.ofSeconds(30),
                () -> Http.get(server.fhirBase() + "/Subscription/" + subscriptionId)
                        .body()
                        .contains("\"status\":\"active\""));

        // 3. The KRAS G12D result arrives: one DetectedIssue, delivered within 10 s.
        long posted = System.currentTimeMillis();
        String result = Http.encode(krasResult(patientId, "KRAS-LATE-" + UUID.randomUUID()));
        Http.Response stored = Http.post(server.fhirBase(), result);
        assertThat(stored.status()).as(stored.body()).isEqualTo(200);
        String issuesOfPatient = server.fhirBase() + "/DetectedIssue?patient=Patient/" + patientId;
        awaitTrue(Duration.ofSeconds(10), () -> total(issuesOfPatient) == 1);
        awaitTrue(
                Duration.ofMillis(Math.max(1, posted + 10_000 - System.currentTimeMillis())),
                () -> delivered.stream().anyMatch(body -> body.contains("\"resourceType\":\"DetectedIssue\"")));
        long deliveredAfter = deliveredAtMillis.get(0) - posted;
        System.out.printf(
                "[late-result] DetectedIssue delivered to the rest-hook %d ms after the result was posted%n",
                deliveredAfter);
        assertThat(delivered.get(0))
                .startsWith("PUT /ehr/rasguard/DetectedIssue/")
                .contains(patientId);

        DetectedIssue issue = onlyIssue(issuesOfPatient);
        assertThat(issue.getStatus()).isEqualTo(DetectedIssue.DetectedIssueStatus.FINAL);
        assertThat(issue.getCode().getCodingFirstRep().getSystem())
                .isEqualTo("http://rasguard.org/fhir/CodeSystem/ras-detected-issue");
        assertThat(issue.getCode().getCodingFirstRep().getCode()).isEqualTo("late-ras-result");
        assertThat(issue.getSeverity()).isEqualTo(DetectedIssue.DetectedIssueSeverity.HIGH);
        assertThat(issue.getPatient().getReference()).isEqualTo("Patient/" + patientId);
        assertThat(issue.getIdentifier()).extracting(Identifier::getSystem).containsExactly(ISSUE_SYSTEM, HOOK_SYSTEM);
        assertThat(issue.getIdentifier().get(0).getValue()).matches("[0-9a-f]{64}");
        assertThat(issue.getIdentifier().get(1).getValue()).isEqualTo(hookInstance);
        assertThat(issue.getImplicated()).hasSize(1);
        Reference order = issue.getImplicatedFirstRep();
        assertThat(order.getIdentifier().getSystem()).isEqualTo(ORDER_SYSTEM);
        assertThat(order.getIdentifier().getValue()).isEqualTo("mr-1");
        assertThat(order.getDisplay()).isEqualTo("Cetuximab");
        assertThat(issue.getEvidence()).hasSize(2);
        assertThat(issue.getEvidence().get(0).getCodeFirstRep().getCoding())
                .extracting(Coding::getCode)
                .containsExactly("unknown-overridden", "RasUnknown");
        assertThat(issue.getEvidence()
                        .get(1)
                        .getCodeFirstRep()
                        .getCodingFirstRep()
                        .getCode())
                .isEqualTo("mutated");
        assertThat(issue.getEvidence().get(1).getDetail())
                .isNotEmpty()
                .allSatisfy(detail -> assertThat(detail.getReference()).startsWith("Observation/"));
        assertThat(issue.getDetail())
                .contains("Cetuximab was ordered on", "overridden", "KRAS p.G12D", "stop the cetuximab order");
        assertThat(issue.hasIdentified()).isTrue();
        assertThat(issue.getMitigation()).isEmpty();
        assertThat(issue.getExtensionByUrl("http://rasguard.org/fhir/StructureDefinition/late-result-earlier-card")
                        .getValue()
                        .primitiveValue())
                .isEqualTo(cardUuid);
        String issueId = issue.getIdElement().getIdPart();

        // 4. The same result again (its conditional create matches), and a second KRAS result: still one issue,
        //    though the check ran again ("existing" counted).
        assertThat(Http.post(server.fhirBase(), result).status()).isEqualTo(200);
        assertThat(Http.post(server.fhirBase(), Http.encode(krasResult(patientId, "KRAS-LATE-" + UUID.randomUUID())))
                        .status())
                .isEqualTo(200);
        awaitTrue(Duration.ofSeconds(10), () -> lateResultsCounted("existing") >= 1);
        assertThat(total(issuesOfPatient)).isEqualTo(1);

        // 5. A Subscription to all late results, then a restart with the allowlist narrowed so that its endpoint
        //    is no longer on it; another result checked after the restart: still the one issue, same id.
        String hook = "http://127.0.0.1:" + listener.getAddress().getPort();
        Subscription all = subscription(hook + "/ehr/all", patientId)
                .setCriteria(
                        "DetectedIssue?code=http://rasguard.org/fhir/CodeSystem/ras-detected-issue|late-ras-result");
        Http.Response allSubscribed = Http.post(server.fhirBase() + "/Subscription", Http.encode(all));
        assertThat(allSubscribed.status()).as(allSubscribed.body()).isEqualTo(201);
        String allId = allSubscribed.resource(Subscription.class).getIdElement().getIdPart();
        awaitTrue(
                Duration.ofSeconds(30),
                () -> Http.get(server.fhirBase() + "/Subscription/" + allId)
                        .body()
                        .contains("\"status\":\"active\""));
        server.stop();
        environment.put("RASGUARD_SUBSCRIPTION_ENDPOINTS", hook + "/ehr/rasguard");
        server = new ServerProcess(dataDir, environment).start();
        assertThat(Http.post(server.fhirBase(), Http.encode(krasResult(patientId, "KRAS-LATE-" + UUID.randomUUID())))
                        .status())
                .isEqualTo(200);
        awaitTrue(Duration.ofSeconds(10), () -> lateResultsCounted("existing") >= 1);
        assertThat(onlyIssue(issuesOfPatient).getIdElement().getIdPart()).isEqualTo(issueId);
        assertThat(server.output()).noneMatch(line -> line.contains(" ERROR "));

        // 6. A second patient's late result after the restart: its issue is stored, and the stored Subscription
        //    whose endpoint is off the narrowed allowlist is not delivered to (checked at delivery, not only on
        // create).
        String second = postPatient();
        ObjectNode secondCall = CdsCalls.request("order-sign", second, CdsCalls.cetuximabOrder(second));
        secondCall.put("fhirServer", server.fhirBase());
        JsonNode secondCard = CdsCalls.onlyCard(Http.post(
                server.baseUrl() + "/cds-services/" + CdsServices.ORDER_SIGN_ID,
                secondCall.toString(),
                "application/json"));
        assertThat(secondCard.at("/source/topic/code").asText()).isEqualTo("RasUnknown");
        awaitTrue(
                Duration.ofSeconds(10),
                () -> total(server.fhirBase() + "/AuditEvent?entity-name:exact="
                                + Http.urlEncode("store:Patient/" + second))
                        == 1);
        assertThat(Http.post(server.fhirBase(), Http.encode(krasResult(second, "KRAS-LATE-" + UUID.randomUUID())))
                        .status())
                .isEqualTo(200);
        awaitTrue(
                Duration.ofSeconds(10),
                () -> total(server.fhirBase() + "/DetectedIssue?patient=Patient/" + second) == 1);
        assertThat(onlyIssue(server.fhirBase() + "/DetectedIssue?patient=Patient/" + second)
                        .getEvidenceFirstRep()
                        .getCodeFirstRep()
                        .getCodingFirstRep()
                        .getCode())
                .as("no feedback on the warning")
                .isEqualTo("unknown-no-feedback");
        awaitTrue(
                Duration.ofSeconds(30),
                () -> server.output().stream()
                        .anyMatch(line -> line.contains("Subscription/" + allId + ": not delivered")));
        assertThat(delivered).noneMatch(body -> body.startsWith("PUT /ehr/all/") && body.contains("Patient/" + second));

        // 7. Issue 18, acceptance 2: the chart of the first patient opens (patient-view, nothing prefetched: read from
        //    fhirServer, this server): the critical late-result card for that order; accepting it closes the
        //    DetectedIssue (a mitigation); the next chart opening shows no late-result card.
        JsonNode chart = patientView(patientId);
        JsonNode late = cardOfTopic(chart, "LateRasResult");
        assertThat(late).as(chart.toString()).isNotNull();
        assertThat(late.get("indicator").asText()).isEqualTo("critical");
        assertThat(late.get("summary").asText() + late.get("detail").asText()).contains("etuximab", "KRAS");
        Http.Response accepted = Http.post(
                server.baseUrl() + "/cds-services/" + CdsServices.PATIENT_VIEW_ID + "/feedback",
                "{\"feedback\":[{\"card\":\"" + late.get("uuid").asText()
                        + "\",\"outcome\":\"accepted\",\"acceptedSuggestions\":"
                        + "[{\"id\":\""
                        + org.rasguard.cards.ChartCards.suggestionUuid(
                                late.get("uuid").asText(), org.rasguard.decision.LateResult.ORDER_STOPPED)
                        + "\"}],"
                        + "\"outcomeTimestamp\":\"2026-12-03T09:00:00Z\"}]}",
                "application/json");
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(200);
        DetectedIssue closed =
                Http.get(server.fhirBase() + "/DetectedIssue/" + issueId).resource(DetectedIssue.class);
        assertThat(closed.getMitigation())
                .singleElement()
                .satisfies(m ->
                        assertThat(m.getAction().getCodingFirstRep().getCode()).isEqualTo("order-stopped"));
        JsonNode reopened = patientView(patientId);
        assertThat(cardOfTopic(reopened, "LateRasResult"))
                .as(reopened.toString())
                .isNull();

        // 8. The lab retracts the second patient's KRAS result (entered-in-error): the status it named no longer
        //    holds, so its open DetectedIssue is cancelled and no chart shows the alert any more.
        String secondIssues = server.fhirBase() + "/DetectedIssue?patient=Patient/" + second;
        String secondIssueId = onlyIssue(secondIssues).getIdElement().getIdPart();
        Bundle results = Http.get(server.fhirBase() + "/Observation?subject=Patient/" + second)
                .resource(Bundle.class);
        assertThat(results.getEntry()).isNotEmpty();
        for (Bundle.BundleEntryComponent entry : results.getEntry()) {
            org.hl7.fhir.r4.model.Observation retracted = (org.hl7.fhir.r4.model.Observation) entry.getResource();
            retracted.setStatus(org.hl7.fhir.r4.model.Observation.ObservationStatus.ENTEREDINERROR);
            Http.Response put = Http.put(
                    server.fhirBase() + "/Observation/"
                            + retracted.getIdElement().getIdPart(),
                    Http.encode(retracted));
            assertThat(put.status()).as(put.body()).isEqualTo(200);
        }
        awaitTrue(
                Duration.ofSeconds(15),
                () -> Http.get(server.fhirBase() + "/DetectedIssue/" + secondIssueId)
                                .resource(DetectedIssue.class)
                                .getStatus()
                        == DetectedIssue.DetectedIssueStatus.CANCELLED);
        assertThat(cardOfTopic(patientView(second), "LateRasResult"))
                .as("a withdrawn alert is not shown")
                .isNull();

        // 9. The lab posts the corrected result (the mutation again): the withdrawn issue is opened again, same id,
        //    and the chart shows the alert again (a cancelled issue must not stand in for it).
        assertThat(Http.post(server.fhirBase(), Http.encode(krasResult(second, "KRAS-LATE-" + UUID.randomUUID())))
                        .status())
                .isEqualTo(200);
        awaitTrue(
                Duration.ofSeconds(15),
                () -> Http.get(server.fhirBase() + "/DetectedIssue/" + secondIssueId)
                                .resource(DetectedIssue.class)
                                .getStatus()
                        == DetectedIssue.DetectedIssueStatus.FINAL);
        assertThat(total(secondIssues)).isEqualTo(1);
        assertThat(cardOfTopic(patientView(second), "LateRasResult"))
                .as("the alert, open again")
                .isNotNull();

        // 10. A second record of the same person (the lab posts a Patient with the same MRN, and a result for it):
        //     still one issue for the order, not one per record.
        Patient again = Http.get(server.fhirBase() + "/Patient/" + second).resource(Patient.class);
        Patient duplicate = new Patient();
        duplicate
                .addIdentifier()
                .setSystem(MRN)
                .setValue(again.getIdentifierFirstRep().getValue());
        Http.Response twin = Http.post(server.fhirBase() + "/Patient", Http.encode(duplicate));
        assertThat(twin.status()).as(twin.body()).isEqualTo(201);
        String twinId = twin.resource(Patient.class).getIdElement().getIdPart();
        double checked = lateResultsCounted("existing");
        assertThat(Http.post(server.fhirBase(), Http.encode(krasResult(twinId, "KRAS-LATE-" + UUID.randomUUID())))
                        .status())
                .isEqualTo(200);
        awaitTrue(Duration.ofSeconds(15), () -> lateResultsCounted("existing") > checked);
        assertThat(total(server.fhirBase() + "/DetectedIssue?patient=Patient/" + twinId))
                .as("no second issue on the other record")
                .isZero();
        assertThat(total(secondIssues)).isEqualTo(1);
    }

    /**
     * The common "not tested yet" case: when the order is signed, our store holds no record of the patient
     * (the EHR prefetches its own record, no fhirServer); the lab then posts the patient, with the same MRN,
     * and the mutation: the decision is found by the MRN it recorded, and one issue is stored.
     */
    @Test
    void aDecisionMadeBeforeOurStoreKnewThePatientIsFoundByItsMrn() throws Exception {
        String mrn = "LATE-EHR-" + UUID.randomUUID();
        String ehrId = "ehr-" + UUID.randomUUID().toString().substring(0, 8);
        ObjectNode call = CdsCalls.request("order-sign", ehrId, CdsCalls.cetuximabOrder(ehrId));
        ObjectNode prefetch = call.putObject("prefetch");
        prefetch.set(
                "patient",
                CdsCalls.json("{\"resourceType\":\"Patient\",\"id\":\"" + ehrId + "\",\"identifier\":[{\"system\":\""
                        + MRN + "\",\"value\":\"" + mrn + "\"}]}"));
        prefetch.set(
                "conditions",
                CdsCalls.json(
                        "{\"resourceType\":\"Bundle\",\"type\":\"searchset\",\"entry\":[{\"resource\":"
                                + "{\"resourceType\":\"Condition\",\"id\":\"crc-" + ehrId
                                + "\",\"subject\":{\"reference\":\"Patient/" + ehrId + "\"},"
                                + "\"code\":{\"coding\":[{\"system\":\"http://hl7.org/fhir/sid/icd-10-cm\",\"code\":\"C18.7\"}]}}}]}"));
        prefetch.putNull("observations");
        prefetch.putNull("reports");
        prefetch.putNull("medications");
        CdsCalls.noMedicationHistory(prefetch);
        JsonNode card = CdsCalls.onlyCard(Http.post(
                server.baseUrl() + "/cds-services/" + CdsServices.ORDER_SIGN_ID, call.toString(), "application/json"));
        assertThat(card.at("/source/topic/code").asText()).isEqualTo("RasUnknown");
        awaitTrue(
                Duration.ofSeconds(10),
                () -> total(server.fhirBase() + "/AuditEvent?entity-name:exact="
                                + Http.urlEncode("person:" + MRN + "|" + mrn))
                        == 1);

        Patient patient = new Patient();
        patient.addIdentifier().setSystem(MRN).setValue(mrn);
        Http.Response created = Http.post(server.fhirBase() + "/Patient", Http.encode(patient));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String ours = created.resource(Patient.class).getIdElement().getIdPart();
        assertThat(Http.post(server.fhirBase(), Http.encode(krasResult(ours, "KRAS-LATE-" + UUID.randomUUID())))
                        .status())
                .isEqualTo(200);
        String issues = server.fhirBase() + "/DetectedIssue?patient=Patient/" + ours;
        awaitTrue(Duration.ofSeconds(15), () -> total(issues) == 1);
        assertThat(onlyIssue(issues)
                        .getEvidenceFirstRep()
                        .getCodeFirstRep()
                        .getCodingFirstRep()
                        .getCode())
                .isEqualTo("unknown-no-feedback");

        // The same when the mutation was already stored under a record without the MRN, and a registration fix
        // adds the MRN to it afterwards (a Patient update, no new result).
        String laterMrn = "LATE-EHR-" + UUID.randomUUID();
        Patient unlinked = new Patient();
        unlinked.addIdentifier().setSystem("http://lab.example.org/patient").setValue("LAB-" + UUID.randomUUID());
        Http.Response labPatient = Http.post(server.fhirBase() + "/Patient", Http.encode(unlinked));
        assertThat(labPatient.status()).as(labPatient.body()).isEqualTo(201);
        Patient linked = labPatient.resource(Patient.class);
        assertThat(Http.post(
                                server.fhirBase(),
                                Http.encode(krasResult(
                                        linked.getIdElement().getIdPart(), "KRAS-LATE-" + UUID.randomUUID())))
                        .status())
                .isEqualTo(200);
        String laterEhrId = "ehr-" + UUID.randomUUID().toString().substring(0, 8);
        ObjectNode later = CdsCalls.request("order-sign", laterEhrId, CdsCalls.cetuximabOrder(laterEhrId));
        ObjectNode laterPrefetch = later.putObject("prefetch");
        laterPrefetch.set(
                "patient",
                CdsCalls.json("{\"resourceType\":\"Patient\",\"id\":\"" + laterEhrId
                        + "\",\"identifier\":[{\"system\":\"" + MRN + "\",\"value\":\"" + laterMrn + "\"}]}"));
        laterPrefetch.set("conditions", prefetch.get("conditions").deepCopy());
        ((ObjectNode) laterPrefetch.at("/conditions/entry/0/resource/subject"))
                .put("reference", "Patient/" + laterEhrId);
        laterPrefetch.putNull("observations");
        laterPrefetch.putNull("reports");
        laterPrefetch.putNull("medications");
        CdsCalls.noMedicationHistory(laterPrefetch);
        assertThat(CdsCalls.onlyCard(Http.post(
                                server.baseUrl() + "/cds-services/" + CdsServices.ORDER_SIGN_ID,
                                later.toString(),
                                "application/json"))
                        .at("/source/topic/code")
                        .asText())
                .isEqualTo("RasUnknown");
        awaitTrue(
                Duration.ofSeconds(10),
                () -> total(server.fhirBase() + "/AuditEvent?entity-name:exact="
                                + Http.urlEncode("person:" + MRN + "|" + laterMrn))
                        == 1);
        linked.addIdentifier().setSystem(MRN).setValue(laterMrn);
        Http.Response fixed =
                Http.put(server.fhirBase() + "/Patient/" + linked.getIdElement().getIdPart(), Http.encode(linked));
        assertThat(fixed.status()).as(fixed.body()).isEqualTo(200);
        String laterIssues = server.fhirBase() + "/DetectedIssue?patient=Patient/"
                + linked.getIdElement().getIdPart();
        awaitTrue(Duration.ofSeconds(15), () -> total(laterIssues) == 1);
    }

    @Test
    void subscriptionsStopAtTheCapAndTheirHeaderSecretsNeverLeaveTheApiWhileDeliverySendsThem() throws Exception {
        // Under both allowlists of the first test (before and after its restart).
        String hook = "http://127.0.0.1:" + listener.getAddress().getPort() + "/ehr/rasguard/secret";
        String marker = "headers-" + UUID.randomUUID();
        int already = total(server.fhirBase() + "/Subscription?status=requested,active");
        assertThat(already).as("the other test's Subscriptions leave room").isLessThan(MAX_SUBSCRIPTIONS);
        List<String> mine = new java.util.ArrayList<>();

        // 0. One transaction whose own entries pass the cap: 422 as a whole, none stored (an outside attack took
        // a cap of 50 to 315 with one Bundle of creates, each checked against the rows stored before it).
        Bundle overTheCap = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        for (int i = already; i <= MAX_SUBSCRIPTIONS; i++) {
            overTheCap
                    .addEntry()
                    .setFullUrl("urn:uuid:" + UUID.randomUUID())
                    .setResource(basicSubscription(hook, "one-bundle-" + i))
                    .getRequest()
                    .setMethod(Bundle.HTTPVerb.POST)
                    .setUrl("Subscription");
        }
        Http.Response oneBundle = Http.post(server.fhirBase(), Http.encode(overTheCap));
        assertThat(oneBundle.status()).as(oneBundle.body()).isEqualTo(422);
        assertThat(oneBundle.body()).contains("subscription-limit-reached");
        assertThat(total(server.fhirBase() + "/Subscription?status=requested,active"))
                .isEqualTo(already);

        // 1. Up to the cap; the last one carries the EHR's token. Its create answer shows the header masked.
        for (int i = already; i < MAX_SUBSCRIPTIONS - 1; i++) {
            Http.Response filler =
                    Http.post(server.fhirBase() + "/Subscription", Http.encode(basicSubscription(hook, "filler-" + i)));
            assertThat(filler.status()).as(filler.body()).isEqualTo(201);
            mine.add(filler.resource(Subscription.class).getIdElement().getIdPart());
        }
        Subscription withSecret = basicSubscription(hook, marker);
        withSecret.getChannel().addHeader("Authorization: Bearer " + SECRET_TOKEN);
        Http.Response created = Http.post(server.fhirBase() + "/Subscription", Http.encode(withSecret));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.body()).doesNotContain(SECRET_TOKEN).contains("Authorization: ***");
        String id = created.resource(Subscription.class).getIdElement().getIdPart();
        mine.add(id);

        // 2. Beyond the cap, by every create path: 422 subscription-limit-reached, naming the setting.
        String beyond = Http.encode(basicSubscription(hook, "beyond"));
        Http.Response posted = Http.post(server.fhirBase() + "/Subscription", beyond);
        assertThat(posted.status()).as(posted.body()).isEqualTo(422);
        assertThat(posted.body()).contains("subscription-limit-reached", "RASGUARD_MAX_SUBSCRIPTIONS");
        Subscription atNewId = basicSubscription(hook, "beyond");
        atNewId.setId("rg-cap-" + UUID.randomUUID());
        Http.Response put = Http.put(
                server.fhirBase() + "/Subscription/" + atNewId.getIdElement().getIdPart(), Http.encode(atNewId));
        assertThat(put.status()).as(put.body()).isEqualTo(422);
        assertThat(put.body()).contains("subscription-limit-reached");
        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        transaction
                .addEntry()
                .setFullUrl("urn:uuid:" + UUID.randomUUID())
                .setResource(basicSubscription(hook, "beyond"))
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Subscription");
        Http.Response inTransaction = Http.post(server.fhirBase(), Http.encode(transaction));
        assertThat(inTransaction.status()).as(inTransaction.body()).isEqualTo(422);
        assertThat(inTransaction.body()).contains("subscription-limit-reached");
        // An off Subscription is delivered for by nobody: taken; turning it on is one more: 422.
        Subscription off = basicSubscription(hook, "off").setStatus(Subscription.SubscriptionStatus.OFF);
        Http.Response offCreated = Http.post(server.fhirBase() + "/Subscription", Http.encode(off));
        assertThat(offCreated.status()).as(offCreated.body()).isEqualTo(201);
        Subscription turnedOn =
                offCreated.resource(Subscription.class).setStatus(Subscription.SubscriptionStatus.REQUESTED);
        mine.add(turnedOn.getIdElement().getIdPart());
        Http.Response on = Http.put(
                server.fhirBase() + "/Subscription/" + turnedOn.getIdElement().getIdPart(), Http.encode(turnedOn));
        assertThat(on.status()).as(on.body()).isEqualTo(422);
        assertThat(on.body()).contains("subscription-limit-reached");

        // 3. Read, vread, search and history: the header's name, never its value.
        awaitTrue(
                Duration.ofSeconds(30),
                () -> Http.get(server.fhirBase() + "/Subscription/" + id).body().contains("\"status\":\"active\""));
        for (String read : List.of(
                "/Subscription/" + id,
                "/Subscription/" + id + "/_history/1",
                "/Subscription?_id=" + id,
                "/Subscription/" + id + "/_history",
                "/Subscription/_history",
                "/_history")) {
            Http.Response answer = Http.get(server.fhirBase() + read);
            assertThat(answer.status()).as(read).isEqualTo(200);
            assertThat(answer.body()).as(read).doesNotContain(SECRET_TOKEN).contains("Authorization: ***");
        }

        // 4. Delivery reads the store: the listener receives the real header.
        assertThat(Http.post(server.fhirBase() + "/Basic", Http.encode(markedBasic(marker)))
                        .status())
                .isEqualTo(201);
        awaitTrue(Duration.ofSeconds(15), () -> !secretDeliveries.isEmpty());
        assertThat(secretDeliveries.get(0))
                .startsWith("/ehr/rasguard/secret/Basic/")
                .endsWith(" Bearer " + SECRET_TOKEN);

        // 5. The Subscription as read (masked header) sent back with a new endpoint: the stored secret is kept,
        //    and the first delivery to the new endpoint (so by the updated Subscription) still carries it.
        Subscription asRead =
                Http.get(server.fhirBase() + "/Subscription/" + id).resource(Subscription.class);
        assertThat(asRead.getChannel().getHeader())
                .extracting(header -> header.getValue())
                .containsExactly("Authorization: ***");
        asRead.getChannel().setEndpoint(hook + "/v2");
        Http.Response updated = Http.put(server.fhirBase() + "/Subscription/" + id, Http.encode(asRead));
        assertThat(updated.status()).as(updated.body()).isEqualTo(200);
        assertThat(updated.body()).doesNotContain(SECRET_TOKEN).contains("Authorization: ***");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (secretDeliveries.stream().noneMatch(delivery -> delivery.startsWith("/ehr/rasguard/secret/v2/"))
                && System.nanoTime() < deadline) {
            assertThat(Http.post(server.fhirBase() + "/Basic", Http.encode(markedBasic(marker)))
                            .status())
                    .isEqualTo(201);
            Thread.sleep(1_000);
        }
        assertThat(secretDeliveries.stream()
                        .filter(delivery -> delivery.startsWith("/ehr/rasguard/secret/v2/"))
                        .findFirst())
                .as(secretDeliveries.toString())
                .hasValueSatisfying(delivery -> assertThat(delivery).endsWith(" Bearer " + SECRET_TOKEN));

        // 5b. No patch reaches the stored headers: a JSON Patch copy into reason (an outside attack then read the
        // token from every answer), a test op as an oracle, and the same as a transaction entry.
        for (String patch : List.of(
                "[{\"op\":\"copy\",\"from\":\"/channel/header/0\",\"path\":\"/reason\"}]",
                "[{\"op\":\"test\",\"path\":\"/channel/header/0\",\"value\":\"Authorization: Bearer x\"}]")) {
            Http.Response patched =
                    Http.send(HttpRequest.newBuilder(URI.create(server.fhirBase() + "/Subscription/" + id))
                            .header("Content-Type", "application/json-patch+json")
                            .header("Accept", "application/fhir+json")
                            .method("PATCH", HttpRequest.BodyPublishers.ofString(patch)));
            assertThat(patched.status()).as(patched.body()).isEqualTo(403);
            assertThat(patched.body())
                    .contains("subscription-patch-not-allowed")
                    .doesNotContain(SECRET_TOKEN);
        }
        Bundle patchEntry = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        patchEntry
                .addEntry()
                .setResource(new org.hl7.fhir.r4.model.Binary()
                        .setContentType("application/json-patch+json")
                        .setData("[{\"op\":\"copy\",\"from\":\"/channel/header/0\",\"path\":\"/reason\"}]"
                                .getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .getRequest()
                .setMethod(Bundle.HTTPVerb.PATCH)
                .setUrl("Subscription/" + id);
        Http.Response inBundle = Http.post(server.fhirBase(), Http.encode(patchEntry));
        assertThat(inBundle.status()).as(inBundle.body()).isEqualTo(403);
        assertThat(Http.get(server.fhirBase() + "/Subscription/" + id).body()).doesNotContain(SECRET_TOKEN);

        // 6. No log line holds the secret.
        assertThat(server.output()).noneMatch(line -> line.contains(SECRET_TOKEN));

        // The other test finds the Subscriptions it found before.
        for (String stored : mine) {
            Http.Response deleted = Http.delete(server.fhirBase() + "/Subscription/" + stored);
            assertThat(deleted.status()).as(deleted.body()).isIn(200, 204);
        }
        assertThat(total(server.fhirBase() + "/Subscription?status=requested,active"))
                .isEqualTo(already);

        // No index over Subscriptions (a string search on channel.header would find the secret a character at a time).
        Http.Response index = Http.post(server.fhirBase() + "/SearchParameter", """
                {"resourceType":"SearchParameter","url":"http://example.org/sp/hdr","name":"hdr","status":"active","code":"hdr",
                 "description":"x","base":["Subscription"],"type":"string","expression":"Subscription.channel.header"}""");
        assertThat(index.status()).as(index.body()).isEqualTo(403);
        assertThat(index.body()).contains("search-parameter-over-subscriptions");
        // Nor over every type (an outside attack read the header back through base Resource and descendants()).
        Http.Response everyType = Http.post(server.fhirBase() + "/SearchParameter", """
                {"resourceType":"SearchParameter","url":"http://example.org/sp/any","name":"any","status":"active","code":"any",
                 "description":"x","base":["Resource"],"type":"string","expression":"Resource.descendants().ofType(string)"}""");
        assertThat(everyType.status()).as(everyType.body()).isEqualTo(403);
        assertThat(everyType.body()).contains("search-parameter-over-subscriptions");

        // A Subscription cannot watch Subscriptions (it would be sent the others, headers unmasked).
        for (String criteria : List.of("Subscription?status=active", "[Observation,Subscription]")) {
            Subscription watcher = restHook(hook, criteria, "watches Subscriptions");
            Http.Response refused = Http.post(server.fhirBase() + "/Subscription", Http.encode(watcher));
            assertThat(refused.status()).as(refused.body()).isEqualTo(422);
            assertThat(refused.body()).contains("subscription-criteria-not-allowed");
        }
    }

    /** A rest-hook Subscription to {@code endpoint} for Basic resources coded {@code marker}. */
    private static Subscription basicSubscription(String endpoint, String marker) {
        return restHook(endpoint, "Basic?code=http://rasguard.org/fhir/it|" + marker, "Header masking and the cap");
    }

    private static org.hl7.fhir.r4.model.Basic markedBasic(String marker) {
        org.hl7.fhir.r4.model.Basic basic = new org.hl7.fhir.r4.model.Basic();
        basic.setCode(new CodeableConcept(new Coding("http://rasguard.org/fhir/it", marker, null)));
        return basic;
    }

    /** A patient-view call that prefetches nothing: the service reads the chart from fhirServer (this server). */
    private JsonNode patientView(String patientId) throws Exception {
        ObjectNode call = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
        call.put("hook", "patient-view");
        call.put("hookInstance", UUID.randomUUID().toString());
        call.put("fhirServer", server.fhirBase());
        call.putObject("context").put("userId", "Practitioner/it").put("patientId", patientId);
        Http.Response response = Http.post(
                server.baseUrl() + "/cds-services/" + CdsServices.PATIENT_VIEW_ID, call.toString(), "application/json");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body());
    }

    private static JsonNode cardOfTopic(JsonNode response, String topic) {
        for (JsonNode card : response.get("cards")) {
            if (card.at("/source/topic/code").asText().equals(topic)) {
                return card;
            }
        }
        return null;
    }

    private String postPatient() {
        Patient patient = new Patient();
        patient.addIdentifier().setSystem(MRN).setValue("LATE-" + UUID.randomUUID());
        patient.addName().setFamily("Late").addGiven("Result");
        Http.Response created = Http.post(server.fhirBase() + "/Patient", Http.encode(patient));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.resource(Patient.class).getIdElement().getIdPart();
    }

    /** A transaction with one KRAS p.(Gly12Asp) Variant (Genomics Reporting 3.0.0 shape), conditional on its identifier. */
    private static Bundle krasResult(String patientId, String labId) {
        Observation variant = new Observation();
        variant.setStatus(Observation.ObservationStatus.FINAL);
        variant.addIdentifier().setSystem("urn:example:lab:result").setValue(labId);
        variant.addCategory()
                .addCoding()
                .setSystem("http://terminology.hl7.org/CodeSystem/observation-category")
                .setCode("laboratory");
        variant.addCategory()
                .addCoding()
                .setSystem("http://terminology.hl7.org/CodeSystem/v2-0074")
                .setCode("GE");
        variant.setCode(new CodeableConcept(new Coding("http://loinc.org", "69548-6", "Genetic variant assessment")));
        variant.setSubject(new Reference("Patient/" + patientId));
        variant.setValue(new CodeableConcept(new Coding("http://loinc.org", "LA9633-4", "Present")));
        variant.addComponent()
                .setCode(new CodeableConcept(new Coding("http://loinc.org", "48018-6", null)))
                .setValue(new CodeableConcept(new Coding("http://www.genenames.org", "HGNC:6407", "KRAS")));
        variant.addComponent()
                .setCode(new CodeableConcept(new Coding("http://loinc.org", "48005-3", null)))
                .setValue(
                        new CodeableConcept(new Coding("http://varnomen.hgvs.org", "NP_004976.2:p.(Gly12Asp)", null)));
        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        transaction
                .addEntry()
                .setFullUrl("urn:uuid:" + UUID.randomUUID())
                .setResource(variant)
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Observation")
                .setIfNoneExist("identifier=urn:example:lab:result|" + labId);
        return transaction;
    }

    private static Subscription subscription(String endpoint, String patientId) {
        return restHook(endpoint, "DetectedIssue?patient=Patient/" + patientId, "Late RAS results for the EHR");
    }

    /** A requested rest-hook Subscription with the resource as payload. */
    private static Subscription restHook(String endpoint, String criteria, String reason) {
        Subscription subscription = new Subscription();
        subscription.setStatus(Subscription.SubscriptionStatus.REQUESTED);
        subscription.setReason(reason);
        subscription.setCriteria(criteria);
        subscription
                .getChannel()
                .setType(Subscription.SubscriptionChannelType.RESTHOOK)
                .setEndpoint(endpoint)
                .setPayload("application/fhir+json");
        return subscription;
    }

    private DetectedIssue onlyIssue(String search) {
        Bundle found = Http.get(search).resource(Bundle.class);
        assertThat(found.getEntry()).hasSize(1);
        return (DetectedIssue) found.getEntryFirstRep().getResource();
    }

    private static int total(String search) {
        Http.Response response = Http.get(search + (search.contains("?") ? "&" : "?") + "_summary=count");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.resource(Bundle.class).getTotal();
    }

    private double lateResultsCounted(String result) {
        String metrics = Http.get(server.baseUrl() + "/metrics").body();
        return metrics.lines()
                .filter(line ->
                        line.startsWith("rasguard_late_results_total{") && line.contains("result=\"" + result + "\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    private static void awaitTrue(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout);
            }
            Thread.sleep(100);
        }
    }
}
