package org.rasguard.ras;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which RAS genes a text names, by the symbols and synonyms of ValueSet ras-genes, each as a whole word. */
class GeneResolverTest {

    private static final GeneResolver GENES = new GeneResolver(RasCase.VOCABULARY);

    @ParameterizedTest(name = "\"{0}\" names [{1}]")
    @CsvSource(
            delimiter = ';',
            value = {
                "KRAS2 amplification; KRAS", // KRAS alone is followed by a digit: the synonym KRAS2 matches
                "k ras exon 2; KRAS",
                "K-RAS4B isoform; KRAS",
                "kras.; KRAS",
                "NRAS1; NRAS",
                "n.ras codon 61; NRAS",
                "KRAS/NRAS wild type; KRAS NRAS",
                "v-Ki-ras2 Kirsten rat sarcoma viral oncogene homolog; KRAS",
                "neuroblastoma RAS viral (v-ras) oncogene homolog; NRAS",
                "KRASX; ''",
                "pKRAS; ''",
                "HRAS and BRAF; ''",
                "Ki-ras2; ''",
                "ras pathway; ''",
            })
    void genesNamedIn(String text, String expected) {
        Set<Gene> wanted = expected.isBlank()
                ? EnumSet.noneOf(Gene.class)
                : Stream.of(expected.split(" ")).map(Gene::valueOf).collect(Collectors.toSet());
        assertThat(GENES.genesNamedIn(text)).isEqualTo(wanted);
    }
}
