package org.rasguard.ras;

import java.util.List;

/**
 * The verdict for one gene.
 *
 * @param gene the gene
 * @param status mutated, negative (final, extended, not overtaken by an indeterminate), unknown, or not tested
 * @param coverage the best coverage among its final negatives
 * @param reasons why it is unknown (empty otherwise)
 * @param evidence references of the resources that speak about it
 */
public record GeneVerdict(
        Gene gene, Status status, Coverage coverage, List<UnknownReason> reasons, List<String> evidence) {

    public GeneVerdict {
        reasons = List.copyOf(reasons);
        evidence = List.copyOf(evidence);
    }

    public enum Status {
        MUTATED,
        NEGATIVE,
        UNKNOWN,
        NOT_TESTED
    }

    /** How much of the gene a negative covered: the six hotspot codons (extended), fewer (partial), or no negative at all. */
    public enum Coverage {
        EXTENDED,
        PARTIAL,
        NONE
    }
}
