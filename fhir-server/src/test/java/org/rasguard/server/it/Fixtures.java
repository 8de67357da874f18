package org.rasguard.server.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Test fixtures under {@code src/test/resources/it}, with {@code {{placeholders}}} made unique per use. */
public final class Fixtures {

    private Fixtures() {}

    /** A genomic report transaction (Patient, DiagnosticReport, KRAS and NRAS Variants) unique to {@code run}. */
    public static String genomicReportTransaction(String run) {
        return read("it/genomic-report-transaction.json")
                .replace("{{run}}", run)
                .replace("{{patient}}", UUID.randomUUID().toString())
                .replace("{{report}}", UUID.randomUUID().toString())
                .replace("{{kras}}", UUID.randomUUID().toString())
                .replace("{{nras}}", UUID.randomUUID().toString());
    }

    public static String read(String path) {
        try (InputStream in = Fixtures.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("No test resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
