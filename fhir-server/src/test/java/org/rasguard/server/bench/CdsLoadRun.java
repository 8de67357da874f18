package org.rasguard.server.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.hl7.fhir.r4.model.Bundle;
import org.rasguard.cdshooks.CdsServices;
import org.rasguard.server.it.CdsCalls;
import org.rasguard.server.it.Http;
import org.rasguard.server.it.ServerProcess;

/**
 * Load run (not a test) of order-sign: starts the packaged server, loads the five example patients,
 * then fires order-sign calls with a cetuximab draft order at a fixed rate for a fixed time, first
 * with full prefetch, then with no prefetch (the service reads fhirServer = the server itself). Open
 * loop: latency is measured from each call's scheduled start, so a slow answer cannot hide the
 * calls queued behind it. Loopback only.
 *
 * <pre>
 * mvn -B -o -q package -DskipTests && mvn -B -o -q test-compile -f fhir-server/pom.xml
 * java -cp "fhir-server/target/test-classes:fhir-server/target/classes:$(cat cp.txt)" \
 *     org.rasguard.server.bench.CdsLoadRun [ratePerSecond=50] [seconds=30] [audit=on|off] [calls=both|prefetch|fallback|ehr]
 * </pre>
 *
 * The fourth argument runs only the full-prefetch calls or only the no-prefetch ones (issue 19 sets
 * their goals at different rates: 200/s with prefetch, 25/s without). {@code fallback} reads from this
 * very server's FHIR API, so the server's CPU per call counts HAPI JPA answering five to eight searches
 * as well as the CDS service; {@code ehr} reads instead from a separate FHIR server on the same machine
 * ({@link RecordedEhr}, in this JVM: it answers each query with what this server answered it the first
 * time), so the server's figures are the CDS service's own: its reads, our store, the decision, the audit. Each measured run prints the
 * load average before and after it: another build on the two cores shows there, and such a run is
 * repeated. {@code -Drasguard.bench.warmupSeconds=N} (default 10) sets the warm-up of each kind of call:
 * longer on a shared machine, where the JIT compilers take minutes to catch up and their CPU would be
 * counted in the calls' (the printed server CPU per call).
 */
public final class CdsLoadRun {

    private static final String[] EXAMPLES = {"ras-mutant", "ras-wild-type", "ras-unknown", "kras-g12c", "head-neck"};

    public static void main(String[] args) throws Exception {
        int rate = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        // Third argument on|off: RASGUARD_AUDIT, to measure what the audit trail costs (README, Measurements).
        String audit = args.length > 2 ? args[2] : "on";
        String calls = args.length > 3 ? args[3] : "both";
        if (!List.of("both", "prefetch", "fallback", "ehr").contains(calls)) {
            throw new IllegalArgumentException("calls: both, prefetch, fallback or ehr, not " + calls);
        }
        boolean prefetchCalls = calls.equals("both") || calls.equals("prefetch");
        boolean fallbackCalls = calls.equals("both") || calls.equals("fallback");
        boolean ehrCalls = calls.equals("ehr");
        int port;
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Path dataDir = Files.createTempDirectory("rasguard-bench-");
        try (RecordedEhr ehr = new RecordedEhr("http://127.0.0.1:" + port + "/fhir");
                ServerProcess server = new ServerProcess(
                                dataDir,
                                Map.of(
                                        "RASGUARD_AUDIT",
                                        audit,
                                        "RASGUARD_RATE_LIMIT_PER_SECOND",
                                        "0", // the fallback calls this very server from loopback
                                        "RASGUARD_PORT",
                                        String.valueOf(port),
                                        "RASGUARD_CDS_FHIR_SERVERS",
                                        "http://127.0.0.1:" + port + "/fhir," + ehr.baseUrl()))
                        .withJvmDefaults()
                        .start()) {
            List<String> patients = CdsLoadRun.loadExamples(server);
            List<String> withPrefetch = new ArrayList<>();
            List<String> withoutPrefetch = new ArrayList<>();
            List<String> fromEhr = new ArrayList<>();
            for (String patient : patients) {
                withPrefetch.add(request(server, patient, true));
                withoutPrefetch.add(request(server, patient, false));
                fromEhr.add(request(server, patient, false).replace(server.fhirBase(), ehr.baseUrl()));
            }
            String url = server.baseUrl() + "/cds-services/" + CdsServices.ORDER_SIGN_ID;
            HttpClient client =
                    HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            int warmUp = Integer.getInteger("rasguard.bench.warmupSeconds", 10);
            if (prefetchCalls) {
                run("warm-up", server, client, url, withPrefetch, rate, warmUp);
            }
            if (fallbackCalls) {
                run("warm-up", server, client, url, withoutPrefetch, rate, warmUp);
            }
            if (ehrCalls) {
                run("warm-up", server, client, url, fromEhr, rate, warmUp);
                ehr.stopRecording();
            }
            if (prefetchCalls) {
                run("order-sign, full prefetch", server, client, url, withPrefetch, rate, seconds);
            }
            if (fallbackCalls) {
                run(
                        "order-sign, no prefetch (fallback to the local FHIR API)",
                        server,
                        client,
                        url,
                        withoutPrefetch,
                        rate,
                        seconds);
            }
            if (ehrCalls) {
                run(
                        "order-sign, no prefetch (fallback to a separate FHIR server, " + ehr.answers()
                                + " recorded answers)",
                        server,
                        client,
                        url,
                        fromEhr,
                        rate,
                        seconds);
                if (ehr.misses() > 0) {
                    System.out.printf("[bench] the recorded EHR had no answer for %d reads%n", ehr.misses());
                }
            }
            printAuditCost(server, audit);
            printAuditDrain(server);
        }
    }

