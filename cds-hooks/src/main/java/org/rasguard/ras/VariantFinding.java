package org.rasguard.ras;

/**
 * A KRAS or NRAS change that was found.
 *
 * @param gene the gene
 * @param hgvs the expression as reported
 * @param codon the hotspot codon it touches, else its first codon; null when not mapped (genomic, non-coding)
 * @param g12c true for Gly12Cys (p.G12C, p.Gly12Cys, or c.34G&gt;T)
 * @param call what the engine made of it (mutated, VUS, no effect …)
 * @param evidence the reference of the resource that reported it
 */
public record VariantFinding(Gene gene, String hgvs, Integer codon, boolean g12c, EvidenceCall call, String evidence) {}
