package org.rasguard.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.rasguard.cdshooks.CdsServices;
import org.rasguard.server.auth.TestJwts;

/**
 * The transport-level attacks of issue 16 (rows 1, 4-8, 10, 12, 14 of its table), each as the attacker
 * sent it, against the real server: the open one (loopback, no issuers) and the authenticated one of the
 * security suite. Each test failed on the code before the fix.
 */
@ExtendWith({SharedServer.class, SecurityServer.class})
class AttackTransportIT {

    /** HAPI would build {@code BigDecimal.toPlainString()} of it: a billion digits. */
    private static final String HUGE_NUMBER =
            "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"x\"},"
                    + "\"valueQuantity\":{\"value\":1e999999999}}";

    // ------------------------------------------------------------------ row 1: encoded bodies

    @Test
    void row1_aCompressedOrUtf16BodyMeetsTheSameNumberGuard(ServerProcess server) throws IOException {
        byte[] plain = HUGE_NUMBER.getBytes(StandardCharsets.UTF_8);
        List<Http.Response> answers = List.of(
                post(server, "/fhir/Observation", "application/fhir+json", "gzip", gzip(plain)),
                post(server, "/fhir/Observation", "application/fhir+json", "deflate", deflate(plain)),
                post(
                        server,
                        "/fhir/Observation",
                        "application/fhir+json;charset=utf-16",
                        null,
                        HUGE_NUMBER.getBytes(StandardCharsets.UTF_16)),
                post(
                        server,
                        "/fhir/Observation",
                        "application/fhir+json",
                        null,
                        HUGE_NUMBER.getBytes(StandardCharsets.UTF_16LE)),
                post(
                        server,
                        "/fhir/Observation",
                        "application/fhir+json;charset=utf-16",
                        "gzip",
                        gzip(HUGE_NUMBER.getBytes(StandardCharsets.UTF_16))),
                post(
                        server,
                        "/cds-services/" + CdsServices.ORDER_SIGN_ID,
                        "application/json",
                        "gzip",
                        gzip(("{\"hook\":\"order-sign\",\"context\":{\"n\":1e999999999}}")
                                .getBytes(StandardCharsets.UTF_8))));
        assertThat(answers).allSatisfy(answer -> {
            assertThat(answer.status()).as(answer.body()).isEqualTo(400);
            assertThat(answer.body()).contains("number-out-of-range");
        });
        assertThat(Http.get(server.baseUrl() + "/health").status()).isEqualTo(200);
    }

