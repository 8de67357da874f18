package org.rasguard.ras;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.rasguard.knowledge.KnowledgeBase;

/**
 * One fixture of {@code src/test/resources/ras-cases}: FHIR R4 resources of one patient, the
 * expected outcome, and optionally policy switches that differ from the defaults.
 */
record RasCase(String name, String description, Expected expected, RasPolicy policy, JsonNode resourcesJson) {

    record Expected(String status, List<String> reasons, boolean krasG12c, boolean brafV600e) {}

    static final FhirContext FHIR = FhirContext.forR4Cached();
    static final KnowledgeBase KNOWLEDGE = KnowledgeBase.loadFromClasspath(FHIR);
    static final RasVocabulary VOCABULARY = RasVocabulary.from(KNOWLEDGE);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Fresh R4 resources (parsed on every call, so a test may change them). */
    List<IBaseResource> resources() {
        IParser parser = FHIR.newJsonParser();
        List<IBaseResource> out = new ArrayList<>();
        resourcesJson.forEach(resource -> out.add(parser.parseResource(resource.toString())));
        return out;
    }

    RasAssessment assess() {
        return new RasStatusEngine(VOCABULARY, policy).assess(resources());
    }

    static List<RasCase> all() {
        try {
            URL folder = RasCase.class.getClassLoader().getResource("ras-cases");
            try (Stream<Path> files = Files.list(Path.of(folder.toURI()))) {
                return files.filter(f -> f.toString().endsWith(".json"))
                        .sorted()
                        .map(RasCase::read)
                        .toList();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RasCase read(Path file) {
        try {
            JsonNode root = JSON.readTree(file.toFile());
            JsonNode expected = root.get("expected");
            List<String> reasons = new ArrayList<>();
            expected.get("reasons").forEach(r -> reasons.add(r.asText()));
            String name = file.getFileName().toString().replaceFirst("\\.json$", "");
            if (!name.equals(root.get("name").asText())) {
                throw new IllegalStateException(
                        file + " is named " + root.get("name").asText());
            }
            return new RasCase(
                    name,
                    root.get("description").asText(),
                    new Expected(
                            expected.get("status").asText(),
                            reasons,
                            expected.get("krasG12c").asBoolean(),
                            expected.get("brafV600e").asBoolean()),
                    policy(root.get("policy")),
                    root.get("resources"));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    private static RasPolicy policy(JsonNode switches) {
        RasPolicy d = RasPolicy.defaults();
        if (switches == null) {
            return d;
        }
        return new RasPolicy(
                switches.path("geneLevelAbsentWithoutMethodIsExtended")
                        .asBoolean(d.geneLevelAbsentWithoutMethodIsExtended()),
                switches.path("singleGeneNegativeWithoutCoverageIsExtended")
                        .asBoolean(d.singleGeneNegativeWithoutCoverageIsExtended()),
                switches.path("inferNegativesFromRegionsStudied").asBoolean(d.inferNegativesFromRegionsStudied()),
                switches.path("ctDnaNegativesCount").asBoolean(d.ctDnaNegativesCount()));
    }

    @Override
    public String toString() {
        return name;
    }
}
