package org.rasguard.ras;

import java.util.List;
import java.util.Map;

/**
 * The RAS status of one patient and why.
 *
 * @param status mutated, wild-type or unknown
 * @param reasons why it is unknown; empty for mutated and wild-type
 * @param genes the verdict per gene (always both KRAS and NRAS)
 * @param variants the KRAS / NRAS changes found
 * @param krasG12c true when a final result shows KRAS G12C (for the approved G12C-inhibitor combinations)
 * @param brafV600e true when a final result shows BRAF V600E (reported beside RAS status, never part of it)
 * @param brafV600eEvidence references of the results that show BRAF V600E
 * @param evidence every piece of KRAS / NRAS evidence that was used
 */
public record RasAssessment(
        RasStatus status,
        List<UnknownReason> reasons,
        Map<Gene, GeneVerdict> genes,
        List<VariantFinding> variants,
        boolean krasG12c,
        boolean brafV600e,
        List<String> brafV600eEvidence,
        List<EvidenceItem> evidence) {

    public RasAssessment {
        reasons = List.copyOf(reasons);
        genes = Map.copyOf(genes);
        variants = List.copyOf(variants);
        brafV600eEvidence = List.copyOf(brafV600eEvidence);
        evidence = List.copyOf(evidence);
    }

    /**
     * This assessment when not all of the patient's results could be read: a mutation found still
     * stands, but the unread ones may hold one, so wild-type becomes unknown ({@link UnknownReason#TRUNCATED}).
     */
    public RasAssessment cutShort() {
        return unknownBecause(UnknownReason.TRUNCATED);
    }

    /**
     * This assessment when part of the evidence could not be used (a linked result about another
     * patient left out, records that disagree): a mutation still stands, wild-type cannot.
     */
    public RasAssessment incomplete() {
        return status == RasStatus.WILD_TYPE ? unknownBecause(UnknownReason.EVIDENCE_INCOMPLETE) : this;
    }

    private RasAssessment unknownBecause(UnknownReason reason) {
        if (status == RasStatus.MUTATED || reasons.contains(reason)) {
            return this;
        }
        List<UnknownReason> more = new java.util.ArrayList<>(status == RasStatus.WILD_TYPE ? List.of() : reasons);
        more.add(reason);
        return new RasAssessment(
                RasStatus.UNKNOWN, more, genes, variants, krasG12c, brafV600e, brafV600eEvidence, evidence);
    }
}
