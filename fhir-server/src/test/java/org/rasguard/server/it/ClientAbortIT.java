package org.rasguard.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A client that goes away while its answer is being written, as a browser does when a page aborts a
 * {@code fetch()} or a tab closes: the request is one INFO line, with its method and route only, and
 * the log holds no ERROR line and no stack trace for it; {@code /metrics} counts it as 499, never 500.
 *
 * <p>The answer must be larger than what the sockets buffer, or the server finishes writing before it
 * notices: three Basic resources of 4 MB of random text (about 9 MB gzipped, with the
 * {@code Accept-Encoding: gzip} every browser sends), read by a client whose receive buffer is tiny,
 * which reads the status line and then resets the connection.
 */
@ExtendWith(SharedServer.class)
class ClientAbortIT {

    @Test
    void aSearchTheClientAbortsIsOneInfoLineAndNo500(ServerProcess server) throws Exception {
        List<String> ids = new ArrayList<>();
        SecureRandom random = new SecureRandom();
        for (int i = 0; i < 3; i++) {
            byte[] noise = new byte[3 * 1024 * 1024];
            random.nextBytes(noise);
            String basic = "{\"resourceType\":\"Basic\",\"code\":{\"text\":\"abort test\"},\"extension\":[{\"url\":"
                    + "\"http://example.org/abort-test\",\"valueString\":\""
                    + Base64.getEncoder().encodeToString(noise) + "\"}]}";
            Http.Response created = Http.post(server.fhirBase() + "/Basic", basic);
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            ids.add(created.resource(org.hl7.fhir.r4.model.Basic.class)
                    .getIdElement()
                    .getIdPart());
        }
        try {
            long errorsBefore = server500s(server);
            String correlation = "abort-" + UUID.randomUUID();
            int linesBefore = server.output().size();

            try (Socket socket = new Socket()) {
                socket.setReceiveBufferSize(4096); // before connecting: the window the server may fill
                socket.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port(server)));
                socket.setSoTimeout(60_000);
                socket.getOutputStream()
                        .write(("GET /fhir/Basic?_id=" + String.join(",", ids) + " HTTP/1.1\r\n"
                                        + "Host: 127.0.0.1\r\nAccept: application/fhir+json\r\nAccept-Encoding: gzip, deflate, br\r\n"
                                        + "X-Request-ID: " + correlation + "\r\n\r\n")
                                .getBytes(StandardCharsets.ISO_8859_1));
                socket.getOutputStream().flush();
                byte[] statusLine = new byte[12];
                assertThat(socket.getInputStream().readNBytes(statusLine, 0, 12))
                        .isEqualTo(12);
                assertThat(new String(statusLine, StandardCharsets.ISO_8859_1)).isEqualTo("HTTP/1.1 200");
                Thread.sleep(300); // the server is now blocked writing the rest
                socket.setSoLinger(true, 0); // close with a reset, as a browser tearing down the connection
            }

            String line = awaitRequestLine(server, correlation);
            assertThat(line)
                    .contains(" INFO ")
                    .contains("GET /fhir/")
                    .contains("aborted by the client")
                    .doesNotContain("_id")
                    .doesNotContain(ids.get(0));
            // the line ends in its duration ("... 500ms" is a time, not a status): no status 500 before it
            assertThat(line.replaceFirst(" \\d+ms$", "")).doesNotContainPattern("\\b500\\b");
            List<String> since =
                    server.output().subList(linesBefore, server.output().size());
            assertThat(since)
                    .as("no error and no stack trace for the aborted request")
                    .noneMatch(l -> l.contains(correlation) && (l.contains(" ERROR ") || l.contains(" WARN ")))
                    .noneMatch(l -> l.startsWith("\tat ")
                            || l.startsWith("java.")
                            || l.startsWith("org.eclipse.jetty.io.EofException"));
            assertThat(since.stream().filter(l -> l.contains(correlation))).hasSize(1);

            String metrics = Http.get(server.baseUrl() + "/metrics").body();
            assertThat(metrics)
                    .containsPattern(
                            "http_server_requests_seconds_count\\{method=\"GET\",status=\"499\",uri=\"/fhir/[^\"]*\"\\} [1-9]");
            assertThat(server500s(server)).as("500s counted in /metrics").isEqualTo(errorsBefore);
        } finally {
            for (String id : ids) {
                Http.delete(server.fhirBase() + "/Basic/" + id);
            }
        }
    }

    /** The request's own log line, which the server writes once it has given up on the connection. */
    private static String awaitRequestLine(ServerProcess server, String correlation) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (String line : server.output()) {
                if (line.contains(correlation) && line.contains("rasguard.request")) {
                    return line;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no request line for " + correlation);
    }

    /** Requests answered 500, summed over every route, as /metrics counts them. */
    private static long server500s(ServerProcess server) {
        long count = 0;
        for (String line : Http.get(server.baseUrl() + "/metrics").body().split("\n")) {
            if (line.startsWith("http_server_requests_seconds_count{") && line.contains("status=\"500\"")) {
                count += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return count;
    }

    private static int port(ServerProcess server) {
        return java.net.URI.create(server.baseUrl()).getPort();
    }
}
