package org.rasguard.server.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.utilities.npm.NpmPackage;

/**
 * The example instances of the HL7 packages that ig-resources ships (the same tarballs the server
 * validates with), read at test time from the classpath: {@code package/example/*.json}.
 */
final class OfficialExamples {

    static final String GENOMICS_REPORTING = "rasguard/packages/hl7.fhir.uv.genomics-reporting-3.0.0.tgz";
    static final String MCODE = "rasguard/packages/hl7.fhir.us.mcode-4.0.0.tgz";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One example file: its type, id, Bundle type (for Bundles) and JSON text. */
    record Example(String file, String resourceType, String id, String bundleType, String json) {

        String reference() {
            return resourceType + "/" + id;
        }
    }

    private OfficialExamples() {}

    static List<Example> read(String classpathTgz) {
        try (InputStream in = OfficialExamples.class.getClassLoader().getResourceAsStream(classpathTgz)) {
            if (in == null) {
                throw new IllegalStateException(classpathTgz + " is not on the test classpath");
            }
            NpmPackage npm = NpmPackage.fromPackage(in);
            List<Example> examples = new ArrayList<>();
            for (String file : npm.list("example")) {
                if (!file.endsWith(".json")) {
                    continue;
                }
                try (InputStream example = npm.load("example", file)) {
                    String json = new String(example.readAllBytes(), StandardCharsets.UTF_8);
                    JsonNode node = JSON.readTree(json);
                    examples.add(new Example(
                            file,
                            node.path("resourceType").asText(),
                            node.path("id").asText(),
                            node.path("type").isTextual() ? node.path("type").asText() : null,
                            json));
                }
            }
            return examples;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
