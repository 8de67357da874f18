package org.rasguard.ras;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rasguard.ras.RasVocabulary.Meaning;

/**
 * Negations with qualifiers between "no" and "mutation", and the limit-of-detection sentence of every
 * negative report ({@link TextSignals#meanings}, {@link TextSignals#coverage}): read wrong, the first made
 * a wild-type report a codon 12 mutation, the second a partial negative.
 */
class TextSignalsNegationTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "No evidence of KRAS or NRAS mutation",
                "no evidence of a KRAS mutation in exons 2-4",
                "No pathogenic KRAS or NRAS mutation detected",
                "No clinically significant KRAS/NRAS variants were detected",
                "no likely pathogenic or pathogenic variants identified",
                "No  evidence of  KRAS or NRAS mutation" // the gene-part reader joins stretches with a space
            })
    void qualifiedNegationsAreNegative(String text) {
        assertThat(TextSignals.meanings(text)).as(text).containsExactly(Meaning.NEGATIVE);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "No loss of the KRAS mutation on the follow-up sample, still detected",
                "No change in KRAS p.G12D mutation, detected at 12% VAF",
                "no other KRAS finding but a codon 12 mutation detected",
                "No other KRAS or NRAS mutations detected besides KRAS p.G12D",
                "no additional RAS variants found apart from NRAS Q61K"
            })
    void otherWordsAfterNoAreNoNegationOfTheMutation(String text) {
        assertThat(TextSignals.meanings(text)).as(text).contains(Meaning.POSITIVE);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Variants present below the assay's limit of detection cannot be excluded.",
                "Mutations below the limit of detection (5% VAF) cannot be excluded",
                "mutations present below this level cannot be excluded"
            })
    void theDetectionLimitSentenceLimitsNoScope(String text) {
        TextSignals.Coverage coverage = TextSignals.coverage(text);
        assertThat(coverage.unaccounted()).as(text).isFalse();
        assertThat(coverage.stated()).as(text).isFalse();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Low read depth at codon 146: mutations below the limit of detection cannot be excluded",
                "Exon 4 mutations below the detection limit cannot be excluded"
            })
    void aDetectionLimitOnANamedCodonStillLimitsIt(String text) {
        TextSignals.Coverage coverage = TextSignals.coverage(text);
        assertThat(coverage.stated()).as(text).isTrue();
        assertThat(coverage.extended()).as(text).isFalse();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Keine Mutation in KRAS und NRAS nachgewiesen",
                "kein Nachweis einer pathogenen Variante",
                "NRAS: nicht nachgewiesen",
                "Keine KRAS-Mutationen nachgewiesen",
                "RAS-Wildtyp",
                "Befund negativ",
                "Absence de mutation d\u00e9tect\u00e9e",
                "Aucune mutation d\u00e9tect\u00e9e",
                "No se detectaron mutaciones",
                "Nessuna mutazione rilevata"
            })
    void germanFrenchSpanishItalianNegativesAreNegative(String text) {
        assertThat(TextSignals.meanings(text)).as(text).containsExactly(Meaning.NEGATIVE);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Keine NRAS-Mutation und KRAS p.G12D nachgewiesen",
                "Nachweis einer KRAS-Mutation c.35G>A, keine weiteren Mutationen",
                "keine weiteren Mutationen nachgewiesen ausser KRAS p.G13D",
                "KRAS mutiert (p.Gly12Val)"
            })
    void germanPositivesKeepTheirPositive(String text) {
        assertThat(TextSignals.meanings(text)).as(text).contains(Meaning.POSITIVE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Ergebnis nicht auswertbar", "DNA-Menge unzureichend", "Sequenzierung fehlgeschlagen"})
    void germanFailuresAreIndeterminate(String text) {
        assertThat(TextSignals.meanings(text)).as(text).contains(Meaning.INDETERMINATE);
    }
}
