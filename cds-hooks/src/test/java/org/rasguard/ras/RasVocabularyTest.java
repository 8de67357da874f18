package org.rasguard.ras;

import static org.assertj.core.api.Assertions.assertThat;

import org.hl7.fhir.r4.model.Coding;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rasguard.knowledge.DrugMatcher;

/**
 * The engine knows cetuximab and panitumumab (in a therapeutic implication) by the drug matcher's own
 * reader: an NDC counts in every layout the drug matcher accepts, and no other.
 */
class RasVocabularyTest {

    private static final String NDC = "http://hl7.org/fhir/sid/ndc";
    private static final DrugMatcher DRUGS = DrugMatcher.from(RasCase.KNOWLEDGE);

    @ParameterizedTest
    @ValueSource(
            strings = {"66733-948-23", "66733094823", "66733-0948-23", "66733-948", "6673-3948-23", "66733-999-23"})
    void anAntiEgfrNdcCountsExactlyWhenTheDrugMatcherRecognisesIt(String ndc) {
        Coding coding = new Coding(NDC, ndc, null);
        boolean matcher = DRUGS.antiEgfrDrug(new org.hl7.fhir.r4.model.CodeableConcept().addCoding(coding))
                .isPresent();

        assertThat(RasCase.VOCABULARY.isAntiEgfr(coding)).as(ndc).isEqualTo(matcher);
        assertThat(RasVocabulary.from(RasCase.KNOWLEDGE, DRUGS.antiEgfrAntibodies())
                        .isAntiEgfr(coding))
                .as(ndc)
                .isEqualTo(matcher);
    }

    @ParameterizedTest
    @ValueSource(strings = {"66733094823", "66733-0948-23"})
    void anElevenDigitNdcOfCetuximabIsAnAntiEgfrDrug(String ndc) {
        assertThat(RasCase.VOCABULARY.isAntiEgfr(new Coding(NDC, ndc, null))).isTrue();
    }
}