    /** Stores the five example patients' Bundles (ig-resources) and returns their Patient ids. */
    static List<String> loadExamples(ServerProcess server) throws java.io.IOException {
        List<String> patients = new ArrayList<>();
        for (String example : EXAMPLES) {
            String bundle =
                    Files.readString(Path.of("ig-resources/src/main/fhir/example/Bundle-" + example + "-patient.json"));
            Http.Response posted = Http.post(server.fhirBase(), bundle);
            if (posted.status() != 200) {
                throw new IllegalStateException("Could not load " + example + ": " + posted.status());
            }
            patients.add(posted.resource(Bundle.class)
                    .getEntryFirstRep()
                    .getResponse()
                    .getLocation()
                    .split("/")[1]);
        }
        return patients;
    }

    private static void run(
            String name,
            ServerProcess server,
            HttpClient client,
            String url,
            List<String> bodies,
            int rate,
            int seconds)
            throws Exception {
        int total = rate * seconds;
        long intervalNanos = 1_000_000_000L / rate;
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        AtomicInteger errors = new AtomicInteger();
        List<CompletableFuture<?>> inFlight = new ArrayList<>();
        String loadBefore = loadAverage();
        long cpuBefore = cpuMillis(server.pid());
        double[] gcBefore = gc(server);
        long start = System.nanoTime();
        for (int i = 0; i < total; i++) {
            long scheduled = start + i * intervalNanos;
            long wait = scheduled - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(fresh(bodies.get(i % bodies.size()))))
                    .build();
            // handle, not whenComplete: a call that fails (connection reset) is counted as an error and
            // its latency kept, instead of ending the run with the exception at the join below.
            inFlight.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                    .handle((response, failure) -> {
                        latencies.add(System.nanoTime() - scheduled);
                        if (failure != null || response.statusCode() != 200) {
                            errors.incrementAndGet();
                        }
                        return null;
                    }));
        }
        CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).join();
        // The server's CPU time over the run, per call: the audit writer's share of the run included,
        // its backlog at the end not (less sensitive to other work on the machine than the latencies).
        double cpuPerCall = (double) (cpuMillis(server.pid()) - cpuBefore) / total;
        double[] gcAfter = gc(server);
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        if (!name.equals("warm-up")) {
            System.out.printf(
                    "[bench] %s: %d calls at %d/s for %d s, errors %d: p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms"
                            + "; server CPU %.2f ms and %.2f MB allocated per call, %d GC pauses of %.0f ms in all"
                            + " (load average %s before, %s after)%n",
                    name,
                    total,
                    rate,
                    seconds,
                    errors.get(),
                    ms(sorted, 0.50),
                    ms(sorted, 0.95),
                    ms(sorted, 0.99),
                    ms(sorted, 1.0),
                    cpuPerCall,
                    (gcAfter[0] - gcBefore[0]) / 1e6 / total,
                    (long) (gcAfter[1] - gcBefore[1]),
                    (gcAfter[2] - gcBefore[2]) * 1000,
                    loadBefore,
                    loadAverage());
        }
    }

    /** What handing decisions to the audit writer cost the calls, from the server's own histogram. */
    private static void printAuditCost(ServerProcess server, String audit) {
        String metrics = Http.get(server.baseUrl() + "/metrics").body();
        double count = 0;
        double max = 0;
        java.util.TreeMap<Double, Double> buckets = new java.util.TreeMap<>();
        for (String line : metrics.split("\n")) {
            String[] parts = line.split(" ");
            if (line.startsWith("rasguard_audit_enqueue_seconds_count")) {
                count = Double.parseDouble(parts[1]);
            } else if (line.startsWith("rasguard_audit_enqueue_seconds_max")) {
                max = Double.parseDouble(parts[1]);
            } else if (line.startsWith("rasguard_audit_enqueue_seconds_bucket{le=\"") && !line.contains("+Inf")) {
                buckets.put(
                        Double.parseDouble(line.replaceAll(".*le=\"([^\"]+)\".*", "$1")), Double.parseDouble(parts[1]));
            }
        }
        double p99 = Double.NaN;
        for (java.util.Map.Entry<Double, Double> bucket : buckets.entrySet()) {
            if (bucket.getValue() >= 0.99 * count) {
                p99 = bucket.getKey();
                break;
            }
        }
        System.out.printf(
                "[bench] audit %s: %d decisions handed to the audit writer, p99 <= %.3f ms (histogram bucket), max %.3f ms%n",
                audit, (long) count, p99 * 1000, max * 1000);
        metrics.lines()
                .filter(l -> l.startsWith("rasguard_audit_events_total"))
                .forEach(l -> System.out.println("[bench] " + l));
    }

    /**
     * What one AuditEvent costs the writer: once the calls are over, the decisions still queued are written
     * with nothing else running; the server's CPU time over that drain per decision written (up to 120 s).
     */
    private static void printAuditDrain(ServerProcess server) throws InterruptedException {
        double queued = metric(server, "rasguard_audit_queue_events");
        double writtenBefore = metric(server, "rasguard_audit_events_total{result=\"written\"}");
        long cpuBefore = cpuMillis(server.pid());
        long start = System.nanoTime();
        long deadline = start + 120_000_000_000L;
        double left = queued;
        while (left > 0 && System.nanoTime() < deadline) {
            Thread.sleep(500);
            left = metric(server, "rasguard_audit_queue_events");
        }
        double written = metric(server, "rasguard_audit_events_total{result=\"written\"}") - writtenBefore;
        double seconds = (System.nanoTime() - start) / 1e9;
        long cpu = cpuMillis(server.pid()) - cpuBefore;
        if (written < 100) {
            System.out.printf(
                    "[bench] audit writer: %.0f decisions were queued after the calls, too few to time the drain%n",
                    queued);
            return;
        }
        System.out.printf(
                "[bench] audit writer drain: %.0f decisions written in %.1f s (%.0f/s), server CPU %.2f ms per decision%s%n",
                written,
                seconds,
                written / seconds,
                cpu / written,
                left > 0 ? " (stopped at 120 s, " + (long) left + " left)" : "");
    }

    /** One figure of the server's /metrics (summed over the lines that start with the name), 0 if absent. */
    private static double metric(ServerProcess server, String name) {
        double sum = 0;
        for (String line : Http.get(server.baseUrl() + "/metrics").body().split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    /**
     * From the server's /metrics (Micrometer's JVM GC metrics): bytes allocated in the young generation so
     * far, GC pauses so far and their seconds in all (every collector and cause summed).
     */
    private static double[] gc(ServerProcess server) {
        return new double[] {
            metric(server, "jvm_gc_memory_allocated_bytes_total"),
            metric(server, "jvm_gc_pause_seconds_count"),
            metric(server, "jvm_gc_pause_seconds_sum")
        };
    }

    /** CPU time (user and system) of a process so far, from /proc/&lt;pid&gt;/stat (Linux; 0 elsewhere). */
    private static long cpuMillis(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime (fields 14 and 15)
            return ticks * 10; // USER_HZ is 100 on Linux
        } catch (java.io.IOException | RuntimeException unavailable) {
            return 0;
        }
    }

    /** The one-minute load average (Linux: /proc/loadavg), or "?" elsewhere. */
    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException | RuntimeException unavailable) {
            return "?";
        }
    }

    private static double ms(long[] sorted, double quantile) {
        int index = (int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1_000_000.0;
    }

    /** A new hookInstance per call, as an EHR sends. */
    private static String fresh(String body) {
        return body.replace("{{hookInstance}}", UUID.randomUUID().toString());
    }

    private static String request(ServerProcess server, String patientId, boolean prefetch) {
        ObjectNode request = CdsCalls.request("order-sign", patientId, CdsCalls.cetuximabOrder(patientId));
        request.put("hookInstance", "{{hookInstance}}");
        if (prefetch) {
            CdsCalls.withPrefetch(request, server.fhirBase());
        } else {
            request.put("fhirServer", server.fhirBase());
        }
        return request.toString();
    }
}
