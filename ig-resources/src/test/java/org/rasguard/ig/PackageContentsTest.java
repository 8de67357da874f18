package org.rasguard.ig;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.hl7.fhir.utilities.npm.NpmPackage;
import org.junit.jupiter.api.Test;

/**
 * The package as the build writes it (target/fhir-package/package, packed into the jar and into
 * target/rasguard.ig-VERSION.tgz): its index, its declared dependencies, narrative, and the codes
 * of its ConceptMaps, which the HL7 validator cannot check without a terminology server.
 */
class PackageContentsTest {

    private static final Path PACKAGE = Path.of("target/fhir-package/package");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern GR_CANONICAL =
            Pattern.compile("\"(http://hl7\\.org/fhir/uv/genomics-reporting/[^\"|]+)");

    /** FHIR NPM package spec: package/.index.json lists every resource file of its folder. */
    @Test
    void eachFolderIndexListsItsResources() throws IOException {
        for (Path folder : List.of(PACKAGE, PACKAGE.resolve("example"))) {
            JsonNode index = JSON.readTree(folder.resolve(".index.json").toFile());
            assertThat(index.path("index-version").asInt()).isEqualTo(1);
            Map<String, JsonNode> listed = new HashMap<>();
            index.path("files")
                    .forEach(entry -> listed.put(entry.path("filename").asText(), entry));

            List<Path> files = resourceFiles(folder);
            assertThat(listed.keySet())
                    .containsExactlyInAnyOrderElementsOf(
                            files.stream().map(f -> f.getFileName().toString()).toList());
            for (Path file : files) {
                JsonNode resource = JSON.readTree(file.toFile());
                JsonNode entry = listed.get(file.getFileName().toString());
                assertThat(entry.path("resourceType").asText())
                        .isEqualTo(resource.path("resourceType").asText());
                assertThat(entry.path("id").asText())
                        .isEqualTo(resource.path("id").asText());
                assertThat(entry.path("url").asText(null))
                        .isEqualTo(resource.path("url").asText(null));
                assertThat(entry.path("version").asText(null))
                        .isEqualTo(resource.path("version").asText(null));
                if (resource.path("resourceType").asText().equals("StructureDefinition")) {
                    assertThat(entry.path("kind").asText())
                            .isEqualTo(resource.path("kind").asText());
                    assertThat(entry.path("type").asText())
                            .isEqualTo(resource.path("type").asText());
                }
            }
        }
    }

    /** dom-6: every resource, and every resource inside an example Bundle, has generated or written narrative. */
    @Test
    void everyResourceHasNarrative() throws IOException {
        List<String> without = new ArrayList<>();
        for (Path file : allResourceFiles()) {
            JsonNode resource = JSON.readTree(file.toFile());
            List<JsonNode> resources = new ArrayList<>();
            if (resource.path("resourceType").asText().equals("Bundle")) {
                resource.path("entry").forEach(entry -> resources.add(entry.path("resource")));
            } else {
                resources.add(resource);
            }
            for (JsonNode each : resources) {
                JsonNode text = each.path("text");
                if (!text.path("status").isTextual()
                        || !text.path("div").asText().startsWith("<div xmlns=\"http://www.w3.org/1999/xhtml\">")) {
                    without.add(
                            file.getFileName() + " " + each.path("resourceType").asText());
                }
            }
        }
        assertThat(without).isEmpty();
    }

