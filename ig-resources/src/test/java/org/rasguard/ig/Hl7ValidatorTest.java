package org.rasguard.ig;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r5.elementmodel.Manager.FhirFormat;
import org.hl7.fhir.utilities.npm.FilesystemPackageCacheManager;
import org.hl7.fhir.utilities.npm.NpmPackage;
import org.hl7.fhir.utilities.validation.ValidationMessage;
import org.hl7.fhir.validation.ValidationEngine;
import org.hl7.fhir.validation.ValidatorUtils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Our FHIR package through the HL7 FHIR validator, offline: {@link ValidationEngine} of
 * {@code org.hl7.fhir.validation} 6.7.9 (the version HAPI 8.8.0 uses; the engine behind the HL7
 * validator CLI, whose own jar is not on Maven Central), with no terminology server ({@code -tx n/a}).
 *
 * <p>What it loads, all from files here (the package cache lives under
 * {@code target/hl7-validator-home/.fhir/packages}, surefire sets {@code user.home} to it):
 * <ul>
 *   <li>hl7.fhir.r4.core 4.0.1: not published on the npm registry; built once from the FHIR R4
 *       definition Bundles in HAPI's {@code hapi-fhir-validation-resources-r4} (the spec's own
 *       profiles, extensions, search parameters, ValueSets and CodeSystems);</li>
 *   <li>hl7.fhir.xver-extensions 0.1.0 (the engine loads it at start) and hl7.terminology.r4 7.0.1,
 *       from the npm registry (CC0), in src/test/resources/hl7-validator;</li>
 *   <li>Genomics Reporting 3.0.0 (src/main/resources) and our package as the build packs it.</li>
 * </ul>
 * Every resource and example of the package is validated; ERROR and FATAL messages fail. Like the
 * CLI's {@code -allow-example-urls true}, examples (only they) may use example.org identifier
 * systems. Codes of LOINC, SNOMED CT, RxNorm, ATC,
 * ICD-10, HGNC are not checked (no terminology server): warnings. Dependencies of the packages are not
 * followed (they name versions the npm registry does not have).
 *
 * @see <a href="https://confluence.hl7.org/display/FHIR/Using+the+FHIR+Validator">Using the FHIR Validator</a>
 */
class Hl7ValidatorTest {

    private static final Path PACKAGE = Path.of("target/fhir-package/package");
    private static final String R4 = "4.0.1";

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ValidationEngine engine;

    @BeforeAll
    static void engine() throws Exception {
        long started = System.nanoTime();
        Path cache = Path.of(System.getProperty("user.home"), ".fhir", "packages");
        assertThat(cache.toAbsolutePath().toString()).as("surefire's user.home").contains("hl7-validator-home");
        Files.createDirectories(cache);
        FilesystemPackageCacheManager packages = new FilesystemPackageCacheManager.Builder().build();
        writeCorePackage(cache.resolve("hl7.fhir.r4.core#" + R4).resolve("package"));
        for (String[] npm : new String[][] {{"hl7.fhir.xver-extensions", "0.1.0"}, {"hl7.terminology.r4", "7.0.1"}}) {
            if (!packages.packageInstalled(npm[0], npm[1])) {
                try (InputStream tgz = resource("hl7-validator/" + npm[0] + "-" + npm[1] + ".tgz")) {
                    packages.addPackageToCache(npm[0], npm[1], tgz, "src/test/resources/hl7-validator");
                }
            }
        }

        engine = new ValidationEngine.ValidationEngineBuilder()
                .withVersion(R4)
                .withNoTerminologyServer()
                .withCanRunWithoutTerminologyServer(true)
                .fromSource("hl7.fhir.r4.core#" + R4);
        load(packages.loadPackageFromCacheOnly("hl7.terminology.r4", "7.0.1"));
        try (InputStream tgz = resource("rasguard/packages/hl7.fhir.uv.genomics-reporting-3.0.0.tgz")) {
            load(NpmPackage.fromPackage(tgz));
        }
        try (InputStream tgz = resource("rasguard/rasguard.ig.tgz")) {
            load(NpmPackage.fromPackage(tgz));
        }
        System.out.printf(
                "[hl7-validator] org.hl7.fhir.validation %s ready in %d ms%n",
                validatorVersion(), (System.nanoTime() - started) / 1_000_000);
    }

    @Test
    void everyResourceOfThePackageValidatesWithoutErrors() throws Exception {
        long started = System.nanoTime();
        List<String> errors = new ArrayList<>();
        int files = 0;
        int warnings = 0;
        for (Path file : resources(PACKAGE)) {
            boolean example = file.getParent().endsWith("example");
            engine.setAllowExampleUrls(example);
            List<ValidationMessage> messages = new ArrayList<>();
            engine.validate(Files.readAllBytes(file), FhirFormat.JSON, List.of(), messages);
            files++;
            for (ValidationMessage message : messages) {
                if (message.getLevel().isError()) {
                    errors.add(PACKAGE.relativize(file) + " " + message.getLevel() + " " + message.getLocation() + ": "
                            + message.getMessage());
                } else if (message.getLevel() == ValidationMessage.IssueSeverity.WARNING) {
                    warnings++;
                }
            }
        }
        System.out.printf(
                "[hl7-validator] %d files, %d errors, %d warnings, %d ms%n",
                files, errors.size(), warnings, (System.nanoTime() - started) / 1_000_000);

        assertThat(files).isGreaterThanOrEqualTo(40);
        assertThat(errors).isEmpty();
    }

