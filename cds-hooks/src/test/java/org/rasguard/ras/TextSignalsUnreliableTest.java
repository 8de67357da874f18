package org.rasguard.ras;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What makes a negative unreliable ({@link TextSignals#saysUnreliable}), and the boilerplate of ordinary
 * negatives that must not: a wild-type patient warned on every order would be harmed too.
 */
class TextSignalsUnreliableTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Insufficient tumour content (<10%); a negative result does not exclude a mutation.",
                "Low tumour cellularity: interpret with caution.",
                "Tumor content of the block was below the assay minimum.",
                "Specimen inadequate for analysis.",
                "KRAS c.35G>A observed at 1.2% VAF, below the validated limit of detection; reported as not detected.",
                "KRAS c.35G>A detected at 4% VAF.",
                "KRAS result withdrawn pending re-extraction (DNA degraded).",
                "Issued on a mislabelled sample and must be disregarded.",
                "This result should not be used for treatment decisions."
            })
    void wordsThatUndoANegative(String text) {
        assertThat(TextSignals.saysUnreliable(text)).as(text).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "No pathogenic variants detected in KRAS exons 2, 3 and 4 or NRAS exons 2, 3 and 4.",
                "Variants detected at 5% VAF or above are reported.",
                "Mutations detected at a VAF of 5% or greater are reported; the limit of detection is 5%.",
                "This assay cannot exclude mutations below the limit of detection.",
                "Tumour content 40%, adequate for analysis.",
                // Another gene's variant at its (high) fraction, beside RAS negatives (a helper's report, 2026-12-07).
                "BRAF c.1799T>A p.(Val600Glu) identified at 31% allele fraction. No variants detected in KRAS or NRAS.",
                "PIK3CA p.H1047R detected at 18.5% VAF.",
                "Next-generation sequencing (Oncomine Focus); all coding exons covered at 500x.",
                // A helper's wild-type reports (2026-12-07): a condition and a denial are no fact about this sample.
                "If tumour content is insufficient, false negatives may occur.",
                "DNA was not degraded.",
                "The specimen was not inadequate."
            })
    void boilerplateOfOrdinaryNegativesDoesNot(String text) {
        assertThat(TextSignals.saysUnreliable(text)).as(text).isFalse();
    }

    /** Scope statements of ordinary extended negatives: none of them limits the coverage. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "All amplicons passed QC.",
                "All amplicons passed QC; no amplicons failed.",
                "All targeted regions covered.",
                "Coverage: all targeted regions sequenced to a minimum depth of 500x.",
                "No-call regions: none.",
                "Variants of uncertain significance are not reported.",
                "Benign variants are not reported.",
                "BRAF V600E not detected."
            })
    void qualityStatementsLeaveCoverageUnlimited(String text) {
        TextSignals.Coverage coverage = TextSignals.coverage(text);
        assertThat(coverage.stated() && !coverage.extended()).as(text).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Exon 3 amplicons failed QC.", "No-call regions: KRAS exon 4.", "Codons 12 and 13 only."})
    void limitingStatementsStillLimit(String text) {
        TextSignals.Coverage coverage = TextSignals.coverage(text);
        assertThat(coverage.stated() && !coverage.extended()).as(text).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "No result: the KRAS run did not pass QC",
                "Sample considered inadequate for analysis",
                "Low tumour content and a repeat on a richer block is recommended",
                "TNP - QNS",
                "result inconcl. - low DNA input",
                "Results cannot be interpreted - DNA yield too low",
                "Specimen below the minimum tumour fraction required for reporting",
                "tset faild QC, insufficent material",
                "R\u00e9sultat non interpr\u00e9table (\u00e9chec de l'amplification)",
                "resultado no valorable",
                "Esito non valutabile",
                "The analysis was not\nevaluable.",
                "Wrong\r\nspecimen.",
                "Low-quality\nsequencing; interpret with\ncaution.",
                "No DNA could be extracted from the block",
                "Library failed",
                "Invalid run (cluster density out of range)",
                "Result awaiting confirmation by a second method",
                "Specimen labelled incorrectly",
                "n\u00e3o interpret\u00e1vel",
                "analyse mislukt",
                "El resultado de NRAS no es valorable por baja calidad del ADN",
                "R\u00e9sultat \u00e0 interpr\u00e9ter avec prudence"
            })
    void wordsSayingTheTestGaveNoResult(String text) {
        assertThat(TextSignals.saysUnreliable(text)).as(text).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "No result was inconclusive.",
                "Aucun \u00e9chec technique",
                "If a result is inconclusive the laboratory repeats the assay",
                "Variants below the limit of detection cannot be excluded",
                "All amplicons passed QC; a repeat is not required",
                "No amplification failures.",
                "Inconclusive calls: 0.",
                "HER2: IHC 2+ (equivocal), not amplified by ISH",
                "A duplicate request received the same day was cancelled"
            })
    void failureWordsDeniedOrConditionalDoNot(String text) {
        assertThat(TextSignals.saysUnreliable(text)).as(text).isFalse();
    }
}
