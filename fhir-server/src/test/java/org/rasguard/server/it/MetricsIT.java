package org.rasguard.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.rasguard.cdshooks.CdsScenarios.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.rasguard.cdshooks.CdsScenarios.Scenario;
import org.rasguard.cdshooks.CdsServices;

/**
 * Scrapes {@code /metrics} before and after a known set of calls and checks the differences: the CDS
 * decision histogram and counters by verdict and indicator, cards and feedback, requests by
 * normalised route, ingest counts, the audit writer; and that JVM and pool figures are there.
 * Requests are prepared (prefetch read) before the first scrape, and the calls carry full prefetch,
 * so the service makes no requests of its own to this server in between.
 */
@ExtendWith(SharedServer.class)
class MetricsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    @Test
    void decisionsRequestsIngestAndAuditAreCountedAndTheJvmAndPoolAreThere(ServerProcess server) throws Exception {
        Scenario mutant = scenario("metrics-mutant")
                .crc()
                .evidence(kras("NP_004976.2:p.Gly12Val"))
                .order(cetuximab())
                .build();
        Scenario unknown =
                scenario("metrics-unknown").crc().order(panitumumab()).build();
        Map<String, String> before = scrape(server);
        String mutantPatient = post(server, mutant);
        String unknownPatient = post(server, unknown);
        String signMutant = request(server, "order-sign", mutant, mutantPatient);
        String selectUnknown = request(server, "order-select", unknown, unknownPatient);

        Map<String, String> prepared = scrape(server);
        List<JsonNode> answers = new ArrayList<>();
        answers.add(call(server, CdsServices.ORDER_SIGN_ID, signMutant));
        answers.add(call(server, CdsServices.ORDER_SIGN_ID, signMutant));
        answers.add(call(server, CdsServices.ORDER_SELECT_ID, selectUnknown));
        assertThat(Http.get(server.fhirBase() + "/Patient/" + mutantPatient).status())
                .isEqualTo(200);
        String card = answers.get(0).get("cards").get(0).get("uuid").asText();
        Http.Response feedback = Http.post(
                server.baseUrl() + "/cds-services/" + CdsServices.ORDER_SIGN_ID + "/feedback",
                "{\"feedback\":[{\"card\":\"" + card + "\",\"outcome\":\"overridden\",\"outcomeTimestamp\":\""
                        + Instant.now() + "\"}]}",
                "application/json");
        assertThat(feedback.status()).isEqualTo(200);

        Map<String, String> after = waitFor(server, "rasguard_audit_events_total{result=\"written\"}", prepared, 3);
        assertThat(delta(
                        prepared,
                        after,
                        "rasguard_cds_decisions_total{hook=\"order-sign\",indicator=\"critical\",verdict=\"mutated\"}"))
                .isEqualTo(2);
        assertThat(
                        delta(
                                prepared,
                                after,
                                "rasguard_cds_decisions_total{hook=\"order-select\",indicator=\"warning\",verdict=\"unknown\"}"))
                .isEqualTo(1);
        assertThat(delta(prepared, after, "rasguard_cds_decision_seconds_count{hook=\"order-sign\"}"))
                .isEqualTo(2);
        assertThat(delta(prepared, after, "rasguard_cds_decision_seconds_count{hook=\"order-select\"}"))
                .isEqualTo(1);
        assertThat(delta(prepared, after, "rasguard_cds_decision_seconds_bucket{hook=\"order-sign\",le=\"+Inf\"}"))
                .isEqualTo(2);
        assertThat(after.keySet().stream()
                        .filter(k -> k.startsWith("rasguard_cds_decision_seconds_bucket{hook=\"order-sign\",le=")))
                .as("a histogram, not just a count")
                .hasSizeGreaterThan(10);
        assertThat(Double.parseDouble(after.get("rasguard_cds_decision_seconds_sum{hook=\"order-sign\"}")))
                .isGreaterThan(Double.parseDouble(
                        prepared.getOrDefault("rasguard_cds_decision_seconds_sum{hook=\"order-sign\"}", "0")));
        assertThat(delta(prepared, after, "rasguard_cds_cards_total{indicator=\"critical\",topic=\"RasMutant\"}"))
                .isEqualTo(2);
        assertThat(delta(prepared, after, "rasguard_cds_cards_total{indicator=\"warning\",topic=\"RasUnknown\"}"))
                .isEqualTo(1);
        assertThat(delta(prepared, after, "rasguard_cds_feedback_total{outcome=\"overridden\",topic=\"RasMutant\"}"))
                .isEqualTo(1);
        assertThat(
                        delta(
                                prepared,
                                after,
                                "http_server_requests_seconds_count{method=\"POST\",status=\"200\",uri=\"/cds-services/{id}\"}"))
                .isEqualTo(3);
        assertThat(
                        delta(
                                prepared,
                                after,
                                "http_server_requests_seconds_count{method=\"POST\",status=\"200\",uri=\"/cds-services/{id}/feedback\"}"))
                .isEqualTo(1);
        assertThat(delta(
                        prepared,
                        after,
                        "http_server_requests_seconds_count{method=\"GET\",status=\"200\",uri=\"/fhir/Patient/{id}\"}"))
                .isEqualTo(1);
        assertThat(delta(before, prepared, "rasguard_ingest_resources_total{operation=\"create\",type=\"Patient\"}"))
                .isEqualTo(2);
        assertThat(delta(
                        before, prepared, "rasguard_ingest_resources_total{operation=\"create\",type=\"Observation\"}"))
                .isEqualTo(1);

        assertThat(after.keySet()).anyMatch(k -> k.startsWith("jvm_memory_used_bytes{area=\"heap\""));
        assertThat(after.keySet()).anyMatch(k -> k.startsWith("jvm_gc_pause_seconds_count"));
        assertThat(after.keySet()).anyMatch(k -> k.startsWith("jvm_threads_live_threads"));
        assertThat(after.keySet()).anyMatch(k -> k.startsWith("process_cpu_usage") || k.startsWith("system_cpu_count"));
        assertThat(after).containsKey("hikaricp_connections_max{pool=\"rasguard-db\"}");
        assertThat(after.keySet()).noneMatch(k -> k.contains(mutantPatient + "\"") || k.contains(card));
    }

    @Test
    void metricsArePlainTextForAScraper(ServerProcess server) {
        Http.Response metrics = Http.get(server.baseUrl() + "/metrics");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.header("Content-Type")).startsWith("text/plain").contains("version=0.0.4");
        assertThat(metrics.body()).contains("# TYPE rasguard_cds_decision_seconds histogram");
    }

    // ------------------------------------------------------------------ helpers

    /** Every sample, keyed {@code name{labels in name order}}. */
    static Map<String, String> scrape(ServerProcess server) {
        Http.Response response = Http.get(server.baseUrl() + "/metrics");
        assertThat(response.status()).isEqualTo(200);
        Map<String, String> samples = new HashMap<>();
        for (String line : response.body().split("\n")) {
            Matcher sample = SAMPLE.matcher(line);
            if (line.startsWith("#") || !sample.matches()) {
                continue;
            }
            TreeMap<String, String> labels = new TreeMap<>();
            if (sample.group(3) != null) {
                Matcher label = LABEL.matcher(sample.group(3));
                while (label.find()) {
                    labels.put(label.group(1), label.group(2));
                }
            }
            StringBuilder key = new StringBuilder(sample.group(1));
            if (!labels.isEmpty()) {
                key.append('{');
                labels.forEach((name, value) ->
                        key.append(name).append("=\"").append(value).append("\","));
                key.setCharAt(key.length() - 1, '}');
            }
            samples.put(key.toString(), sample.group(4));
        }
        return samples;
    }

    private static long delta(Map<String, String> before, Map<String, String> after, String key) {
        assertThat(after).as("metrics after the calls").containsKey(key);
        return Math.round(Double.parseDouble(after.get(key)) - Double.parseDouble(before.getOrDefault(key, "0")));
    }

    /** The audit writer stores decisions shortly after the calls: waits until it has stored {@code n} more. */
    private static Map<String, String> waitFor(ServerProcess server, String key, Map<String, String> before, long n)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + 20_000;
        Map<String, String> now = scrape(server);
        while (System.currentTimeMillis() < deadline
                && (!now.containsKey(key)
                        || Double.parseDouble(now.get(key)) - Double.parseDouble(before.getOrDefault(key, "0")) < n)) {
            Thread.sleep(200);
            now = scrape(server);
        }
        assertThat(delta(before, now, key)).isGreaterThanOrEqualTo(n);
        return now;
    }

    private static String post(ServerProcess server, Scenario scenario) {
        Http.Response posted = Http.post(server.fhirBase(), Http.encode(scenario.transaction()));
        assertThat(posted.status()).as(posted.body()).isEqualTo(200);
        return posted.resource(Bundle.class)
                .getEntryFirstRep()
                .getResponse()
                .getLocation()
                .split("/")[1];
    }

    /** A call with every prefetch key filled from this server (read now, before the measured window). */
    private static String request(ServerProcess server, String hook, Scenario scenario, String patientId)
            throws Exception {
        ObjectNode request = JSON.createObjectNode();
        request.put("hook", hook);
        request.put("hookInstance", "{{hookInstance}}");
        ObjectNode context = request.putObject("context");
        context.put("userId", "Practitioner/metrics-it");
        context.put("patientId", patientId);
        Bundle draftOrders = new Bundle().setType(Bundle.BundleType.COLLECTION);
        for (Resource order : scenario.orders().apply(name -> patientId)) {
            draftOrders
                    .addEntry()
                    .setFullUrl(order.fhirType() + "/" + order.getIdElement().getIdPart())
                    .setResource(order);
        }
        context.set("draftOrders", JSON.readTree(Http.encode(draftOrders)));
        if (hook.equals("order-select")) {
            context.putArray("selections").add(scenario.selected());
        }
        CdsCalls.withPrefetch(request, server.fhirBase());
        return request.toString();
    }

    private static JsonNode call(ServerProcess server, String serviceId, String request) throws Exception {
        Http.Response response = Http.post(
                server.baseUrl() + "/cds-services/" + serviceId,
                request.replace("{{hookInstance}}", UUID.randomUUID().toString()),
                "application/json");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("cards")).hasSize(1);
        return body;
    }
}
