package org.rasguard.server.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.rasguard.cdshooks.CdsServices;
import org.rasguard.server.it.CdsCalls;
import org.rasguard.server.it.Http;
import org.rasguard.server.it.ServerProcess;
import org.rasguard.server.it.TestDatabase;

/**
 * Whether reads stay flat as the store grows (issue 19): loads Observations through transaction
 * Bundles into one packaged server and, each time the store passes a checkpoint (10,000, 100,000 and
 * 1,000,000 Observations by default), measures {@code $ras-status} and an order-sign call answered
 * from our store for the five example patients. Not a test: run by hand and copy the figures into the
 * README's Measurements table.
 *
 * <pre>
 * java -cp "fhir-server/target/test-classes:fhir-server/target/classes:$(cat cp.txt)" \
 *     -Drasguard.server.jar=fhir-server/target/rasguard-server.jar \
 *     org.rasguard.server.bench.StoreScaleRun [10000,100000,1000000]
 * </pre>
 * With {@code -Drasguard.it.postgres.url=…} (as for the integration tests) on a fresh PostgreSQL
 * database, else on H2 in a new data directory. {@code -Drasguard.bench.dataDir=DIR} puts the H2
 * database in DIR and keeps it; the argument {@code measure} then starts a server on that store,
 * loads nothing and measures once: a store loaded while the machine did other work is measured
 * later on an idle one.
 *
 * <p>Each loaded Bundle is one Patient (conditional create on its MRN) with {@value #PER_PATIENT}
 * Observations: two KRAS variants and other laboratory results under a local code, so that most of
 * the store is what a real one holds, results that are not about RAS. Validation is off: the run is
 * about reads, and {@code IngestThroughputRun} measures writes. Latency is measured sequentially (one
 * call at a time, after a warm-up), the p50 being the figure the issue compares.
 */
public final class StoreScaleRun {

    static final int PER_PATIENT = 20;
    static final int CLIENTS = 4;
    static final int WARM_UP_CALLS = 50;
    static final int MEASURED_CALLS = 300;

    private StoreScaleRun() {}

