package org.rasguard.server.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The EHR's FHIR server for {@link CdsLoadRun}'s {@code ehr} calls: a separate HTTP server on loopback
 * that answers each read with what the RAS Guard server's own FHIR API answered to the same query the
 * first time it was asked (while recording, during the warm-up), its base URL written as this server's.
 * Stands for an EHR whose reads cost it little, so that the RAS Guard server's CPU and latency figures are
 * those of the CDS service alone. A read it has not recorded once recording stopped gets a 404 and is counted.
 */
final class RecordedEhr implements AutoCloseable {

    private final String sourceBase;
    private final HttpServer http;
    private final ExecutorService threads = Executors.newFixedThreadPool(4);
    private final HttpClient client = HttpClient.newHttpClient();
    private final Map<String, byte[]> answers = new ConcurrentHashMap<>();
    private final AtomicInteger misses = new AtomicInteger();
    private volatile boolean recording = true;

    /** @param sourceBase the FHIR base whose answers are recorded (the RAS Guard server's {@code /fhir}) */
    RecordedEhr(String sourceBase) throws IOException {
        this.sourceBase = sourceBase;
        this.http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        http.createContext("/ehr/fhir", this::answer);
        http.setExecutor(threads);
        http.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + http.getAddress().getPort() + "/ehr/fhir";
    }

    /** From now on only recorded answers are given. */
    void stopRecording() {
        recording = false;
    }

    int answers() {
        return answers.size();
    }

    int misses() {
        return misses.get();
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            String relative = exchange.getRequestURI().getRawPath().substring("/ehr/fhir".length())
                    + (exchange.getRequestURI().getRawQuery() == null
                            ? ""
                            : "?" + exchange.getRequestURI().getRawQuery());
            byte[] body = answers.get(relative);
            if (body == null && recording) {
                body = record(relative);
            }
            if (body == null) {
                misses.incrementAndGet();
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", "application/fhir+json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private byte[] record(String relative) throws IOException {
        HttpResponse<String> response;
        try {
            response = client.send(
                    HttpRequest.newBuilder(URI.create(sourceBase + relative))
                            .header("Accept", "application/fhir+json")
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        if (response.statusCode() != 200) {
            return null;
        }
        byte[] body = response.body().replace(sourceBase, baseUrl()).getBytes(StandardCharsets.UTF_8);
        answers.put(relative, body);
        return body;
    }

    @Override
    public void close() {
        http.stop(0);
        threads.shutdownNow();
    }
}
