package org.rasguard.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rasguard.cards.CardRules;
import org.rasguard.cdshooks.CdsServices;
import org.rasguard.server.audit.DecisionAuditEvents;

/**
 * The CDS Hooks contract at the HTTP edge: discovery passes the spec's rules; malformed calls get 400
 * with a stable code; an unknown service 404; unobtainable data 412 (and a fhirServer off the
 * allowlist is never contacted); paginated prefetch is followed; feedback is stored as AuditEvents
 * tied to the card and the hookInstance; no CORS headers unless configured.
 */
@ExtendWith(SharedServer.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CdsHooksConformanceIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private String mutantPatient;

    @BeforeAll
    void postTheRasMutantExample(ServerProcess server) throws Exception {
        // The ig-resources example: a KRAS p.G12D patient with colorectal cancer.
        String bundle = new String(java.nio.file.Files.readAllBytes(java.nio.file.Path.of(
                "..", "ig-resources", "src", "main", "fhir", "example", "Bundle-ras-mutant-patient.json")));
        Http.Response posted = Http.post(server.fhirBase(), bundle);
        assertThat(posted.status()).as(posted.body()).isEqualTo(200);
        mutantPatient = posted.resource(Bundle.class)
                .getEntryFirstRep()
                .getResponse()
                .getLocation()
                .split("/")[1];
    }

    private ObjectNode call(String hook, String patientId) {
        return CdsCalls.request(hook, patientId, CdsCalls.cetuximabOrder(patientId));
    }

    private static List<AuditEvent> feedbackEvents(Bundle events) {
        return events.getEntry().stream()
                .map(e -> (AuditEvent) e.getResource())
                .filter(e -> e.getType().getCode().equals(DecisionAuditEvents.FEEDBACK))
                .toList();
    }

    private static Http.Response post(ServerProcess server, String service, String body) {
        return Http.post(server.baseUrl() + "/cds-services/" + service, body, "application/json");
    }

    private static String errorCode(Http.Response response) throws Exception {
        return JSON.readTree(response.body())
                .path("issue")
                .path(0)
                .path("details")
                .path("coding")
                .path(0)
                .path("code")
                .asText();
    }

    @Test
    void discoveryListsTheThreeServicesAndPassesTheSpecRules(ServerProcess server) throws Exception {
        Http.Response response = Http.get(server.baseUrl() + "/cds-services");
        assertThat(response.status()).isEqualTo(200);
        JsonNode discovery = JSON.readTree(response.body());
        assertThat(CardRules.checkDiscovery(discovery)).isEmpty();
        assertThat(discovery.get("services").findValuesAsText("hook"))
                .containsExactlyInAnyOrder("order-sign", "order-select", "patient-view");
        for (JsonNode service : discovery.get("services")) {
            assertThat(service.get("usageRequirements").asText()).isNotBlank();
            if (service.get("hook").asText().equals("patient-view")) {
                assertThat(service.get("id").asText()).isEqualTo(CdsServices.PATIENT_VIEW_ID);
                assertThat(service.get("prefetch").fieldNames())
                        .toIterable()
                        .containsExactly(
                                "patient",
                                "conditions",
                                "observations",
                                "reports",
                                "serviceRequests",
                                "specimens",
                                "staging");
            } else {
                assertThat(service.get("prefetch").fieldNames())
                        .toIterable()
                        .containsExactly(
                                "patient",
                                "conditions",
                                "observations",
                                "medications",
                                "reports",
                                "medicationHistory",
                                "medicationAdministrations",
                                "medicationStatements");
            }
        }
    }

    @ParameterizedTest(name = "{0} → 400 {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "not json                                              | malformed-json",
                "hook removed                                          | missing-hook",
                "hook order-select on the order-sign service           | hook-mismatch",
                "hookInstance removed                                  | missing-hook-instance",
                "hookInstance not a uuid                               | invalid-hook-instance",
                "context removed                                       | missing-context",
                "patientId removed                                     | missing-patient-id",
                "patientId with a slash                                | invalid-patient-id",
                "draftOrders removed                                   | missing-draft-orders",
                "draftOrders not a Bundle                              | invalid-draft-orders",
                "fhirAuthorization without fhirServer                  | fhir-authorization-without-server",
                "fhirServer not a URL                                  | invalid-fhir-server"
            })
    void malformedCallsGet400WithAStableCode(String breakage, String code, ServerProcess server) throws Exception {
        ObjectNode request = call("order-sign", "123");
        ObjectNode context = (ObjectNode) request.get("context");
        String body = switch (breakage.trim()) {
            case "not json" -> "{\"hook\": ";
            case "hook removed" -> {
                request.remove("hook");
                yield request.toString();
            }
            case "hook order-select on the order-sign service" -> {
                request.put("hook", "order-select");
                yield request.toString();
            }
            case "hookInstance removed" -> {
                request.remove("hookInstance");
                yield request.toString();
            }
            case "hookInstance not a uuid" -> {
                request.put("hookInstance", "12345");
                yield request.toString();
            }
            case "context removed" -> {
                request.remove("context");
                yield request.toString();
            }
            case "patientId removed" -> {
                context.remove("patientId");
                yield request.toString();
            }
            case "patientId with a slash" -> {
                context.put("patientId", "../Patient/1");
                yield request.toString();
            }
            case "draftOrders removed" -> {
                context.remove("draftOrders");
                yield request.toString();
            }
            case "draftOrders not a Bundle" -> {
                context.set("draftOrders", JSON.readTree("{\"resourceType\":\"Patient\"}"));
                yield request.toString();
            }
            case "fhirAuthorization without fhirServer" -> {
                request.putObject("fhirAuthorization").put("access_token", "x");
                yield request.toString();
            }
            case "fhirServer not a URL" -> {
                request.put("fhirServer", "not a url");
                yield request.toString();
            }
            default -> throw new IllegalArgumentException(breakage);
        };
        Http.Response response = post(server, CdsServices.ORDER_SIGN_ID, body);
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.header("Content-Type")).startsWith("application/fhir+json");
        assertThat(errorCode(response)).isEqualTo(code.trim());
    }

    @Test
    void orderSelectNeedsSelectionsThatNameADraftOrder(ServerProcess server) throws Exception {
        ObjectNode request = call("order-select", "123");
        ((ObjectNode) request.get("context")).remove("selections");
        assertThat(errorCode(post(server, CdsServices.ORDER_SELECT_ID, request.toString())))
                .isEqualTo("missing-selections");
        ((ObjectNode) request.get("context")).putArray("selections").add("MedicationRequest/not-there");
        Http.Response response = post(server, CdsServices.ORDER_SELECT_ID, request.toString());
        assertThat(response.status()).isEqualTo(400);
        assertThat(errorCode(response)).isEqualTo("selection-not-in-draft-orders");
    }

    @Test
    void anUnknownServiceIs404(ServerProcess server) throws Exception {
        Http.Response response =
                post(server, "no-such-service", call("order-sign", "1").toString());
        assertThat(response.status()).isEqualTo(404);
        assertThat(errorCode(response)).isEqualTo("unknown-service");
    }

    @Test
    void withoutPrefetchOrAFhirServerTheDataIsUnobtainable412(ServerProcess server) throws Exception {
        String unknownPatient =
                "not-in-our-store-" + UUID.randomUUID().toString().substring(0, 8);
        Http.Response response = post(
                server,
                CdsServices.ORDER_SIGN_ID,
                call("order-sign", unknownPatient).toString());
        assertThat(response.status()).as(response.body()).isEqualTo(412);
        assertThat(errorCode(response)).isEqualTo("data-unavailable");
        assertThat(response.body()).doesNotContain(unknownPatient);
    }

    /** The EHR's Patient as an EHR sends it: its own id, the MRN our store's record also carries. */
    private ObjectNode ehrPatientWithTheMutantsMrn(ServerProcess server, String ehrId) throws Exception {
        ObjectNode patient = (ObjectNode) JSON.readTree(
                Http.get(server.fhirBase() + "/Patient/" + mutantPatient).body());
        patient.put("id", ehrId);
        patient.remove("meta");
        return patient;
    }

    @Test
    void withoutTheEhrsPatientOurStoreIsNotMatchedByIdAlone(ServerProcess server) throws Exception {
        // Our Patient/N is not the EHR's patient N: with no patient prefetch and no fhirServer, nothing decides.
        Http.Response response = post(
                server,
                CdsServices.ORDER_SIGN_ID,
                call("order-sign", mutantPatient).toString());
        assertThat(response.status()).as(response.body()).isEqualTo(412);
        assertThat(errorCode(response)).isEqualTo("data-unavailable");
    }

    @Test
    void aMutationInOurStoreWarnsEvenWhenTheEhrDataIsUnobtainable(ServerProcess server) throws Exception {
        String ehrId = "ehr-" + UUID.randomUUID().toString().substring(0, 8);
        ObjectNode request = call("order-sign", ehrId);
        request.putObject("prefetch").set("patient", ehrPatientWithTheMutantsMrn(server, ehrId));
        Http.Response response = post(server, CdsServices.ORDER_SIGN_ID, request.toString());
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode card = JSON.readTree(response.body()).path("cards").path(0);
        assertThat(card.path("indicator").asText()).isEqualTo("critical");
        assertThat(card.path("summary").asText()).contains("KRAS p.G12D");
    }

    @Test
    void aFhirServerOffTheAllowlistIsNeverContacted(ServerProcess server) throws Exception {
        AtomicInteger hits = new AtomicInteger();
        HttpServer elsewhere = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        elsewhere.createContext("/", exchange -> {
            hits.incrementAndGet();
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
        });
        elsewhere.start();
        try {
            String unknownPatient =
                    "not-in-our-store-" + UUID.randomUUID().toString().substring(0, 8);
            String ehrMutant = "ehr-" + UUID.randomUUID().toString().substring(0, 8);
            for (String patient : List.of(unknownPatient, ehrMutant)) {
                ObjectNode request = call("order-sign", patient);
                if (patient.equals(ehrMutant)) {
                    request.putObject("prefetch").set("patient", ehrPatientWithTheMutantsMrn(server, ehrMutant));
                }
                request.put(
                        "fhirServer",
                        "http://127.0.0.1:" + elsewhere.getAddress().getPort() + "/fhir");
                request.putObject("fhirAuthorization")
                        .put("access_token", "secret-token")
                        .put("token_type", "Bearer");
                Http.Response response = post(server, CdsServices.ORDER_SIGN_ID, request.toString());
                if (patient.equals(unknownPatient)) {
                    assertThat(response.status()).isEqualTo(412);
                    assertThat(response.body()).contains("allowlist");
                } else {
                    // Our store alone shows the mutation: the answer comes from it, still without calling out.
                    assertThat(response.status()).as(response.body()).isEqualTo(200);
                    assertThat(response.body()).contains("\"critical\"");
                }
                assertThat(response.body()).doesNotContain("secret-token");
            }
            assertThat(hits.get()).isZero();
            assertThat(server.output())
                    .noneMatch(line -> line.contains("secret-token") || line.contains(mutantPatient + "\""));
        } finally {
            elsewhere.stop(0);
        }
    }

    @Test
    void aPaginatedPrefetchIsFollowedThroughNext(ServerProcess server) throws Exception {
        ObjectNode request = call("order-sign", mutantPatient);
        request.put("fhirServer", server.fhirBase());
        ObjectNode prefetch = request.putObject("prefetch");
        prefetch.set(
                "patient",
                JSON.readTree(Http.get(server.fhirBase() + "/Patient/" + mutantPatient)
                        .body()));
        JsonNode conditions =
                JSON.readTree(Http.get(server.fhirBase() + "/Condition?patient=" + mutantPatient + "&_count=1")
                        .body());
        assertThat(conditions.toString()).contains("\"relation\":\"next\"");
        prefetch.set("conditions", conditions);
        prefetch.set(
                "observations",
                JSON.readTree(Http.get(server.fhirBase() + "/Observation?patient=" + mutantPatient + "&_count=1")
                        .body()));
        prefetch.putNull("medications");
        CdsCalls.noMedicationHistory(prefetch);
        Http.Response response = post(server, CdsServices.ORDER_SIGN_ID, request.toString());
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(CardRules.checkResponse(body)).isEmpty();
        assertThat(body.at("/cards/0/summary").asText())
                .isEqualTo("Cetuximab not recommended: KRAS p.G12D (RAS-mutant)");
    }

    @Test
    void aNullPatientMeansNoDataNotMissing(ServerProcess server) throws Exception {
        ObjectNode request = call("order-sign", "no-such-patient");
        ObjectNode prefetch = request.putObject("prefetch");
        prefetch.putNull("patient");
        prefetch.putNull("conditions");
        prefetch.putNull("observations");
        prefetch.putNull("medications");
        CdsCalls.noMedicationHistory(prefetch);
        Http.Response response = post(server, CdsServices.ORDER_SIGN_ID, request.toString());
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).at("/cards/0/indicator").asText())
                .isEqualTo("warning");
    }

    @Test
    void feedbackIsStoredAsAuditEventsTiedToTheCardAndTheHookInstance(ServerProcess server) throws Exception {
        ObjectNode request = call("order-sign", mutantPatient);
        request.put("fhirServer", server.fhirBase());
        String hookInstance = request.get("hookInstance").asText();
        JsonNode cards = JSON.readTree(post(server, CdsServices.ORDER_SIGN_ID, request.toString())
                        .body())
                .get("cards");
        String card = cards.get(0).get("uuid").asText();
        String suggestion = cards.get(0).at("/suggestions/0/uuid").asText();

        String feedback = """
                {"feedback":[
                  {"card":"%s","outcome":"overridden","outcomeTimestamp":"2026-11-29T10:00:00Z",
                   "overrideReason":{"reason":{"system":"http://rasguard.org/fhir/CodeSystem/cds-override-reason","code":"clinical-trial",
                     "display":"Patient is treated on a clinical trial"},"userComment":"CodeBreaK trial arm"}},
                  {"card":"%s","outcome":"accepted","outcomeTimestamp":"2026-11-29T10:01:00Z","acceptedSuggestions":[{"id":"%s"}]}]}
                """.formatted(card, card, suggestion);
        Http.Response stored = post(server, CdsServices.ORDER_SIGN_ID + "/feedback", feedback);
        assertThat(stored.status()).as(stored.body()).isEqualTo(200);

        Bundle events =
                Http.get(server.fhirBase() + "/AuditEvent?entity-name=" + card).resource(Bundle.class);
        // The decision that issued the card is audited too (asynchronously): count the feedback only.
        assertThat(feedbackEvents(events)).hasSize(2);
        AuditEvent overridden = feedbackEvents(events).stream()
                .filter(e -> e.getSubtypeFirstRep().getCode().equals("overridden"))
                .findFirst()
                .orElseThrow();
        assertThat(overridden.getEntity())
                .extracting(AuditEvent.AuditEventEntityComponent::getName)
                .containsExactly(card, hookInstance);
        assertThat(Http.encode(overridden)).contains("clinical-trial", "CodeBreaK trial arm", "RasMutant");

        // Epic's shape: overrideReasons (plural), with a reason the card offered
        String epic = """
                {"feedback":[{"card":"%s","outcome":"overridden","outcomeTimestamp":"2026-11-29T10:02:00Z",
                  "overrideReasons":{"reason":{"system":"http://rasguard.org/fhir/CodeSystem/cds-override-reason",
                    "code":"result-under-review","display":"RAS result under review or in outside records"}}}]}
                """.formatted(card);
        assertThat(post(server, CdsServices.ORDER_SIGN_ID + "/feedback", epic).status())
                .isEqualTo(200);
        // no-cache: HAPI reuses the results of an identical search for a minute
        Http.Response again =
                Http.send(HttpRequest.newBuilder(URI.create(server.fhirBase() + "/AuditEvent?entity-name=" + card))
                        .header("Accept", "application/fhir+json")
                        .header("Cache-Control", "no-cache")
                        .GET());
        assertThat(feedbackEvents(again.resource(Bundle.class))).hasSize(3);

        Http.Response bad = post(
                server,
                CdsServices.ORDER_SIGN_ID + "/feedback",
                "{\"feedback\":[{\"card\":\"x\",\"outcome\":\"ignored\"}]}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(errorCode(bad)).isEqualTo("invalid-feedback");
    }

    @Test
    void noCorsHeadersUnlessAnOriginIsConfigured(ServerProcess server) {
        Http.Response response = Http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/cds-services"))
                .header("Origin", "https://ehr.example.org")
                .GET());
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Access-Control-Allow-Origin")).isNull();
    }
}
