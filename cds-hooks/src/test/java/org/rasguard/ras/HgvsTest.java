package org.rasguard.ras;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The HGVS and shorthand forms of genomics.md §3.4, one row each. */
class HgvsTest {

    @ParameterizedTest(name = "{0} -> {1} codons {2}-{3} {4}, hotspot {5}")
    @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
            # expression                       | level   | first | last | effect       | hotspot
            NP_004976.2:p.(Gly12Asp)           | PROTEIN | 12    | 12   | MISSENSE     | true
            NP_004976.2:p.Gly12Asp             | PROTEIN | 12    | 12   | MISSENSE     | true
            p.Gly12Asp                         | PROTEIN | 12    | 12   | MISSENSE     | true
            p.G12D                             | PROTEIN | 12    | 12   | MISSENSE     | true
            p.(G12D)                           | PROTEIN | 12    | 12   | MISSENSE     | true
            G12D                               | PROTEIN | 12    | 12   | MISSENSE     | true
            Q61H                               | PROTEIN | 61    | 61   | MISSENSE     | true
            LRG_344p2:p.Gly12Cys               | PROTEIN | 12    | 12   | MISSENSE     | true
            G12X                               | PROTEIN | 12    | 12   | UNSPECIFIED  | true
            p.Gly12=                           | PROTEIN | 12    | 12   | SYNONYMOUS   | false
            p.G12G                             | PROTEIN | 12    | 12   | SYNONYMOUS   | false
            p.(=)                              | PROTEIN | null  | null | SYNONYMOUS   | false
            p.Gln61Ter                         | PROTEIN | 61    | 61   | NONSENSE     | true
            p.Q61*                             | PROTEIN | 61    | 61   | NONSENSE     | true
            p.Gly12fs                          | PROTEIN | 12    | 12   | FRAMESHIFT   | true
            p.Gly13AspfsTer5                   | PROTEIN | 13    | 13   | FRAMESHIFT   | true
            p.G12fs*5                          | PROTEIN | 12    | 12   | FRAMESHIFT   | true
            p.Gly10_Ala11insGly                | PROTEIN | 10    | 11   | INSERTION    | false
            p.Gly10_Gly13dup                   | PROTEIN | 10    | 13   | DUPLICATION  | true
            p.Ala146del                        | PROTEIN | 146   | 146  | DELETION     | true
            p.Gly12_Gly13delinsValCys          | PROTEIN | 12    | 13   | DELINS       | true
            p.Leu19Phe                         | PROTEIN | 19    | 19   | MISSENSE     | false
            p.Gly12                            | PROTEIN | 12    | 12   | UNSPECIFIED  | true
            c.35G>A                            | CODING  | 12    | 12   | SUBSTITUTION | true
            NM_004985.5:c.35G>A                | CODING  | 12    | 12   | SUBSTITUTION | true
            NM_004985.5(KRAS):c.35G>A          | CODING  | 12    | 12   | SUBSTITUTION | true
            NM_033360.4:c.436G>A               | CODING  | 146   | 146  | SUBSTITUTION | true
            NM_002524.4:c.34G>T                | CODING  | 12    | 12   | SUBSTITUTION | true
            c.182A>G                           | CODING  | 61    | 61   | SUBSTITUTION | true
            c.351A>C                           | CODING  | 117   | 117  | SUBSTITUTION | true
            c.175G>A                           | CODING  | 59    | 59   | SUBSTITUTION | true
            c.33T>C                            | CODING  | 11    | 11   | SUBSTITUTION | false
            c.34_35delinsTT                    | CODING  | 12    | 12   | DELINS       | true
            c.30_40del                         | CODING  | 10    | 14   | DELETION     | true
            c.37_38insA                        | CODING  | 13    | 13   | INSERTION    | true
            c.35=                              | CODING  | 12    | 12   | SYNONYMOUS   | false
            c.111+45C>T                        | CODING  | null  | null | SUBSTITUTION | false
            c.112-1G>A                         | CODING  | null  | null | SUBSTITUTION | false
            c.-10G>A                           | CODING  | null  | null | SUBSTITUTION | false
            c.*5A>G                            | CODING  | null  | null | SUBSTITUTION | false
            c.-5_36del                         | CODING  | 1     | 12   | DELETION     | true
            c.110_111+2del                     | CODING  | 37    | 37   | DELETION     | false
            NC_000012.12:g.25245350C>T         | GENOMIC | null  | null | SUBSTITUTION | false
            """)
    void parsesOneExpression(
            String expression,
            HgvsChange.Level level,
            Integer first,
            Integer last,
            HgvsChange.Effect effect,
            boolean hotspot) {
        HgvsChange change = Hgvs.parse(expression).orElseThrow();

        assertThat(change.level()).isEqualTo(level);
        assertThat(change.firstCodon()).isEqualTo(first);
        assertThat(change.lastCodon()).isEqualTo(last);
        assertThat(change.effect()).isEqualTo(effect);
        assertThat(change.hitsHotspot()).isEqualTo(hotspot);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"p.Gly12Cys", "p.G12C", "NP_004976.2:p.(Gly12Cys)", "G12C", "c.34G>T", "NM_004985.5:c.34G>T"})
    void recognisesG12c(String expression) {
        assertThat(Hgvs.parse(expression).orElseThrow().isG12c()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"p.G12D", "p.G13C", "c.35G>T", "c.34G>A", "c.34_35delinsTT", "p.Gly12_Gly13delinsCysCys"})
    void doesNotMistakeOtherCodon12ChangesForG12c(String expression) {
        assertThat(Hgvs.parse(expression).orElseThrow().isG12c()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"", "KRAS", "wild type", "Not detected", "12/13", "c.", "p.", "HGNC:6407", "C18.7", "T3N1M0"})
    void readsNoChangeFromWhatIsNotHgvs(String text) {
        assertThat(Hgvs.parse(text)).isEmpty();
        assertThat(Hgvs.findAll(text)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"NC_000012.12:g.25245350C>T", "g.25398284C>T"})
    void leavesGenomicPositionsUnmapped(String expression) {
        HgvsChange change = Hgvs.parse(expression).orElseThrow();

        assertThat(change.positionMapped()).isFalse();
        assertThat(change.location()).isEqualTo("position unmapped");
    }

    @Test
    void findsEveryChangeNamedInAClinVarTitle() {
        List<HgvsChange> changes = Hgvs.findAll("NM_004985.5(KRAS):c.35G>A (p.Gly12Asp)");

        assertThat(changes).extracting(HgvsChange::text).containsExactly("NM_004985.5(KRAS):c.35G>A", "p.Gly12Asp");
        assertThat(changes).allMatch(HgvsChange::hitsHotspot);
    }

    @Test
    void findsShorthandInLabText() {
        assertThat(Hgvs.findAll("KRAS G12D detected; Q61 not assessed"))
                .extracting(HgvsChange::text)
                .containsExactly("G12D");
    }

    @Test
    void describesWhereAChangeLies() {
        assertThat(Hgvs.parse("p.G12D").orElseThrow().location()).isEqualTo("codon 12");
        assertThat(Hgvs.parse("c.34_39del").orElseThrow().location()).isEqualTo("codons 12-13");
        assertThat(Hgvs.parse("c.111+45C>T").orElseThrow().location()).isEqualTo("non-coding position");
    }
}
