package org.rasguard.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.ValueSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A clean start (fresh data directory, H2, no settings) logs no ERROR and no parser warning, and our
 * ValueSets expand over the FHIR API (issue 17).
 *
 * <p>The server runs with its own logback.xml, except that HAPI's parser warnings ("Unknown element
 * 'x' found while parsing", kept at ERROR in production because they can name submitted content)
 * are let through: that is where HAPI's R5-shaped storage response CodeSystem showed up three times
 * per start. The check waits for the validation warm-up, which loads the core ValueSets.
 */
class CleanStartIT {

    @TempDir
    static Path dataDir;

    @TempDir
    static Path logConfigDir;

    private static ServerProcess server;
    /** The output up to the end of the validation warm-up: the start, before any request of these tests. */
    private static List<String> startOutput;

    @BeforeAll
    static void start() throws Exception {
        String production = Files.readString(Path.of("target/classes/logback.xml"), StandardCharsets.UTF_8);
        String parserWarnings = production.replace(
                "<logger name=\"ca.uhn.fhir.parser.LenientErrorHandler\" level=\"ERROR\"/>",
                "<logger name=\"ca.uhn.fhir.parser.LenientErrorHandler\" level=\"WARN\"/>");
        assertThat(parserWarnings)
                .as("logback.xml still sets the parser's level")
                .isNotEqualTo(production);
        Path logConfig = logConfigDir.resolve("logback.xml");
        Files.writeString(logConfig, parserWarnings, StandardCharsets.UTF_8);

        // The packaged jar as an operator runs it (the other ITs start the extracted one with its class-data archive).
        server = new ServerProcess(dataDir, Map.of())
                .withPackagedJar()
                .withJvmOption("-Dlogback.configurationFile=" + logConfig)
                .start();
        awaitLine("Validation warmed up", Duration.ofSeconds(Long.getLong("rasguard.it.startSeconds", 120)));
        startOutput = server.output();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aValueSetOverOurStoredCodeSystemExpands() {
        // ras-status includes the CodeSystem ras-status, which HAPI keeps in its terminology tables:
        // this expansion went to Hibernate Search (off) and answered 500 (HSEARCH800001).
        Http.Response response = Http.get(server.fhirBase() + "/ValueSet/ras-status/$expand");

        assertThat(response.status()).isEqualTo(200);
        assertThat(codes(response.resource(ValueSet.class)))
                .containsExactlyInAnyOrder("mutated", "wild-type", "unknown");
    }

    @Test
    void aValueSetOfExternalCodesExpandsByUrl() {
        Http.Response response = Http.get(server.fhirBase() + "/ValueSet/$expand?url="
                + Http.urlEncode("http://rasguard.org/fhir/ValueSet/cetuximab"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(codes(response.resource(ValueSet.class))).contains("318341");
    }

    @Test
    void anUnknownValueSetIsAClean4xx() {
        Http.Response response = Http.get(server.fhirBase() + "/ValueSet/$expand?url="
                + Http.urlEncode("http://rasguard.org/fhir/ValueSet/no-such-value-set"));

        assertThat(response.status()).isBetween(400, 499);
    }

    @Test
    void theStartLogsNoErrorAndNoParserWarning() {
        List<String> output = startOutput;

        assertThat(output).anyMatch(line -> line.contains("RAS Guard ready"));
        assertThat(output).noneMatch(line -> line.matches("^\\S+ ERROR .*") || line.contains("|-ERROR"));
        assertThat(output).noneMatch(line -> line.contains("Unknown element"));
        assertThat(output).noneMatch(line -> line.contains("HSEARCH"));
    }

    private static List<String> codes(ValueSet expanded) {
        return expanded.getExpansion().getContains().stream()
                .map(ValueSet.ValueSetExpansionContainsComponent::getCode)
                .toList();
    }

    private static void awaitLine(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (server.output().stream().anyMatch(line -> line.contains(text))) {
                return;
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("no '" + text + "' in the server's output after " + timeout);
    }
}