    /**
     * package.json names what the artifacts build on. Genomics Reporting: every GR canonical we refer
     * to is in GR 3.0.0. mCODE is not a dependency: no artifact refers to an mCODE canonical (mCODE
     * 4.0.0 is only a source of some codes, cited in code-source; it would also bring GR 2.0.0 along).
     */
    @Test
    void declaredDependenciesCoverWhatTheArtifactsReferTo() throws IOException {
        JsonNode dependencies =
                JSON.readTree(PACKAGE.resolve("package.json").toFile()).path("dependencies");
        assertThat(dependencies.path("hl7.fhir.r4.core").asText()).isEqualTo("4.0.1");
        assertThat(dependencies.path("hl7.fhir.uv.genomics-reporting").asText()).isEqualTo("3.0.0");
        assertThat(dependencies.path("hl7.terminology.r4").asText()).isEqualTo("7.0.1");
        assertThat(dependencies.has("hl7.fhir.us.mcode")).isFalse();

        Set<String> grCanonicals = new HashSet<>();
        for (Path file : allResourceFiles()) {
            String json = Files.readString(file);
            assertThat(json).as(file.toString()).doesNotContain("http://hl7.org/fhir/us/mcode/");
            Matcher matcher = GR_CANONICAL.matcher(json);
            while (matcher.find()) {
                grCanonicals.add(matcher.group(1));
            }
        }
        assertThat(grCanonicals).isNotEmpty();
        Set<String> inGr = new HashSet<>();
        try (InputStream tgz = getClass()
                .getClassLoader()
                .getResourceAsStream("rasguard/packages/hl7.fhir.uv.genomics-reporting-3.0.0.tgz")) {
            NpmPackage gr = NpmPackage.fromPackage(tgz);
            for (String file : gr.listResources("StructureDefinition", "ValueSet", "CodeSystem")) {
                inGr.add(JSON.readTree(gr.load("package", file)).path("url").asText());
            }
        }
        assertThat(inGr).containsAll(grCanonicals);
    }

    /**
     * Each ConceptMap's codes are codes of the ValueSets it maps between (sourceCanonical,
     * targetCanonical), with the same displays: the HL7 validator cannot check RxNorm or ATC codes
     * offline, so this is the check that they are the ones our ValueSets name.
     */
    @Test
    void conceptMapCodesAreInTheirValueSets() throws IOException {
        Map<String, JsonNode> valueSets = new HashMap<>();
        List<JsonNode> conceptMaps = new ArrayList<>();
        for (Path file : resourceFiles(PACKAGE)) {
            JsonNode resource = JSON.readTree(file.toFile());
            switch (resource.path("resourceType").asText()) {
                case "ValueSet" -> valueSets.put(resource.path("url").asText(), resource);
                case "ConceptMap" -> conceptMaps.add(resource);
                default -> {}
            }
        }
        assertThat(conceptMaps).hasSize(2);
        for (JsonNode map : conceptMaps) {
            Map<String, String> source =
                    codes(valueSets, map.path("sourceCanonical").asText());
            Map<String, String> target =
                    codes(valueSets, map.path("targetCanonical").asText());
            for (JsonNode group : map.path("group")) {
                for (JsonNode element : group.path("element")) {
                    String sourceKey = group.path("source").asText() + "|"
                            + element.path("code").asText();
                    assertThat(source)
                            .as(map.path("id").asText())
                            .containsEntry(sourceKey, element.path("display").asText());
                    for (JsonNode mapped : element.path("target")) {
                        String targetKey = group.path("target").asText() + "|"
                                + mapped.path("code").asText();
                        assertThat(target)
                                .as(map.path("id").asText())
                                .containsEntry(targetKey, mapped.path("display").asText());
                    }
                }
            }
        }
    }

    /** system|code to display of every concept a ValueSet enumerates, through the ValueSets it includes. */
    private static Map<String, String> codes(Map<String, JsonNode> valueSets, String url) {
        JsonNode valueSet = valueSets.get(url);
        assertThat(valueSet).as("ValueSet %s in the package", url).isNotNull();
        Map<String, String> codes = new HashMap<>();
        for (JsonNode include : valueSet.path("compose").path("include")) {
            include.path("concept")
                    .forEach(concept -> codes.put(
                            include.path("system").asText() + "|"
                                    + concept.path("code").asText(),
                            concept.path("display").asText()));
            include.path("valueSet").forEach(included -> codes.putAll(codes(valueSets, included.asText())));
        }
        return codes;
    }

    private static List<Path> allResourceFiles() throws IOException {
        List<Path> files = new ArrayList<>(resourceFiles(PACKAGE));
        files.addAll(resourceFiles(PACKAGE.resolve("example")));
        return files;
    }

    private static List<Path> resourceFiles(Path folder) throws IOException {
        try (Stream<Path> listing = Files.list(folder)) {
            return listing.filter(Files::isRegularFile)
                    .filter(file -> file.getFileName().toString().endsWith(".json"))
                    .filter(file -> !file.getFileName().toString().startsWith("."))
                    .filter(file -> !file.getFileName().toString().equals("package.json"))
                    .sorted()
                    .toList();
        }
    }
}