    @Test
    void row1_aCompressionBombIsRefusedOnItsDecodedSize(ServerProcess server) throws IOException {
        // 25 MB once inflated (over the 20 MB default limit), some 25 KB on the wire.
        byte[] inflated = ("{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\""
                        + " ".repeat(25 * 1024 * 1024) + "\"}}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] bomb = gzip(inflated);
        assertThat(bomb.length).isLessThan(100_000);
        long start = System.nanoTime();
        Http.Response answer = post(server, "/fhir/Observation", "application/fhir+json", "gzip", bomb);
        assertThat(answer.status()).as(answer.body()).isEqualTo(413);
        assertThat(answer.body()).contains("body-too-large");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void row1_encodingsAndCharsetsThatAreNotDecodedAre415(ServerProcess server) throws IOException {
        Http.Response brotli = post(
                server,
                "/fhir/Observation",
                "application/fhir+json",
                "br",
                HUGE_NUMBER.getBytes(StandardCharsets.UTF_8));
        assertThat(brotli.status()).isEqualTo(415);
        assertThat(brotli.body()).contains("unsupported-content-encoding");
        Http.Response stacked = post(
                server,
                "/fhir/Observation",
                "application/fhir+json",
                "gzip, gzip",
                gzip(gzip(HUGE_NUMBER.getBytes(StandardCharsets.UTF_8))));
        assertThat(stacked.status()).isEqualTo(415);
        // EBCDIC: a charset Java knows, and no guard could read.
        Http.Response ebcdic = post(
                server,
                "/fhir/Observation",
                "application/fhir+json;charset=IBM037",
                null,
                HUGE_NUMBER.getBytes("IBM037"));
        assertThat(ebcdic.status()).isEqualTo(415);
        assertThat(ebcdic.body()).contains("unsupported-charset");
        Http.Response notGzip = post(
                server,
                "/fhir/Observation",
                "application/fhir+json",
                "gzip",
                HUGE_NUMBER.getBytes(StandardCharsets.UTF_8));
        assertThat(notGzip.status()).isEqualTo(400);
        assertThat(notGzip.body()).contains("bad-content-encoding");
    }

    @Test
    void row1_aCompressedUtf16ObservationIsStoredAsSent(ServerProcess server) throws IOException {
        String text = "Ärztin notiert: KRAS-Wildtyp – " + UUID.randomUUID();
        String observation =
                "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"note\"},\"valueString\":\""
                        + text + "\"}";
        Http.Response created = post(
                server,
                "/fhir/Observation",
                "application/fhir+json; charset=UTF-16",
                "gzip",
                gzip(observation.getBytes(StandardCharsets.UTF_16)));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String location = created.header("Location").replaceFirst("/_history/.*", "");
        Observation stored = Http.get(location).resource(Observation.class);
        assertThat(stored.getValueStringType().getValue()).isEqualTo(text);
    }

    // ------------------------------------------------------------------ row 4: authentication before the body

    @Test
    void row4_fiftyStalledUnauthenticatedBodiesAreRefusedAtOnceWhileOthersAreServed(SecurityServer.Setup setup)
            throws Exception {
        int port = URI.create(setup.server.baseUrl()).getPort();
        String head = "POST /fhir/Observation HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nContent-Type: application/fhir+json\r\nContent-Length: 100000";
        List<Socket> stalled = new ArrayList<>();
        long start = System.nanoTime();
        try {
            for (int i = 0; i < 50; i++) {
                stalled.add(RawHttp.open(port, head, "{".getBytes(StandardCharsets.US_ASCII), 45_000));
            }
            String reader = setup.fhirToken("system/*.read", null);
            long asked = System.nanoTime();
            Http.Response normal = Http.send(
                    setup.request("/fhir/Observation?_count=1", reader).GET());
            assertThat(normal.status()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - asked)).isLessThan(Duration.ofSeconds(1));
            for (Socket socket : stalled) {
                RawHttp.Answer answer = RawHttp.read(socket);
                assertThat(answer.status()).isIn(401, 408);
                assertThat(answer.body()).doesNotContain("Exception", "\tat ");
            }
        } finally {
            for (Socket socket : stalled) {
                socket.close();
            }
        }
        // Not held until the idle timeout (30 s): the body was never waited for.
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
    }

    @Test
    void row4_aStalledBodyOnTheOpenServerGets408(ServerProcess server) throws Exception {
        int port = URI.create(server.baseUrl()).getPort();
        Http.get(server.baseUrl()
                + "/cds-services"); // the client's first request (class loading, connection) is not timed
        try (Socket socket = RawHttp.open(
                port,
                "POST /fhir/Observation HTTP/1.1\r\nHost: 127.0.0.1:" + port
                        + "\r\nContent-Type: application/fhir+json\r\nContent-Length: 100000",
                "{".getBytes(StandardCharsets.US_ASCII),
                60_000)) {
            long asked = System.nanoTime();
            assertThat(Http.get(server.baseUrl() + "/cds-services").status()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - asked)).isLessThan(Duration.ofSeconds(1));
            RawHttp.Answer answer = RawHttp.read(socket);
            assertThat(answer.status()).as(answer.body()).isEqualTo(408);
            assertThat(answer.body()).contains("body-timeout").doesNotContain("Exception");
        }
    }

    // ------------------------------------------------------------------ rows 5 and 14: logs and 5xx bodies

