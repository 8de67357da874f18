package org.rasguard.ras;

import java.time.Instant;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns the evidence into a verdict per gene and a RAS status (issue "Combining"):
 * mutated if any KRAS or NRAS evidence is mutated, across specimens and over time; wild-type only
 * if KRAS and NRAS each have a final, extended-coverage negative and no indeterminate result newer
 * than it; unknown otherwise, with reasons.
 */
final class VerdictCombiner {

    /**
     * Calls that block an older negative: anything that may hide a mutation. A plasma / ctDNA
     * negative is not one of them: finding nothing in plasma cannot cast doubt on an extended tissue
     * negative (a ctDNA mutation would count as mutated), it only cannot stand in for one.
     */
    private static final Set<EvidenceCall> BLOCKING =
            EnumSet.of(EvidenceCall.INDETERMINATE, EvidenceCall.VUS, EvidenceCall.CONFLICT);

    private VerdictCombiner() {}

    static GeneVerdict verdict(Gene gene, List<EvidenceItem> all) {
        List<EvidenceItem> items =
                all.stream().filter(item -> item.gene() == gene).toList();
        List<String> references =
                items.stream().map(EvidenceItem::reference).distinct().sorted().toList();
        List<EvidenceItem> finalNegatives = items.stream()
                .filter(item -> item.call() == EvidenceCall.NEGATIVE && !item.preliminary())
                .toList();
        GeneVerdict.Coverage coverage = !finalNegatives.isEmpty()
                ? GeneVerdict.Coverage.EXTENDED
                : items.stream().anyMatch(item -> item.call() == EvidenceCall.PARTIAL_NEGATIVE && !item.preliminary())
                        ? GeneVerdict.Coverage.PARTIAL
                        : GeneVerdict.Coverage.NONE;
        if (items.stream().anyMatch(item -> item.call() == EvidenceCall.MUTATED)) {
            return new GeneVerdict(gene, GeneVerdict.Status.MUTATED, coverage, List.of(), references);
        }
        Optional<Instant> newestNegative = newest(finalNegatives);
        List<EvidenceItem> blockers = items.stream()
                .filter(item -> BLOCKING.contains(item.call()))
                .filter(item -> finalNegatives.isEmpty() || !olderThan(item, newestNegative))
                .toList();
        if (!finalNegatives.isEmpty() && blockers.isEmpty()) {
            return new GeneVerdict(gene, GeneVerdict.Status.NEGATIVE, coverage, List.of(), references);
        }
        Set<UnknownReason> reasons = new TreeSet<>();
        blockers.forEach(item -> reasons.add(reasonFor(item.call())));
        if (finalNegatives.isEmpty()) {
            if (items.stream().anyMatch(item -> item.call() == EvidenceCall.NEGATIVE && item.preliminary())) {
                reasons.add(UnknownReason.PRELIMINARY_ONLY);
            }
            if (items.stream().anyMatch(item -> item.call() == EvidenceCall.PARTIAL_NEGATIVE)) {
                reasons.add(UnknownReason.PARTIAL_COVERAGE);
            }
            if (items.stream().anyMatch(item -> item.call() == EvidenceCall.CTDNA_NEGATIVE)) {
                reasons.add(UnknownReason.CTDNA_ONLY);
            }
        }
        GeneVerdict.Status status = reasons.isEmpty() ? GeneVerdict.Status.NOT_TESTED : GeneVerdict.Status.UNKNOWN;
        return new GeneVerdict(gene, status, coverage, List.copyOf(reasons), references);
    }

    static RasStatus status(Map<Gene, GeneVerdict> genes) {
        if (genes.values().stream().anyMatch(v -> v.status() == GeneVerdict.Status.MUTATED)) {
            return RasStatus.MUTATED;
        }
        return genes.values().stream().allMatch(v -> v.status() == GeneVerdict.Status.NEGATIVE)
                ? RasStatus.WILD_TYPE
                : RasStatus.UNKNOWN;
    }

    /** The reasons of an unknown status: which gene is missing, then every gene's own reasons. */
    static List<UnknownReason> reasons(RasStatus status, Map<Gene, GeneVerdict> genes) {
        if (status != RasStatus.UNKNOWN) {
            return List.of();
        }
        Set<UnknownReason> reasons = new TreeSet<>();
        boolean krasMissing = genes.get(Gene.KRAS).status() == GeneVerdict.Status.NOT_TESTED;
        boolean nrasMissing = genes.get(Gene.NRAS).status() == GeneVerdict.Status.NOT_TESTED;
        if (krasMissing && nrasMissing) {
            reasons.add(UnknownReason.NOT_TESTED);
        } else if (nrasMissing) {
            reasons.add(UnknownReason.KRAS_ONLY);
        } else if (krasMissing) {
            reasons.add(UnknownReason.NRAS_ONLY);
        }
        genes.values().forEach(verdict -> reasons.addAll(verdict.reasons()));
        return List.copyOf(reasons);
    }

    static Map<Gene, GeneVerdict> verdicts(List<EvidenceItem> items) {
        Map<Gene, GeneVerdict> out = new EnumMap<>(Gene.class);
        for (Gene gene : Gene.values()) {
            out.put(gene, verdict(gene, items));
        }
        return out;
    }

    /** A result is older than the newest negative only when both dates are known; undated results always block. */
    private static boolean olderThan(EvidenceItem item, Optional<Instant> newestNegative) {
        return newestNegative.isPresent()
                && item.observedAt() != null
                && item.observedAt().isBefore(newestNegative.get());
    }

    private static Optional<Instant> newest(List<EvidenceItem> items) {
        return items.stream()
                .map(EvidenceItem::observedAt)
                .filter(i -> i != null)
                .max(Instant::compareTo);
    }

    private static UnknownReason reasonFor(EvidenceCall call) {
        return switch (call) {
            case VUS -> UnknownReason.VUS;
            case CONFLICT -> UnknownReason.CONFLICT;
            case CTDNA_NEGATIVE -> UnknownReason.CTDNA_ONLY;
            default -> UnknownReason.INDETERMINATE;
        };
    }
}
