package org.rasguard.ig.build;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.StructureDefinition;

/**
 * Builds the FHIR NPM package folder from {@code src/main/fhir} at build time (process-classes):
 * every resource gets generated narrative where it has none ({@link Narratives}), and each folder
 * ({@code package/}, {@code package/example/}) gets its {@code .index.json}. The assembly plugin then
 * packs the folder, so the package in the jar (what the server and the RAS engine load) and
 * {@code target/rasguard.ig-VERSION.tgz} are the same files.
 *
 * <p>Fails the build when a resource holds an element FHIR R4 does not know (strict parser), or when
 * {@code package.json}'s version is not the one the tgz is named after.
 *
 * @see <a href="https://confluence.hl7.org/display/FHIR/NPM+Package+Specification">FHIR NPM Package Specification (.index.json)</a>
 */
public final class FhirPackageBuild {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final IParser parser;

    private FhirPackageBuild() {
        FhirContext r4 = FhirContext.forR4();
        r4.setParserErrorHandler(new StrictErrorHandler());
        this.parser = r4.newJsonParser().setPrettyPrint(true);
    }

    /** Arguments: source folder, output package folder, the version the package file is named after. */
    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            throw new IllegalArgumentException(
                    "usage: FhirPackageBuild <src/main/fhir> <target/fhir-package/package> <version>");
        }
        new FhirPackageBuild().build(Path.of(args[0]), Path.of(args[1]), args[2]);
    }

    void build(Path source, Path output, String fileVersion) throws IOException {
        JsonNode manifest = JSON.readTree(source.resolve("package.json").toFile());
        String version = manifest.path("version").asText();
        if (!version.equals(fileVersion)) {
            throw new IllegalStateException(
                    "package.json says version " + version + ", the package file is named for " + fileVersion);
        }
        deleteRecursively(output); // a resource removed from the source must not stay in the package
        Files.createDirectories(output);
        Files.copy(source.resolve("package.json"), output.resolve("package.json"));
        int narratives = folder(source, output) + folder(source.resolve("example"), output.resolve("example"));
        System.out.println("[fhir-package] " + manifest.path("name").asText() + "#" + version
                + ": narrative generated for " + narratives + " resources");
    }

    /** Copies one folder's resources with narrative and writes its .index.json; returns how many got narrative. */
    private int folder(Path source, Path output) throws IOException {
        Files.createDirectories(output);
        List<Path> files;
        try (Stream<Path> listing = Files.list(source)) {
            files = listing.filter(Files::isRegularFile)
                    .filter(file -> file.getFileName().toString().endsWith(".json"))
                    .filter(file -> !file.getFileName().toString().equals("package.json"))
                    .sorted()
                    .toList();
        }
        ObjectNode index = JSON.createObjectNode();
        index.put("index-version", 1);
        ArrayNode entries = index.putArray("files");
        int narratives = 0;
        for (Path file : files) {
            IBaseResource resource = parser.parseResource(Files.readString(file, StandardCharsets.UTF_8));
            narratives += withNarrative(resource);
            Files.writeString(
                    output.resolve(file.getFileName()),
                    parser.encodeResourceToString(resource) + "\n",
                    StandardCharsets.UTF_8);
            entries.add(indexEntry(file.getFileName().toString(), resource));
        }
        JSON.writeValue(output.resolve(".index.json").toFile(), index);
        return narratives;
    }

    private static int withNarrative(IBaseResource resource) {
        if (resource instanceof Bundle bundle) {
            int count = 0;
            for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
                if (entry.getResource() instanceof DomainResource inner && Narratives.addIfMissing(inner)) {
                    count++;
                }
            }
            return count;
        }
        return resource instanceof DomainResource domain && Narratives.addIfMissing(domain) ? 1 : 0;
    }

    private static ObjectNode indexEntry(String filename, IBaseResource resource) {
        ObjectNode entry = JSON.createObjectNode();
        entry.put("filename", filename);
        entry.put("resourceType", resource.fhirType());
        entry.put("id", resource.getIdElement().getIdPart());
        if (resource instanceof MetadataResource artifact) {
            putIfPresent(entry, "url", artifact.getUrl());
            putIfPresent(entry, "version", artifact.getVersion());
        }
        if (resource instanceof StructureDefinition profile) {
            putIfPresent(entry, "kind", profile.hasKind() ? profile.getKind().toCode() : null);
            putIfPresent(entry, "type", profile.getType());
        }
        return entry;
    }

    private static void deleteRecursively(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(folder)) {
            for (Path path : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private static void putIfPresent(ObjectNode entry, String name, String value) {
        if (value != null && !value.isBlank()) {
            entry.put(name, value);
        }
    }
}