    @Test
    void row5_refusalsAreOneWarnLineWithTheirCodeAndNoStackTrace(SecurityServer.Setup setup) throws Exception {
        int mark = setup.server.output().size();
        String writeOnly = setup.fhirToken("system/Observation.c", null);
        String writer = setup.fhirToken("system/*.cruds", null);
        String unauthenticated =
                send(setup, setup.request("/fhir/Observation", null).GET());
        String forbidden = send(
                setup,
                setup.request("/fhir/Patient/" + UUID.randomUUID(), writeOnly).GET());
        String invalid = send(
                setup,
                setup.request("/fhir/Observation", writer)
                        .header("Content-Type", "application/fhir+json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"resourceType\":\"Observation\",\"status\":\"final\","
                                        + "\"code\":{\"text\":\"x\"},\"effectiveDateTime\":\"1970-13-45\"}")));
        Thread.sleep(500);
        List<String> output =
                setup.server.output().subList(mark, setup.server.output().size());
        assertThat(linesOf(output, unauthenticated))
                .singleElement()
                .asString()
                .contains("WARN")
                .contains("401 refused: unauthorized");
        assertThat(linesOf(output, forbidden))
                .singleElement()
                .asString()
                .contains("WARN")
                .contains("403 refused: forbidden");
        assertThat(linesOf(output, invalid))
                .singleElement()
                .asString()
                .contains("WARN")
                .contains("400 refused:");
        assertThat(output).noneMatch(line -> line.startsWith("\tat ") || line.contains("Exception"));

