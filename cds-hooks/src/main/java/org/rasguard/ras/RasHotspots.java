package org.rasguard.ras;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Sequence facts the codon arithmetic relies on: the six hotspot codons and the reference
 * sequences whose numbering they are valid in.
 *
 * <p>Hotspots: ASCO 2015 "RAS Mutational Testing of Colorectal Carcinoma Tissue" (as quoted by the
 * NCBI Medical Genetics Summaries, "Panitumumab Therapy and RAS and BRAF Genotype"): extended RAS
 * analysis is KRAS and NRAS exon 2 (codons 12, 13), exon 3 (59, 61) and exon 4 (117, 146).
 *
 * <p>The codons are published, with their source, as CodeSystem ras-hotspot-codons (ig-resources); the
 * engine applies these compiled ones, and {@link RasVocabulary} refuses a knowledge package whose list
 * differs, so the two cannot drift apart.
 *
 * <p>The accessions are code, not a ValueSet, on purpose: a c. or p. position only means "codon 12"
 * in a reference sequence whose coding numbering is known to match. KRAS NM_004985 / NP_004976
 * (isoform 4B) and NM_033360 / NP_203524 (isoform 4A) number identically through codon 150, so all
 * six hotspots hold in both (genomics.md §3.3). Adding an accession without checking its numbering
 * would be unsafe, so it is a reviewed code change. The NRAS protein accession is not listed: it
 * could not be verified.
 */
final class RasHotspots {

    static final Set<Integer> CODONS = Set.of(12, 13, 59, 61, 117, 146);

    /** Clinical exon numbering (exon 1 is non-coding) to the hotspot codons it holds. */
    static final Map<Integer, Set<Integer>> CODONS_BY_EXON =
            Map.of(2, Set.of(12, 13), 3, Set.of(59, 61), 4, Set.of(117, 146));

    private static final Map<String, Gene> GENE_BY_ACCESSION = Map.of(
            "NM_004985", Gene.KRAS,
            "NM_033360", Gene.KRAS,
            "NP_004976", Gene.KRAS,
            "NP_203524", Gene.KRAS,
            "LRG_344", Gene.KRAS,
            "NM_002524", Gene.NRAS);

    /** The KRAS G12C codon change: codon 12 is GGT in KRAS, so c.34G>T gives TGT (Cys). */
    static final String G12C_CODING_CHANGE = "34G>T";

    private static final java.util.regex.Pattern VERSION_SUFFIX = java.util.regex.Pattern.compile("\\.\\d+$");
    private static final java.util.regex.Pattern LRG_TRANSCRIPT_OR_PROTEIN =
            java.util.regex.Pattern.compile("^(LRG_\\d+)[TP]\\d+$");

    private RasHotspots() {}

    /** The RAS gene whose coding numbering an accession (any version, LRG transcript or protein suffix) uses. */
    static Optional<Gene> geneOfAccession(String accession) {
        if (accession == null) {
            return Optional.empty();
        }
        String unversioned =
                VERSION_SUFFIX.matcher(accession.toUpperCase(Locale.ROOT)).replaceFirst("");
        String bare = LRG_TRANSCRIPT_OR_PROTEIN.matcher(unversioned).replaceFirst("$1");
        return Optional.ofNullable(GENE_BY_ACCESSION.get(bare));
    }
}
