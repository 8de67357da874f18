package org.rasguard.ras;

import java.util.Optional;
import java.util.Set;

/**
 * One sequence change read from an HGVS expression (or the assay shorthand labs use for it), reduced
 * to what RAS status needs: the codons it touches and whether it changes the protein.
 *
 * @param text the expression as reported
 * @param accession the reference sequence before the colon, or null
 * @param level protein, coding or genomic
 * @param firstCodon first codon touched, or null when the change lies outside the coding sequence
 *     (intron, UTR) or its position cannot be mapped (genomic)
 * @param lastCodon last codon touched (equal to firstCodon for a point change), or null
 * @param effect what the change does
 * @param alternate the new amino acid (one letter) of a protein substitution, or null
 * @param codingChange the c. substitution without prefix (e.g. {@code 34G>T}), or null
 */
public record HgvsChange(
        String text,
        String accession,
        Level level,
        Integer firstCodon,
        Integer lastCodon,
        Effect effect,
        String alternate,
        String codingChange) {

    /** The sequence level the positions refer to. */
    public enum Level {
        PROTEIN,
        CODING,
        GENOMIC
    }

    /** What a change does; {@link #SYNONYMOUS} covers HGVS "=" (no change) and silent substitutions. */
    public enum Effect {
        MISSENSE,
        SYNONYMOUS,
        /** A change whose new residue is not given, e.g. the assay shorthand {@code G12X}. */
        UNSPECIFIED,
        NONSENSE,
        FRAMESHIFT,
        DELETION,
        DUPLICATION,
        INSERTION,
        DELINS,
        SUBSTITUTION,
        INVERSION,
        EXTENSION
    }

    /** False for genomic (g.) positions: their codon is not mapped (genomics.md §3.4 rule 4). */
    public boolean positionMapped() {
        return level != Level.GENOMIC;
    }

    public boolean changesProtein() {
        return effect != Effect.SYNONYMOUS;
    }

    /** True when the change touches at least one of the given codons. */
    public boolean overlaps(Set<Integer> codons) {
        return firstHit(codons).isPresent();
    }

    /** A protein-changing change at codon 12, 13, 59, 61, 117 or 146. */
    public boolean hitsHotspot() {
        return changesProtein() && overlaps(RasHotspots.CODONS);
    }

    /** The hotspot codon the change touches, else its first codon, else empty. */
    public Optional<Integer> codon() {
        return firstHit(RasHotspots.CODONS).or(() -> Optional.ofNullable(firstCodon));
    }

    /** Gly12Cys, from the protein or from the only coding change that gives it, c.34G>T. */
    public boolean isG12c() {
        return isProteinChange(12, "C")
                || (level == Level.CODING && RasHotspots.G12C_CODING_CHANGE.equals(codingChange));
    }

    public boolean isProteinChange(int codon, String newResidue) {
        return level == Level.PROTEIN
                && effect == Effect.MISSENSE
                && Integer.valueOf(codon).equals(firstCodon)
                && Integer.valueOf(codon).equals(lastCodon)
                && newResidue.equals(alternate);
    }

    /** Where the change lies, for card text: "codon 12", "codons 12-13", "non-coding position", "position unmapped". */
    public String location() {
        if (!positionMapped()) {
            return "position unmapped";
        }
        if (firstCodon == null) {
            return "non-coding position";
        }
        return firstCodon.equals(lastCodon) ? "codon " + firstCodon : "codons " + firstCodon + "-" + lastCodon;
    }

    private Optional<Integer> firstHit(Set<Integer> codons) {
        if (firstCodon == null) {
            return Optional.empty();
        }
        return codons.stream().filter(c -> c >= firstCodon && c <= lastCodon).min(Integer::compare);
    }
}
