package org.rasguard.cards;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rasguard.ras.EvidenceCall;
import org.rasguard.ras.Gene;
import org.rasguard.ras.VariantFinding;

/** The short names a card shows for a reported change, and the changes shown as reported. */
class VariantNamesTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = ';',
            value = {
                "NP_004976.2:p.(Gly12Asp); p.G12D",
                "p.Gln61His; p.Q61H",
                "p.(Ala146Thr); p.A146T",
                "p.Gly12Ter; p.G12*",
                "p.Gly12=; p.G12=",
                // Xaa's X reads as a stop codon to many; Sec and Pyl are kept too
                "p.Gly12Xaa; p.Gly12Xaa",
                "p.(Gly13Sec); p.Gly13Sec",
                "NP_004976.2:p.Pyl12Gly; p.Pyl12Gly",
                "p.(G12C); p.G12C",
                "NM_004985.5:c.35G>A; c.35G>A",
                "p.Foo12Bar; p.Foo12Bar"
            })
    void shortName(String reported, String shown) {
        assertThat(VariantNames.shortName(finding(reported))).isEqualTo(shown);
    }

    private static VariantFinding finding(String hgvs) {
        return new VariantFinding(Gene.KRAS, hgvs, 12, false, EvidenceCall.MUTATED, "Observation/v1");
    }
}
