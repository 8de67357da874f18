package org.rasguard.ig;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.NpmPackageValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.UnknownCodeSystemWarningValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Validates every conformance resource and example that the FHIR package of this module ships,
 * the way a FHIR server or the HL7 validator would see them: against FHIR R4, Genomics Reporting
 * 3.0.0 (which our RAS variant profile derives from) and our own package. Any ERROR or FATAL
 * message fails the file's case; warnings and information (for example about RxNorm, ICD-10-CM
 * or SNOMED CT, which no terminology server here knows) are allowed.
 *
 * <p>Snapshots are generated on the fly ({@link SnapshotGeneratingValidationSupport}), which is why
 * our profiles ship as differentials only.
 *
 * @see <a href="https://hapifhir.io/hapi-fhir/docs/validation/instance_validator.html">HAPI instance validator</a>
 */
class ArtifactValidationTest {

    /** The package folder as the build writes it (with generated narrative), from src/main/fhir. */
    private static final Path PACKAGE_SOURCE = Path.of("target/fhir-package/package");

    private static final String GENOMICS_REPORTING =
            "classpath:rasguard/packages/hl7.fhir.uv.genomics-reporting-3.0.0.tgz";
    /** Our package as the build packs it into target/classes during process-resources. */
    private static final String OUR_PACKAGE = "classpath:rasguard/rasguard.ig.tgz";

    private static final String RAS_VARIANT_EXAMPLE = "example/Observation-kras-g12d-present.json";

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static FhirValidator validator;

    @BeforeAll
    static void buildValidator() throws IOException {
        NpmPackageValidationSupport packages = new NpmPackageValidationSupport(FHIR);
        packages.loadPackageFromClasspath(GENOMICS_REPORTING);
        packages.loadPackageFromClasspath(OUR_PACKAGE);

        UnknownCodeSystemWarningValidationSupport unknownCodeSystems =
                new UnknownCodeSystemWarningValidationSupport(FHIR);
        unknownCodeSystems.setNonExistentCodeSystemSeverity(IValidationSupport.IssueSeverity.WARNING);

        ValidationSupportChain chain = new ValidationSupportChain(
                new DefaultProfileValidationSupport(FHIR),
                packages,
                new CommonCodeSystemsTerminologyService(FHIR),
                new InMemoryTerminologyServerValidationSupport(FHIR),
                new SnapshotGeneratingValidationSupport(FHIR),
                unknownCodeSystems);

        validator = FHIR.newValidator().registerValidatorModule(new FhirInstanceValidator(chain));
    }

    static Stream<String> packagedFiles() throws IOException {
        try (Stream<Path> files = Files.walk(PACKAGE_SOURCE)) {
            return files
                    .filter(Files::isRegularFile)
                    .map(file -> PACKAGE_SOURCE.relativize(file).toString().replace('\\', '/'))
                    .filter(name -> name.endsWith(".json")
                            && !name.equals("package.json")
                            && !name.matches("(.*/)?\\.index\\.json"))
                    .sorted()
                    .toList()
                    .stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("packagedFiles")
    void isValid(String file) throws IOException {
        String json = Files.readString(PACKAGE_SOURCE.resolve(file), StandardCharsets.UTF_8);

        assertThat(errors(json)).as("errors in %s", file).isEmpty();
    }

    /** Proves that our profile is applied: zero errors above would mean nothing if it were not. */
    @Test
    void aVariantOfAnotherGeneIsNotARasVariant() throws IOException {
        String kras = Files.readString(PACKAGE_SOURCE.resolve(RAS_VARIANT_EXAMPLE), StandardCharsets.UTF_8);
        String braf = kras.replace("\"HGNC:6407\"", "\"HGNC:1097\"").replace("\"KRAS\"", "\"BRAF\"");

        assertThat(errors(braf)).anyMatch(error -> error.contains("http://rasguard.org/fhir/ValueSet/ras-genes"));
    }

    /** Proves that the Genomics Reporting Variant profile, which ours derives from, is applied too. */
    @Test
    void aVariantWithoutTheGeneticsCategoryBreaksGenomicsReporting() throws IOException {
        Observation variant = FHIR.newJsonParser()
                .parseResource(
                        Observation.class,
                        Files.readString(PACKAGE_SOURCE.resolve(RAS_VARIANT_EXAMPLE), StandardCharsets.UTF_8));
        variant.getCategory().remove(1);

        assertThat(errors(FHIR.newJsonParser().encodeResourceToString(variant))).isNotEmpty();
    }

    private static List<String> errors(String json) {
        return validator.validateWithResult(json).getMessages().stream()
                .filter(message -> message.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal())
                .map(ArtifactValidationTest::describe)
                .toList();
    }

    private static String describe(SingleValidationMessage message) {
        return message.getSeverity() + " " + message.getLocationString() + ": " + message.getMessage();
    }
}
