package org.rasguard.ras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.IntStream;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.ValueSet;
import org.junit.jupiter.api.Test;
import org.rasguard.knowledge.KnowledgeBase;

/** The engine's contract beyond the clinical table: scale, thread safety, and where its codes come from. */
class RasStatusEngineTest {

    private final RasStatusEngine engine = new RasStatusEngine(RasCase.VOCABULARY, RasPolicy.defaults());

    @Test
    void assessesTheBenchmarkPanelOf200Observations() {
        RasAssessment assessment = engine.assess(RasStatusEngineBenchmark.patientWith200Observations());

        assertThat(assessment.status()).isEqualTo(RasStatus.WILD_TYPE);
        assertThat(assessment.genes().get(Gene.KRAS).coverage()).isEqualTo(GeneVerdict.Coverage.EXTENDED);
    }

    @Test
    void givesTheSameAnswerFromManyThreadsAtOnce() {
        List<IBaseResource> patient = RasStatusEngineBenchmark.patientWith200Observations();
        RasAssessment expected = engine.assess(patient);

        List<RasAssessment> parallel = IntStream.range(0, 64)
                .parallel()
                .mapToObj(i -> engine.assess(patient))
                .toList();

        assertThat(parallel).allSatisfy(assessment -> assertThat(assessment).isEqualTo(expected));
    }

    @Test
    void ignoresResourcesThatAreNotEvidence() {
        Patient patient = new Patient();
        patient.setId("p1");

        RasAssessment assessment = engine.assess(List.of(patient));

        assertThat(assessment.status()).isEqualTo(RasStatus.UNKNOWN);
        assertThat(assessment.reasons()).containsExactly(UnknownReason.NOT_TESTED);
    }

    @Test
    void statusAndReasonCodesAreTheOnesOfThePublishedCodeSystems() {
        assertThat(RasCase.KNOWLEDGE.codes("http://rasguard.org/fhir/ValueSet/ras-status"))
                .extracting(code -> code.code())
                .containsExactlyInAnyOrder(List.of(RasStatus.values()).stream()
                        .map(RasStatus::code)
                        .toArray(String[]::new));
        assertThat(RasCase.KNOWLEDGE.codes("http://rasguard.org/fhir/ValueSet/ras-unknown-reason"))
                .extracting(code -> code.code())
                .containsExactlyInAnyOrder(List.of(UnknownReason.values()).stream()
                        .map(UnknownReason::code)
                        .toArray(String[]::new));
    }

    @Test
    void readsItsCodesFromTheKnowledgePackageNotFromJava() {
        List<MetadataResource> withoutPathogenic = RasCase.KNOWLEDGE.artifacts().stream()
                .map(artifact -> artifact.getUrl().equals(RasVocabulary.SIGNIFICANCE_PATHOGENIC)
                        ? placeholderOnly((ValueSet) artifact)
                        : artifact)
                .toList();
        RasVocabulary vocabulary = RasVocabulary.from(KnowledgeBase.of(withoutPathogenic, List.of()));
        RasCase pathogenic = RasCase.all().stream()
                .filter(c -> c.name().equals("kras-variant-pathogenic-implication-derivedfrom"))
                .findFirst()
                .orElseThrow();

        RasAssessment assessment = new RasStatusEngine(vocabulary, RasPolicy.defaults()).assess(pathogenic.resources());

        assertThat(pathogenic.assess().status()).isEqualTo(RasStatus.MUTATED);
        assertThat(assessment.status()).isEqualTo(RasStatus.UNKNOWN);
        assertThat(assessment.reasons()).contains(UnknownReason.VUS);
    }

    @Test
    void failsFastWhenAValueSetIsMissing() {
        KnowledgeBase empty = KnowledgeBase.of(List.of(), List.of());

        assertThatThrownBy(() -> RasVocabulary.from(empty))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ras-genes");
    }

    /** A copy of the ValueSet whose only code is one no result uses. */
    private static ValueSet placeholderOnly(ValueSet valueSet) {
        ValueSet copy = valueSet.copy();
        copy.getCompose().getInclude().forEach(include -> include.getConcept().clear());
        copy.getCompose().getInclude().removeIf(include -> include.getConcept().isEmpty());
        copy.getCompose()
                .addInclude()
                .setSystem("http://loinc.org")
                .addConcept()
                .setCode("LA0000-0")
                .setDisplay("placeholder");
        return copy;
    }
}
