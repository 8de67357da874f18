package org.rasguard.server.bench;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.rasguard.server.it.Http;
import org.rasguard.server.it.ServerProcess;

/**
 * What ingest validation costs: genomic Observations per second through transaction Bundles, with
 * {@code RASGUARD_VALIDATION=off} and {@code warn}, each on a freshly started packaged server with an
 * empty H2 database. Not a test: run by hand after {@code mvn package}, and copy the figures into the
 * README's Measurements table.
 *
 * <pre>
 * cd fhir-server && mvn -B -o -q test-compile && java -cp "target/test-classes:$(cat cp.txt)" \
 *     -Drasguard.server.jar=target/rasguard-server.jar org.rasguard.server.bench.IngestThroughputRun
 * </pre>
 * (with {@code cp.txt} from {@code mvn dependency:build-classpath -Dmdep.outputFile=cp.txt}).
 *
 * <p>Each Bundle holds one Patient (conditional create) and {@value #OBSERVATIONS_PER_BUNDLE}
 * KRAS Variants that declare the Genomics Reporting 3.0.0 Variant profile and conform to it, so
 * {@code warn} does the full profile validation. {@value #CLIENTS} clients post concurrently; the
 * first {@value #WARM_UP_BUNDLES} Bundles (JIT, profile snapshots) are not counted. The server runs
 * with the JVM's default heap, as {@code java -jar} runs it: with the integration tests' 1 GB cap,
 * the young generation left beside the validation packages is small and garbage collection, not
 * validation, sets the pace.
 */
public final class IngestThroughputRun {

    static final int OBSERVATIONS_PER_BUNDLE = 50;
    static final int CLIENTS = 4;
    static final int BUNDLES_PER_CLIENT = Integer.getInteger("bundles", 30);
    static final int WARM_UP_BUNDLES = 16;

    private IngestThroughputRun() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0) { // one mode only, e.g. "off" for the H2 / PostgreSQL comparison
            run(args[0]);
            return;
        }
        // Rounds of off then warn, each on a fresh server; the medians are compared, because one run
        // on a small shared machine can be a fifth faster or slower than the next.
        int rounds = Integer.getInteger("rounds", 3);
        double[] off = new double[rounds];
        double[] warn = new double[rounds];
        for (int round = 0; round < rounds; round++) {
            off[round] = run("off");
            warn[round] = run("warn");
        }
        System.out.printf(
                "[throughput] median of %d rounds: off %.0f Observations/s, warn %.0f Observations/s; warn/off = %.0f%%%n",
                rounds, median(off), median(warn), 100 * median(warn) / median(off));
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static double run(String mode) throws Exception {
        // With -Drasguard.it.postgres.url=… (as for the integration tests) the run uses a fresh PostgreSQL database.
        Map<String, String> env = new java.util.HashMap<>(org.rasguard.server.it.TestDatabase.fresh());
        env.put("RASGUARD_VALIDATION", mode);
        env.put("RASGUARD_RATE_LIMIT_PER_SECOND", "0");
        try (ServerProcess server = new ServerProcess(Files.createTempDirectory("rasguard-bench-"), env)
                .withJvmDefaults()
                .start()) {
            for (int i = 0; i < WARM_UP_BUNDLES; i++) {
                post(server);
            }
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            long started = System.nanoTime();
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                running.add(clients.submit(() -> {
                    for (int b = 0; b < BUNDLES_PER_CLIENT; b++) {
                        post(server);
                    }
                    return null;
                }));
            }
            for (Future<?> client : running) {
                client.get();
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            clients.shutdown();
            int observations = CLIENTS * BUNDLES_PER_CLIENT * OBSERVATIONS_PER_BUNDLE;
            double rate = observations / seconds;
            System.out.printf(
                    "[throughput] RASGUARD_VALIDATION=%s: %d Observations in %.1f s = %.0f Observations/s%n",
                    mode, observations, seconds, rate);
            return rate;
        }
    }

    private static void post(ServerProcess server) {
        Http.Response response = Http.post(server.fhirBase(), bundle());
        if (response.status() != 200) {
            throw new IllegalStateException("Bundle refused: " + response.status() + " " + response.body());
        }
    }

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
        for (int i = 0; i < OBSERVATIONS_PER_BUNDLE; i++) {
            json.append(",{\"fullUrl\":\"urn:uuid:")
                    .append(UUID.randomUUID())
                    .append("\",\"resource\":")
                    .append(variant(patient, mrn + "-" + i))
                    .append(",\"request\":{\"method\":\"POST\",\"url\":\"Observation\"}}");
        }
        return json.append("]}").toString();
    }

    static String variant(String patient, String id) {
        return """
                {"resourceType":"Observation",
                 "meta":{"profile":["http://hl7.org/fhir/uv/genomics-reporting/StructureDefinition/variant"]},
                 "identifier":[{"system":"urn:example:lab:result","value":"%s"}],
                 "status":"final",
                 "category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"laboratory"}]},
                   {"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v2-0074","code":"GE"}]}],
                 "code":{"coding":[{"system":"http://loinc.org","code":"69548-6","display":"Genetic variant assessment"}]},
                 "subject":{"reference":"%s"},
                 "effectiveDateTime":"2026-09-14",
                 "valueCodeableConcept":{"coding":[{"system":"http://loinc.org","code":"LA9633-4","display":"Present"}]},
                 "component":[
                   {"code":{"coding":[{"system":"http://loinc.org","code":"48018-6","display":"Gene studied [ID]"}]},
                    "valueCodeableConcept":{"coding":[{"system":"http://www.genenames.org","code":"HGNC:6407","display":"KRAS"}]}},
                   {"code":{"coding":[{"system":"http://loinc.org","code":"48004-6","display":"DNA change (c.HGVS)"}]},
                    "valueCodeableConcept":{"coding":[{"system":"http://varnomen.hgvs.org","code":"NM_004985.5:c.35G>A"}]}},
                   {"code":{"coding":[{"system":"http://loinc.org","code":"48005-3","display":"Amino acid change (pHGVS)"}]},
                    "valueCodeableConcept":{"coding":[{"system":"http://varnomen.hgvs.org","code":"NP_004976.2:p.(Gly12Asp)"}]}}]}
                """.formatted(id, patient);
    }
}
