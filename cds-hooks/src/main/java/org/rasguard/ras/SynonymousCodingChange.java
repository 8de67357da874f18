package org.rasguard.ras;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides whether a single-base coding substitution at a hotspot codon leaves the amino acid
 * unchanged, from the reference codon the knowledge package confirms for that gene and codon
 * ({@code CodeSystem/ras-reference-codons}, MANE Select numbering). KRAS c.36T>C turns codon 12 GGT
 * into GGC, still glycine: no mutation. Whatever cannot be decided (no confirmed reference codon, a
 * transcript of another gene, a reference base that disagrees with the codon) keeps the change as a
 * substitution, which counts as a mutation at a hotspot (fail safe).
 */
final class SynonymousCodingChange {

    private static final Pattern SUBSTITUTION = Pattern.compile("(\\d{1,6})([ACGT])>([ACGT])");

    /** The standard genetic code (NCBI translation table 1), codon to one-letter amino acid ('*' stop). */
    private static final Map<String, Character> GENETIC_CODE = geneticCode();

    private final RasVocabulary vocabulary;

    SynonymousCodingChange(RasVocabulary vocabulary) {
        this.vocabulary = vocabulary;
    }

    /** The change, or the same change marked synonymous when its reference codon shows the amino acid is kept. */
    HgvsChange refine(Gene gene, HgvsChange change) {
        return isSilent(gene, change)
                ? new HgvsChange(
                        change.text(),
                        change.accession(),
                        change.level(),
                        change.firstCodon(),
                        change.lastCodon(),
                        HgvsChange.Effect.SYNONYMOUS,
                        null,
                        change.codingChange())
                : change;
    }

    private boolean isSilent(Gene gene, HgvsChange change) {
        if (change.level() != HgvsChange.Level.CODING
                || change.effect() != HgvsChange.Effect.SUBSTITUTION
                || change.codingChange() == null
                || change.firstCodon() == null) {
            return false;
        }
        if (change.accession() != null
                && RasHotspots.geneOfAccession(change.accession())
                        .filter(g -> g == gene)
                        .isEmpty()) {
            return false;
        }
        Matcher m = SUBSTITUTION.matcher(change.codingChange());
        if (!m.matches()) {
            return false;
        }
        int position = Integer.parseInt(m.group(1));
        int codon = (position - 1) / 3 + 1;
        Optional<String> reference = vocabulary.referenceCodon(gene, codon);
        if (reference.isEmpty()) {
            return false;
        }
        int offset = (position - 1) % 3;
        String ref = reference.get();
        if (ref.charAt(offset) != m.group(2).charAt(0)) {
            return false;
        }
        String alternate = ref.substring(0, offset) + m.group(3) + ref.substring(offset + 1);
        Character before = GENETIC_CODE.get(ref);
        return before != null && before.equals(GENETIC_CODE.get(alternate));
    }

    private static Map<String, Character> geneticCode() {
        String bases = "TCAG";
        String aminoAcids = "FFLLSSSSYY**CC*WLLLLPPPPHHQQRRRRIIIMTTTTNNKKSSRRVVVVAAAADDEEGGGG";
        Map<String, Character> code = new java.util.HashMap<>();
        int i = 0;
        for (char first : bases.toCharArray()) {
            for (char second : bases.toCharArray()) {
                for (char third : bases.toCharArray()) {
                    code.put("" + first + second + third, aminoAcids.charAt(i++));
                }
            }
        }
        return Map.copyOf(code);
    }
}