    public static void main(String[] args) throws Exception {
        boolean measureOnly = args.length > 0 && args[0].equals("measure");
        long[] checkpoints = Arrays.stream(
                        (args.length > 0 && !measureOnly ? args[0] : "10000,100000,1000000").split(","))
                .mapToLong(Long::parseLong)
                .sorted()
                .toArray();
        Map<String, String> env = new HashMap<>(TestDatabase.fresh());
        env.put("RASGUARD_VALIDATION", "off");
        env.put("RASGUARD_RATE_LIMIT_PER_SECOND", "0");
        String keptDir = System.getProperty("rasguard.bench.dataDir");
        java.nio.file.Path dataDir = keptDir != null
                ? Files.createDirectories(java.nio.file.Path.of(keptDir))
                : Files.createTempDirectory("rasguard-scale-");
        try (ServerProcess server =
                new ServerProcess(dataDir, env).withJvmDefaults().start()) {
            // Conditional creates: on a kept store the example patients are found again, nothing new is stored.
            List<String> patients = CdsLoadRun.loadExamples(server);
            HttpClient client =
                    HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            java.util.function.Function<String, HttpRequest> rasStatus = patient -> HttpRequest.newBuilder(
                            URI.create(server.fhirBase() + "/Patient/" + patient + "/$ras-status"))
                    .header("Accept", "application/fhir+json")
                    .GET()
                    .build();
            String url = server.baseUrl() + "/cds-services/" + CdsServices.ORDER_SIGN_ID;
            java.util.function.Function<String, HttpRequest> orderSign =
                    patient -> HttpRequest.newBuilder(URI.create(url))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(CdsCalls.orderSignFromStoreOnly(
                                            server.fhirBase(), patient)
                                    .put("hookInstance", UUID.randomUUID().toString())
                                    .toString()))
                            .build();
            AtomicLong stored = new AtomicLong();
            if (measureOnly) {
                stored.set(observationCount(server));
                measure(client, "warm-up", stored.get(), patients, rasStatus);
                measure(client, "warm-up", stored.get(), patients, orderSign);
                measureCheckpoint(server, client, stored.get(), patients, rasStatus, orderSign);
                return;
            }
            // A first load and a first round of both calls that are not counted: the first checkpoint
            // would otherwise be measured on a server still compiling its hot paths.
            load(server, stored, 2_000);
            measure(client, "warm-up", stored.get(), patients, rasStatus);
            measure(client, "warm-up", stored.get(), patients, orderSign);
            for (long checkpoint : checkpoints) {
                long before = stored.get();
                long started = System.nanoTime();
                load(server, stored, checkpoint);
                double seconds = (System.nanoTime() - started) / 1e9;
                System.out.printf(
                        "[scale] %,d Observations stored (%,d loaded in %.0f s, %.0f /s)%n",
                        stored.get(), stored.get() - before, seconds, (stored.get() - before) / seconds);
                measureCheckpoint(server, client, stored.get(), patients, rasStatus, orderSign);
            }
        }
    }

    /** The Observations the store holds (a count search). */
    private static long observationCount(ServerProcess server) {
        Http.Response response = Http.get(server.fhirBase() + "/Observation?_summary=count");
        return response.resource(org.hl7.fhir.r4.model.Bundle.class).getTotal();
    }

    /** The figures of one checkpoint: both calls, then the server's resident set. */
    private static void measureCheckpoint(
            ServerProcess server,
            HttpClient client,
            long stored,
            List<String> patients,
            java.util.function.Function<String, HttpRequest> rasStatus,
            java.util.function.Function<String, HttpRequest> orderSign)
            throws Exception {
        measure(client, "$ras-status", stored, patients, rasStatus);
        measure(client, "order-sign from our store", stored, patients, orderSign);
        System.out.printf("[scale] server resident set %,d MB%n", server.residentKilobytes() / 1024);
    }

    /** Posts Bundles from {@value #CLIENTS} clients until the store holds {@code target} loaded Observations. */
    private static void load(ServerProcess server, AtomicLong stored, long target) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                running.add(clients.submit(() -> {
                    while (stored.getAndAdd(PER_PATIENT) < target) {
                        Http.Response response = Http.post(server.fhirBase(), bundle());
                        if (response.status() != 200) {
                            throw new IllegalStateException("Bundle refused: " + response.status());
                        }
                    }
                    stored.addAndGet(-PER_PATIENT); // the claim that found the target reached posted nothing
                    return null;
                }));
            }
            for (Future<?> client : running) {
                client.get();
            }
        } finally {
            clients.shutdown();
        }
    }

    private static void measure(
            HttpClient client,
            String what,
            long stored,
            List<String> patients,
            java.util.function.Function<String, HttpRequest> request)
            throws Exception {
        long[] latencies = new long[MEASURED_CALLS];
        for (int i = 0; i < WARM_UP_CALLS + MEASURED_CALLS; i++) {
            long started = System.nanoTime();
            HttpResponse<String> response =
                    client.send(request.apply(patients.get(i % patients.size())), HttpResponse.BodyHandlers.ofString());
            long took = System.nanoTime() - started;
            if (response.statusCode() != 200) {
                throw new IllegalStateException(what + " answered " + response.statusCode());
            }
            if (i >= WARM_UP_CALLS) {
                latencies[i - WARM_UP_CALLS] = took;
            }
        }
        Arrays.sort(latencies);
        if (what.equals("warm-up")) {
            return;
        }
        System.out.printf(
                "[scale] %s at %,d Observations: p50 %.1f ms, p95 %.1f ms, p99 %.1f ms (%d sequential calls)%n",
                what, stored, ms(latencies, 0.50), ms(latencies, 0.95), ms(latencies, 0.99), MEASURED_CALLS);
    }

    private static double ms(long[] sorted, double quantile) {
        int index = (int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1_000_000.0;
    }

    /** One Patient and {@value #PER_PATIENT} Observations: two KRAS variants, the rest other results. */
    static String bundle() {
        String patient = "urn:uuid:" + UUID.randomUUID();
        String mrn = UUID.randomUUID().toString();
        StringBuilder json = new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[");
        json.append("{\"fullUrl\":\"")
                .append(patient)
                .append("\",\"resource\":{\"resourceType\":\"Patient\",")
                .append("\"identifier\":[{\"system\":\"urn:example:mrn\",\"value\":\"")
                .append(mrn)
                .append("\"}]},")
                .append(
                        "\"request\":{\"method\":\"POST\",\"url\":\"Patient\",\"ifNoneExist\":\"identifier=urn:example:mrn|")
                .append(mrn)
                .append("\"}}");
        for (int i = 0; i < PER_PATIENT; i++) {
            String resource = i < 2 ? IngestThroughputRun.variant(patient, mrn + "-" + i) : otherResult(patient, i);
            json.append(",{\"fullUrl\":\"urn:uuid:")
                    .append(UUID.randomUUID())
                    .append("\",\"resource\":")
                    .append(resource)
                    .append(",\"request\":{\"method\":\"POST\",\"url\":\"Observation\"}}");
        }
        return json.append("]}").toString();
    }

    private static String otherResult(String patient, int n) {
        return """
                {"resourceType":"Observation","status":"final",
                 "category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"laboratory"}]}],
                 "code":{"coding":[{"system":"urn:example:local-lab","code":"panel-%d"}],"text":"Local laboratory result %d"},
                 "subject":{"reference":"%s"},"effectiveDateTime":"2026-0%d-1%d",
                 "valueQuantity":{"value":%d.%d,"unit":"g/L"}}
                """.formatted(n % 12, n % 12, patient, 1 + n % 9, n % 10, 100 + n, n % 10);
    }
}