    /** The engine must be able to fail: a ValueSet with an unknown element and a bad status. */
    @Test
    void aBrokenResourceHasErrors() throws Exception {
        String broken = """
                {"resourceType": "ValueSet", "url": "http://rasguard.org/fhir/ValueSet/broken",
                 "status": "finished", "author": [{"name": "R5 only"}]}""";
        List<ValidationMessage> messages = new ArrayList<>();
        engine.validate(broken.getBytes(StandardCharsets.UTF_8), FhirFormat.JSON, List.of(), messages);

        assertThat(messages)
                .filteredOn(message -> message.getLevel().isError())
                .extracting(ValidationMessage::getMessage)
                .anyMatch(message -> message.contains("author"))
                .anyMatch(message -> message.contains("finished"));
    }

    /**
     * Our RAS variant profile is applied: it requires the gene-studied component (Genomics Reporting's
     * Variant allows none). Which gene it names is a code of HGNC, which no terminology server checks here.
     */
    @Test
    void aVariantWithoutItsGeneBreaksOurProfile() throws Exception {
        ObjectNode variant = (ObjectNode) JSON.readTree(
                PACKAGE.resolve("example/Observation-kras-g12d-present.json").toFile());
        ArrayNode components = (ArrayNode) variant.get("component");
        for (int i = components.size() - 1; i >= 0; i--) {
            if (components
                    .get(i)
                    .path("code")
                    .path("coding")
                    .path(0)
                    .path("code")
                    .asText()
                    .equals("48018-6")) {
                components.remove(i);
            }
        }
        engine.setAllowExampleUrls(true);
        List<ValidationMessage> messages = new ArrayList<>();
        engine.validate(JSON.writeValueAsBytes(variant), FhirFormat.JSON, List.of(), messages);

        assertThat(messages)
                .filteredOn(message -> message.getLevel().isError())
                .extracting(ValidationMessage::getMessage)
                .anyMatch(message -> message.contains("gene-studied")
                        && message.contains("http://rasguard.org/fhir/StructureDefinition/ras-variant"));
    }

    private static String validatorVersion() throws IOException {
        java.util.Properties pom = new java.util.Properties();
        try (InputStream in = resource("META-INF/maven/ca.uhn.hapi.fhir/org.hl7.fhir.validation/pom.properties")) {
            pom.load(in);
        }
        return pom.getProperty("version");
    }

    private static void load(NpmPackage npm) throws IOException {
        engine.getContext().loadFromPackage(npm, ValidatorUtils.loaderForVersion(R4));
    }

    /** hl7.fhir.r4.core as a package folder, from HAPI's copy of the R4 definitions; once per target/. */
    private static void writeCorePackage(Path folder) throws IOException {
        if (Files.isRegularFile(folder.resolve("package.json"))) {
            return;
        }
        Files.createDirectories(folder);
        FhirContext r4 = FhirContext.forR4Cached();
        IParser json = r4.newJsonParser();
        String base = "org/hl7/fhir/r4/model/";
        for (String bundle : List.of(
                "profile/profiles-types.xml",
                "profile/profiles-resources.xml",
                "profile/profiles-others.xml",
                "extension/extension-definitions.xml",
                "valueset/valuesets.xml",
                "valueset/v2-tables.xml",
                "valueset/v3-codesystems.xml",
                "sp/search-parameters.json")) {
            try (InputStream in = resource(base + bundle)) {
                IParser parser = bundle.endsWith(".json") ? json : r4.newXmlParser();
                for (Bundle.BundleEntryComponent entry :
                        parser.parseResource(Bundle.class, in).getEntry()) {
                    Resource resource = entry.getResource();
                    Files.writeString(
                            folder.resolve(resource.fhirType() + "-" + resource.getIdPart() + ".json"),
                            json.encodeResourceToString(resource),
                            StandardCharsets.UTF_8);
                }
            }
        }
        Files.writeString(folder.resolve("package.json"), """
                {"name": "hl7.fhir.r4.core", "version": "4.0.1", "type": "Core", "fhirVersions": ["4.0.1"],
                 "license": "CC0-1.0", "canonical": "http://hl7.org/fhir", "url": "http://hl7.org/fhir/R4",
                 "description": "FHIR R4 definitions from hapi-fhir-validation-resources-r4", "dependencies": {}}
                """, StandardCharsets.UTF_8);
    }

    private static List<Path> resources(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile)
                    .filter(file -> file.getFileName().toString().endsWith(".json"))
                    .filter(file -> !file.getFileName().toString().startsWith("."))
                    .filter(file -> !file.getFileName().toString().equals("package.json"))
                    .sorted()
                    .toList();
        }
    }

    private static InputStream resource(String name) {
        InputStream in = Hl7ValidatorTest.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException("not on the classpath: " + name);
        }
        return in;
    }
}
