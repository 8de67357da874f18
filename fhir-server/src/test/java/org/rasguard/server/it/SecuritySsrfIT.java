package org.rasguard.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.rasguard.cdshooks.CdsServices;

/**
 * No server-side request forgery: a CDS call naming a {@code fhirServer} that is not on
 * {@code RASGUARD_CDS_FHIR_SERVERS} never makes the service connect there. A raw TCP listener stands in
 * for that server and counts every connection attempt, HTTP or not; the call is still answered, from
 * prefetch and our own store (or with 412 when they lack what the decision needs).
 */
@ExtendWith(SecurityServer.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecuritySsrfIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SERVICE = "/cds-services/" + CdsServices.ORDER_SIGN_ID;

    private final AtomicInteger connections = new AtomicInteger();
    private ServerSocket listener;
    private Thread acceptor;
    private String patient;

    @BeforeAll
    void startTheListenerAndStoreTheMutantPatient(SecurityServer.Setup setup) throws Exception {
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(
                () -> {
                    while (!listener.isClosed()) {
                        try (Socket ignored = listener.accept()) {
                            connections.incrementAndGet();
                        } catch (SocketException closed) {
                            return;
                        } catch (IOException e) {
                            // keep listening
                        }
                    }
                },
                "ssrf-listener");
        acceptor.setDaemon(true);
        acceptor.start();

        String bundle = Files.readString(
                Path.of("..", "ig-resources", "src", "main", "fhir", "example", "Bundle-ras-mutant-patient.json"));
        Http.Response posted = Http.send(setup.request("/fhir", setup.fhirToken("system/*.cruds", null))
                .header("Content-Type", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString(bundle, StandardCharsets.UTF_8)));
        assertThat(posted.status()).as(posted.body()).isEqualTo(200);
        patient = posted.resource(Bundle.class)
                .getEntryFirstRep()
                .getResponse()
                .getLocation()
                .split("/")[1];
    }

    @AfterAll
    void stopTheListener() throws Exception {
        listener.close();
        acceptor.join(2_000);
    }

    private String listenerUrl() {
        return "http://127.0.0.1:" + listener.getLocalPort() + "/fhir";
    }

    private ObjectNode request(String fhirServer) throws Exception {
        ObjectNode request = CdsCalls.request("order-sign", patient, CdsCalls.cetuximabOrder(patient));
        request.put("fhirServer", fhirServer);
        request.putObject("fhirAuthorization")
                .put("access_token", "ehr-access-token-do-not-leak")
                .put("token_type", "Bearer")
                .put("expires_in", 300)
                .put("scope", "user/*.read")
                .put("subject", "rasguard");
        return request;
    }

    private JsonNode read(SecurityServer.Setup setup, String path) throws Exception {
        Http.Response response = Http.send(
                setup.request(path, setup.fhirToken("system/*.read", null)).GET());
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private Http.Response call(SecurityServer.Setup setup, ObjectNode request) {
        return Http.send(setup.request(SERVICE, setup.cdsToken(SERVICE))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(request.toString(), StandardCharsets.UTF_8)));
    }

    @Test
    void aFhirServerOffTheAllowlistIsNeverConnectedToAndTheAnswerComesFromPrefetch(SecurityServer.Setup setup)
            throws Exception {
        ObjectNode request = request(listenerUrl());
        ObjectNode prefetch = request.putObject("prefetch");
        prefetch.set("patient", read(setup, "/fhir/Patient/" + patient));
        prefetch.set("conditions", read(setup, "/fhir/Condition?patient=" + patient));
        prefetch.set("observations", read(setup, "/fhir/Observation?patient=" + patient));
        prefetch.putNull("medications");
        CdsCalls.noMedicationHistory(prefetch);

        Http.Response response = call(setup, request);

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.at("/cards/0/indicator").asText()).isEqualTo("critical");
        assertThat(body.at("/cards/0/summary").asText()).contains("Cetuximab not recommended");
        assertThat(connections.get())
                .as("connections to the fhirServer off the allowlist")
                .isZero();
    }

    @Test
    void withoutPrefetchTheAnswerComesFromOurStoreOr412AndStillNothingIsContacted(SecurityServer.Setup setup)
            throws Exception {
        for (String elsewhere : new String[] {
            listenerUrl(),
            "http://localhost:" + listener.getLocalPort() + "/fhir",
            "http://[::1]:" + listener.getLocalPort() + "/fhir",
            "https://ehr-a.example.test/fhir/../../" + listener.getLocalPort(),
            "https://ehr-a.example.test@127.0.0.1:" + listener.getLocalPort() + "/fhir"
        }) {
            Http.Response response = call(setup, request(elsewhere));
            // Answered from our own genomics store (200), or 412 when that is not enough, or 400 for a bad URL.
            assertThat(response.status()).as(elsewhere + ": " + response.body()).isIn(200, 400, 412);
            assertThat(response.body()).doesNotContain("ehr-access-token-do-not-leak", "\tat ");
        }
        assertThat(connections.get()).isZero();
        assertThat(setup.server.output()).noneMatch(line -> line.contains("ehr-access-token-do-not-leak"));
    }
}