        // The same refusal over and over: at most five lines a minute.
        List<String> repeated = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            repeated.add(send(
                    setup, setup.request("/fhir/DiagnosticReport/" + i, null).GET()));
        }
        Thread.sleep(500);
        List<String> after = setup.server.output();
        assertThat(after.stream()
                        .filter(line -> repeated.stream().anyMatch(line::contains))
                        .count())
                .isBetween(1L, 5L);
    }

    @Test
    void row14_noLogLineHoldsASubmittedValueAndNoErrorBodyNamesAnException(SecurityServer.Setup setup)
            throws Exception {
        String marker = "Zebulon" + Math.abs(new java.util.Random().nextInt());
        String writer = setup.fhirToken("system/*.cruds", null);
        int mark = setup.server.output().size();
        String[] bodies = {
            "{\"resourceType\":\"Observation\",\"status\":\"" + marker + "\",\"code\":{\"text\":\"x\"}}",
            "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"x\"},\"" + marker + "\":1}",
            "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"x\"},\"effectiveDateTime\":\""
                    + marker + "\"}",
            "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"" + marker + "\",\"given\":{\"x\":\"" + marker
                    + "\"}}],\"birthDate\":\"19" + marker + "\"}",
            "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"fullUrl\":\"" + marker
                    + "\",\"resource\":{\"resourceType\":" + "\"Observation\",\"status\":\"" + marker
                    + "\"},\"request\":{\"method\":\"POST\",\"url\":\"Observation\"}}]}"
        };
        for (String body : bodies) {
            String path = body.contains("Bundle")
                    ? "/fhir"
                    : body.contains("Patient") ? "/fhir/Patient" : "/fhir/Observation";
            Http.Response answer = Http.send(setup.request(path, writer)
                    .header("Content-Type", "application/fhir+json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)));
            assertThat(answer.status()).as(body).isBetween(400, 499);
        }
        // Nested past the FHIR validator's Gson limit (255), in UTF-16: before, the guard did not read it and the
        // answer was a 500 naming MalformedJsonException.
        String deep = "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"x\"},"
                + "\"extension\":[{\"url\":\"http://x\",\"extension\":[".repeat(150) + "]}]".repeat(150) + "}";
        Http.Response deepAnswer = Http.send(setup.request("/fhir/Observation/$validate", writer)
                .header("Content-Type", "application/fhir+json;charset=utf-16")
                .POST(HttpRequest.BodyPublishers.ofByteArray(deep.getBytes(StandardCharsets.UTF_16))));
        assertThat(deepAnswer.status()).isBetween(400, 499);
        assertThat(deepAnswer.body()).doesNotContain("Exception", "Java heap space", "HAPI-0389", "\tat ");
        // A search HAPI refuses with the submitted value in its message (before, its SearchTask logged it at WARN).
        Http.Response refusedSearch =
                Http.send(setup.request("/fhir/Observation?code:in=http://" + marker + ".example/vs", writer)
                        .GET());
        assertThat(refusedSearch.status()).isBetween(400, 499);
        Thread.sleep(500);
        List<String> output =
                setup.server.output().subList(mark, setup.server.output().size());
        assertThat(output).noneMatch(line -> line.contains(marker));
        assertThat(output).noneMatch(line -> line.startsWith("\tat "));
    }

    // ------------------------------------------------------------------ row 6: metric series

    @Test
    void row6_unauthenticatedRequestsDoNotAddMetricSeries(SecurityServer.Setup setup) throws Exception {
        long before = requestSeries(setup.server);
        List<String> types = new ArrayList<>(FhirContext.forR4Cached().getResourceTypes());
        int sent = 0;
        long start = System.nanoTime();
        for (String type : types) {
            for (String shape : new String[] {
                "/fhir/" + type + "/1/_history/1", "/fhir/" + type + "/1", "/fhir/" + type + "/1/_history"
            }) {
                pace(start, sent++);
                Http.send(setup.request(shape, null).GET());
            }
        }
        assertThat(sent).isGreaterThan(400);
        assertThat(requestSeries(setup.server) - before).isLessThanOrEqualTo(3);
    }

    @Test
    void row6_routesOfResourceTypesThisServerDoesNotUseAreOneSeries(ServerProcess server) throws Exception {
        long before = requestSeries(server);
        int sent = 0;
        long start = System.nanoTime();
        for (String type : FhirContext.forR4Cached().getResourceTypes()) {
            for (String shape : new String[] {"/fhir/" + type + "/1/_history/1", "/fhir/" + type + "/1"}) {
                pace(start, sent++);
                Http.get(server.baseUrl() + shape);
            }
        }
        // Some 22 types of ours by two shapes and a status or two; not 146 types' worth.
        assertThat(requestSeries(server) - before).isLessThan(100);
    }

    // ------------------------------------------------------------------ row 7: Host allowlist

    @Test
    void row7_theOpenServerAnswersOnlyToLoopbackHostNames(ServerProcess server) throws Exception {
        int port = URI.create(server.baseUrl()).getPort();
        for (String path : new String[] {"/fhir/Patient?_count=1", "/", "/cds-services"}) {
            RawHttp.Answer rebound = RawHttp.exchange(
                    port,
                    "GET " + path + " HTTP/1.1\r\nHost: attacker.example:" + port + "\r\nConnection: close",
                    new byte[0],
                    10_000);
            assertThat(rebound.status()).as(path).isEqualTo(421);
            assertThat(rebound.body()).contains("host-not-allowed").doesNotContain("Patient\"");
        }
        RawHttp.Answer posted = RawHttp.exchange(
                port,
                "POST /cds-services/" + CdsServices.ORDER_SIGN_ID
                        + " HTTP/1.1\r\nHost: attacker.example\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close",
                "{}".getBytes(StandardCharsets.US_ASCII),
                10_000);
        assertThat(posted.status()).isEqualTo(421);
        for (String host : new String[] {"localhost:" + port, "127.0.0.1:" + port, "[::1]:" + port, "LOCALHOST"}) {
            RawHttp.Answer local = RawHttp.exchange(
                    port,
                    "GET /fhir/metadata HTTP/1.1\r\nHost: " + host + "\r\nConnection: close",
                    new byte[0],
                    30_000);
            assertThat(local.status()).as(host).isEqualTo(200);
        }
        RawHttp.Answer probe = RawHttp.exchange(
                port, "GET /health HTTP/1.1\r\nHost: 10.1.2.3\r\nConnection: close", new byte[0], 10_000);
        assertThat(probe.status()).isEqualTo(200);
    }

    // ------------------------------------------------------------------ row 8: CDS media types

    @Test
    void row8_cdsEndpointsTakeOnlyJsonBodies(ServerProcess server) {
        String feedback = server.baseUrl() + "/cds-services/" + CdsServices.ORDER_SIGN_ID + "/feedback";
        String call = server.baseUrl() + "/cds-services/" + CdsServices.ORDER_SIGN_ID;
        String body = "{\"feedback\":[{\"card\":\"" + UUID.randomUUID()
                + "\",\"outcome\":\"accepted\",\"outcomeTimestamp\":\"" + Instant.now() + "\"}]}";
        for (String type : new String[] {
            "text/plain;json", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=json"
        }) {
            Http.Response answer = Http.post(feedback, body, type);
            assertThat(answer.status()).as(type).isEqualTo(415);
            assertThat(answer.body()).contains("unsupported-media-type");
            assertThat(Http.post(call, "{\"hook\":\"order-sign\"}", type).status())
                    .as(type)
                    .isEqualTo(415);
        }
        Http.Response untyped =
                Http.send(HttpRequest.newBuilder(URI.create(feedback)).POST(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(untyped.status()).isEqualTo(415);
        for (String type :
                new String[] {"application/json", "application/json; charset=utf-8", "application/cds-hooks+json"}) {
            assertThat(Http.post(call, "{\"hook\":\"order-sign\"}", type).status())
                    .as(type)
                    .isNotEqualTo(415);
        }
    }

    // ------------------------------------------------------------------ row 10: Bundle entries

    @Test
    void row10_aBatchOverTheEntryCapIs413(ServerProcess server) throws Exception {
        Http.Response answer = Http.post(server.fhirBase(), batchOfReads(1001));
        assertThat(answer.status()).as(answer.body()).isEqualTo(413);
        assertThat(answer.body()).contains("too-many-entries").contains("1001").contains("1000");
    }

    @Test
    void row10_theReadsOfABatchCountAgainstTheRateLimit(ServerProcess server) throws Exception {
        try {
            // 900 reads, within the cap, but more than the default burst (twice 200 per second).
            Http.Response answer = Http.post(server.fhirBase(), batchOfReads(900));
            assertThat(answer.status()).as(answer.body()).isEqualTo(429);
            assertThat(answer.body()).contains("too-many-requests");
        } finally {
            Thread.sleep(3_000); // the client's bucket drains before the next test
        }
        assertThat(Http.post(server.fhirBase(), batchOfReads(20)).status()).isEqualTo(200);
    }

    // ------------------------------------------------------------------ row 12: token lifetime

    @Test
    void row12_aFhirAccessTokenLivingACenturyIsRefused(SecurityServer.Setup setup) {
        Instant now = Instant.now();
        String century = TestJwts.sign(
                setup.fhirKey,
                TestJwts.accessClaims(SecurityServer.AUTH, setup.server.fhirBase(), "system/*.read", now)
                        .expirationTime(Date.from(now.plus(Duration.ofDays(36_500))))
                        .build());
        assertThat(Http.send(setup.request("/fhir/Observation?_count=1", century)
                                .GET())
                        .status())
                .isEqualTo(401);
        String fiftyMinutes = TestJwts.sign(
                setup.fhirKey,
                TestJwts.accessClaims(SecurityServer.AUTH, setup.server.fhirBase(), "system/*.read", now)
                        .expirationTime(Date.from(now.plus(Duration.ofMinutes(50))))
                        .build());
        assertThat(Http.send(setup.request("/fhir/Observation?_count=1", fiftyMinutes)
                                .GET())
                        .status())
                .isEqualTo(200);
    }

    // ------------------------------------------------------------------ helpers

    private static String batchOfReads(int entries) {
        StringBuilder bundle = new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":[");
        for (int i = 0; i < entries; i++) {
            bundle.append(i == 0 ? "" : ",")
                    .append("{\"request\":{\"method\":\"GET\",\"url\":\"Observation?_count=1&code=")
                    .append(i)
                    .append("\"}}");
        }
        return bundle.append("]}").toString();
    }

    private static Http.Response post(
            ServerProcess server, String path, String contentType, String encoding, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .header("Content-Type", contentType)
                .header("Accept", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (encoding != null) {
            request.header("Content-Encoding", encoding);
        }
        return Http.send(request);
    }

    /** Sends with a fresh correlation id; returns the id. */
    private static String send(SecurityServer.Setup setup, HttpRequest.Builder request) {
        String id = "attack-" + UUID.randomUUID();
        Http.send(request.header("X-Request-ID", id));
        return id;
    }

    private static List<String> linesOf(List<String> output, String correlationId) {
        return output.stream().filter(line -> line.contains(correlationId)).toList();
    }

    /** Distinct request-metric series (method, route, status). */
    private static long requestSeries(ServerProcess server) {
        return Http.get(server.baseUrl() + "/metrics")
                .body()
                .lines()
                .filter(line -> line.startsWith("http_server_requests_seconds_count{"))
                .count();
    }

    /** 150 requests a second: below the rate limit. */
    private static void pace(long start, int sent) throws InterruptedException {
        long wait = start + sent * (1_000_000_000L / 150) - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
    }

    static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(plain);
        }
        return out.toByteArray();
    }

    static byte[] deflate(byte[] plain) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream deflate = new DeflaterOutputStream(out, new Deflater())) {
            deflate.write(plain);
        }
        return out.toByteArray();
    }
}
