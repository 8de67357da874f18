package org.rasguard.ras;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every fixture of {@code src/test/resources/ras-cases}, one test per file named after it:
 * the table of the rules, the HGVS forms, the value systems, the statuses, the links and
 * the official HL7 examples.
 */
class RasStatusCasesTest {

    /**
     * Every fixture's resources parse as strictly as the server parses what it is sent: RasStatusIT posts
     * each case, and a shape only a lenient parser reads (a conclusionCode object where R4 has an array)
     * failed there, minutes into a build, instead of here.
     */
    @TestFactory
    Stream<DynamicTest> everyFixtureIsFhirTheServerAccepts() {
        IParser strict = RasCase.FHIR.newJsonParser().setParserErrorHandler(new StrictErrorHandler());
        return RasCase.all().stream()
                .map(c -> DynamicTest.dynamicTest(
                        c.name(),
                        () -> c.resourcesJson().forEach(resource -> strict.parseResource(resource.toString()))));
    }

    @TestFactory
    Stream<DynamicTest> everyFixtureGivesItsExpectedVerdict() {
        return RasCase.all().stream()
                .map(c -> DynamicTest.dynamicTest(c.name(), () -> {
                    RasAssessment assessment = c.assess();

                    assertThat(assessment.status().code())
                            .as("status: %s", c.description())
                            .isEqualTo(c.expected().status());
                    assertThat(assessment.reasons().stream()
                                    .map(UnknownReason::code)
                                    .toList())
                            .as("reasons: %s", c.description())
                            .containsExactlyInAnyOrderElementsOf(c.expected().reasons());
                    assertThat(assessment.krasG12c())
                            .as("KRAS G12C: %s", c.description())
                            .isEqualTo(c.expected().krasG12c());
                    assertThat(assessment.brafV600e())
                            .as("BRAF V600E: %s", c.description())
                            .isEqualTo(c.expected().brafV600e());
                }));
    }

    @Test
    void theSuiteHasAtLeastSixtyCases() {
        assertThat(RasCase.all()).hasSizeGreaterThanOrEqualTo(60);
    }

    @Test
    void everyMutatedCaseNamesTheEvidenceThatMadeIt() {
        for (RasCase c : RasCase.all()) {
            RasAssessment assessment = c.assess();
            if (assessment.status() == RasStatus.MUTATED) {
                List<EvidenceItem> mutated = assessment.evidence().stream()
                        .filter(e -> e.call() == EvidenceCall.MUTATED)
                        .toList();
                assertThat(mutated)
                        .as(c.name())
                        .isNotEmpty()
                        .allSatisfy(e -> assertThat(e.reference()).isNotBlank());
            }
        }
    }
}
