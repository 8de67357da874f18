package org.rasguard.ras;

/** What one piece of evidence says about one gene (the per-gene rows of the issue). */
public enum EvidenceCall {
    /** A mutation: hotspot change, pathogenic variant, anti-EGFR resistance, positive test, or a present variant without usable HGVS. */
    MUTATED,
    /** No mutation, with extended coverage (all six hotspot codons). */
    NEGATIVE,
    /** No mutation, but over fewer than the six codons, for specific variants only, or with coverage not stated. */
    PARTIAL_NEGATIVE,
    /** Indeterminate, no call, equivocal, inconclusive, failed, dataAbsentReason, or unreadable. */
    INDETERMINATE,
    /** A variant of uncertain significance or an unclassified change away from the hotspots. */
    VUS,
    /** The evidence contradicts itself (gene code versus display, value versus interpretation). */
    CONFLICT,
    /** A negative from plasma / ctDNA, which cannot rule out a mutation unless the policy allows it. */
    CTDNA_NEGATIVE,
    /** A synonymous, benign or likely benign change: neither mutated nor negative. */
    NO_EFFECT;

    /** Its code in {@code http://rasguard.org/fhir/CodeSystem/ras-evidence-call}: {@code PARTIAL_NEGATIVE} is {@code partial-negative}. */
    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
