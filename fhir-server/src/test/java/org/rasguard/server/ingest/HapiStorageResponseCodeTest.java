package org.rasguard.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import org.hl7.fhir.r4.model.CodeSystem;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * HAPI 8.8.0 ships its storage response CodeSystem ({@code hapi-fhir-base},
 * {@code ca/uhn/fhir/context/support/HapiFhirStorageResponseCode.json}) with an R5-only
 * {@code CodeSystem.author}; its R4 validation support parses it each time it loads the core
 * ValueSets, so every start logged "Unknown element 'author'" three times (HAPI pull request 5068,
 * not merged). Our resources carry the same file with {@code publisher} instead, and come first on
 * the classpath (target/classes in tests, BOOT-INF/classes in the server jar).
 */
class HapiStorageResponseCodeTest {

    private static final String RESOURCE = "ca/uhn/fhir/context/support/HapiFhirStorageResponseCode.json";

    @Test
    void hapisCoreValueSetsLoadWithoutUnknownElements() {
        Logger parserLog = (Logger) LoggerFactory.getLogger("ca.uhn.fhir.parser.LenientErrorHandler");
        Level configured = parserLog.getLevel();
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        parserLog.addAppender(events);
        parserLog.setLevel(
                Level.WARN); // the server's logback.xml keeps it at ERROR (its messages can name submitted content)
        try {
            FhirContext r4 = FhirContext.forR4();
            CodeSystem storageCodes = (CodeSystem) new DefaultProfileValidationSupport(r4)
                    .fetchCodeSystem("https://hapifhir.io/fhir/CodeSystem/hapi-fhir-storage-response-code");

            assertThat(storageCodes.getPublisher()).isEqualTo("HAPI FHIR");
            assertThat(storageCodes.getConcept()).isNotEmpty();
            assertThat(events.list)
                    .extracting(ILoggingEvent::getFormattedMessage)
                    .noneMatch(message -> message.contains("Unknown element"));
        } finally {
            parserLog.detachAppender(events);
            parserLog.setLevel(configured);
        }
    }

    /** Fails when HAPI changes its file (an upgrade): then check whether it is fixed and drop our copy. */
    @Test
    void ourCopyDiffersFromHapisOnlyInAuthorBecomingPublisher() throws IOException {
        List<URL> copies = Collections.list(getClass().getClassLoader().getResources(RESOURCE));
        assertThat(copies).hasSize(2);
        assertThat(copies.get(0).toString()).doesNotContain("hapi-fhir-base");
        assertThat(copies.get(1).toString()).contains("hapi-fhir-base-8.8.0");

        String hapis = read(copies.get(1));
        String ours = read(copies.get(0));
        assertThat(ours).isEqualTo(hapis.replace("""
                  "author": [ {
                    "name": "HAPI FHIR"
                  } ],
                """, """
                  "publisher": "HAPI FHIR",
                """));
        assertThat(ours).isNotEqualTo(hapis);
    }

    private static String read(URL url) throws IOException {
        try (InputStream in = url.openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
