package org.rasguard.server.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged server ({@code java -jar rasguard-server.jar}) run as a real process on a free port,
 * the way an operator runs it. Integration tests talk to it over HTTP only. The system property
 * {@code rasguard.server.jvmOptions} adds JVM flags to the server's command line (a profiler, say).
 */
public final class ServerProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("RAS Guard listening on http://([^:]+):(\\d+)");

    private final Path dataDir;
    private final Map<String, String> extraEnvironment;
    private final List<String> output = Collections.synchronizedList(new ArrayList<>());
    private Process process;
    private Thread reader;
    private volatile String baseUrl;
    private long startMillis;
    /**
     * Integration tests cap the heap so that several servers fit on a CI machine at once, and run the
     * server on the client compiler with the serial collector: a test server lives for seconds to
     * minutes, where C2's compile threads and G1's workers only compete with the tests for the two cores
     * (measured: a start 52 -> 28 CPU s, RasStatusIT 76 -> 50 s). Benchmarks use {@link #withJvmDefaults()}.
     */
    private List<String> jvmOptions = List.of("-Xmx1g", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
    /** False: run the packaged jar itself, as an operator does, even where a class-data archive exists. */
    private boolean classDataArchive = true;

    public ServerProcess(Path dataDir, Map<String, String> extraEnvironment) {
        this.dataDir = dataDir;
        this.extraEnvironment = Map.copyOf(extraEnvironment);
    }

    /**
     * Runs the JVM exactly as {@code java -jar rasguard-server.jar} does, with its default heap (a
     * quarter of the machine's memory): benchmarks measure the server as it is deployed, not as the
     * integration tests squeeze it.
     */
    public ServerProcess withJvmDefaults() {
        this.jvmOptions = List.of();
        this.classDataArchive = false;
        return this;
    }

    /** Runs {@code java -jar rasguard-server.jar} on the packaged jar, not the extracted one with its archive. */
    public ServerProcess withPackagedJar() {
        this.classDataArchive = false;
        return this;
    }

    /** Adds a JVM flag to the server's command line (after the defaults). */
    public ServerProcess withJvmOption(String option) {
        List<String> options = new ArrayList<>(jvmOptions);
        options.add(option);
        this.jvmOptions = List.copyOf(options);
        return this;
    }

    public static Path jar() {
        String configured = System.getProperty("rasguard.server.jar");
        Path jar = configured != null ? Path.of(configured) : Path.of("target", "rasguard-server.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(
                    "Packaged server not found at " + jar.toAbsolutePath() + ": run mvn package first");
        }
        return jar;
    }

    /**
     * The jar as Spring Boot extracts it and the class-data archive of one training run, written by the
     * build before the integration tests (fhir-server/pom.xml, cds-train; README, Faster start), when
     * both are there: the same classes, started in about half the CPU time. Empty otherwise (an IT run
     * from an IDE without the build's pre-integration-test phase starts the packaged jar).
     */
    private static Optional<Extracted> extractedWithArchive() {
        String configured = System.getProperty("rasguard.server.cds");
        if (configured == null) {
            return Optional.empty();
        }
        Extracted extracted =
                new Extracted(Path.of(configured, "rasguard-server.jar"), Path.of(configured, "rasguard.jsa"));
        return Files.isRegularFile(extracted.jar()) && Files.isRegularFile(extracted.archive())
                ? Optional.of(extracted)
                : Optional.empty();
    }

    /** The extracted jar (its lib/ beside it) and the class-data archive of its training run. */
    private record Extracted(Path jar, Path archive) {}

    /**
     * A link to (or else a copy of) the jar as it is now: a build running beside the tests writes a
     * new target/rasguard-server.jar, and a server must not start from a half-written one.
     */
    private static Path privateCopy(Path jar) throws IOException {
        Path dir = Files.createTempDirectory("rasguard-jar-");
        Path copy = dir.resolve("rasguard-server.jar");
        try {
            Files.createLink(copy, jar);
        } catch (IOException | UnsupportedOperationException notLinkable) {
            Files.copy(jar, copy);
        }
        copy.toFile().deleteOnExit();
        dir.toFile().deleteOnExit();
        return copy;
    }

    /** Starts the process and waits until {@code /health} answers 200. */
    public ServerProcess start() throws IOException, InterruptedException {
        Map<String, String> env = new HashMap<>(extraEnvironment);
        env.putIfAbsent("RASGUARD_PORT", "0");
        env.put("RASGUARD_DATA_DIR", dataDir.toString());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(jvmOptions);
        Optional<Extracted> extracted = classDataArchive ? extractedWithArchive() : Optional.empty();
        Path jar;
        if (extracted.isPresent()) {
            // In place: its lib/ sits beside it, and the archive names the jar's path.
            jar = extracted.get().jar();
            command.add("-XX:SharedArchiveFile=" + extracted.get().archive());
            command.add("-Xlog:cds*=error"); // an archive that does not match is not used; no warning line
        } else {
            jar = privateCopy(jar());
        }
        String extra = System.getProperty("rasguard.server.jvmOptions", "").trim();
        if (!extra.isEmpty()) { // e.g. -XX:StartFlightRecording=filename=server.jfr to profile a load run
            command.addAll(List.of(extra.split("\\s+")));
        }
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(key -> key.startsWith("RASGUARD_"));
        builder.environment().putAll(env);
        startMillis = System.currentTimeMillis();
        baseUrl = null;
        output.clear();
        process = builder.start();
        // A test JVM that ends (or is stopped) before close() must not leave the server running.
        Process started = process;
        Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly, "server-reaper"));
        CompletableFuture<String> listening = new CompletableFuture<>();
        reader = new Thread(() -> pump(listening), "server-output");
        reader.setDaemon(true);
        reader.start();
        try {
            baseUrl = listening.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            close();
            throw new IllegalStateException("Server did not bind a port; output:\n" + String.join("\n", output), e);
        }
        try {
            // rasguard.it.startSeconds: more time on a crowded machine (default 120 s).
            waitForHealth(Duration.ofSeconds(Long.getLong("rasguard.it.startSeconds", 120)));
        } catch (RuntimeException | InterruptedException e) {
            close(); // a server that never became healthy is not left running
            throw e;
        }
        return this;
    }

    private void pump(CompletableFuture<String> listening) {
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                output.add(line);
                Matcher matcher = LISTENING.matcher(line);
                if (!listening.isDone() && matcher.find()) {
                    listening.complete("http://" + matcher.group(1) + ":" + matcher.group(2));
                }
                if (Boolean.getBoolean("rasguard.it.echo")) {
                    System.out.println("[server] " + line);
                }
            }
        } catch (IOException ignored) {
            // the process ended
        } finally {
            listening.completeExceptionally(new IllegalStateException("server output ended"));
        }
    }

    private void waitForHealth(Duration timeout) throws InterruptedException {
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "Server exited with " + process.exitValue() + "; output:\n" + String.join("\n", output));
            }
            try {
                HttpResponse<Void> health = client.send(
                        HttpRequest.newBuilder(URI.create(baseUrl + "/health")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (health.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // keep polling
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(
                "Server not healthy after " + timeout + "; output:\n" + String.join("\n", output));
    }

    /** Milliseconds from process start to the first healthy answer. */
    public long millisToHealthy() {
        return System.currentTimeMillis() - startMillis;
    }

    public String baseUrl() {
        return baseUrl;
    }

    public String fhirBase() {
        return baseUrl + "/fhir";
    }

    public List<String> output() {
        synchronized (output) {
            return List.copyOf(output);
        }
    }

    /** The server's process id (for /proc/&lt;pid&gt;/status). */
    public long pid() {
        return process.pid();
    }

    /** The server's resident memory (VmRSS of /proc/&lt;pid&gt;/status) in kB; Linux only. */
    public long residentKilobytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no VmRSS for process " + pid());
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** SIGTERM, as an orchestrator stops a container; waits for a clean exit. */
    public int stop() throws InterruptedException {
        if (process == null) {
            return -1;
        }
        // Through the handle: Process.destroy() would also close our end of the output pipe.
        process.toHandle().destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        reader.join(5_000); // the last lines (shutdown messages) are still being read
        return process.exitValue();
    }

    /** SIGKILL: no shutdown hook runs. */
    public void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly().waitFor();
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            stop();
        }
    }
}
