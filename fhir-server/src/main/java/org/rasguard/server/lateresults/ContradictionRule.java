package org.rasguard.server.lateresults;

import java.util.Optional;
import java.util.Set;
import org.rasguard.ras.RasStatus;

/**
 * Whether a patient's RAS status as it is now contradicts an earlier anti-EGFR order decision (issue 18,
 * point 1). Pure: the earlier decision as the audit trail recorded it, the status now as the RAS engine
 * decides it on our store. The answer is a code of the knowledge package's CodeSystem
 * {@value #EARLIER_DECISION_SYSTEM}, or empty.
 *
 * <ul>
 *   <li>decided on <b>unknown</b> with a card, now <b>mutated</b>: {@code unknown-overridden},
 *       {@code unknown-accepted} or {@code unknown-no-feedback} (fail safe: no answer to a warning on order-sign
 *       means the order may well have been signed). Not when the override said the indication is not
 *       colorectal cancer ({@code non-colorectal-indication}: RAS status does not bear on it), and not for a
 *       {@code G12cNotDocumented} warning that the result now settles (KRAS G12C found);
 *   <li>decided on <b>wild-type</b> with no card (or the wild-type info card), now <b>mutated</b>, or
 *       <b>unknown</b> for a finding that speaks against wild type (an indeterminate result, a VUS, a conflict):
 *       {@code wild-type-no-card}. Not unknown for want of results (not tested, one gene, partial coverage,
 *       ctDNA or preliminary only, cut short): our store may simply lack the EHR's results the decision rested
 *       on (an outside attack got a "stop the order" alert on a wild-type patient after a BRAF result was posted);
 *   <li>decided on <b>wild-type</b> with the re-challenge warning ({@code RasRechallenge}: every wild-type result
 *       predates an earlier course; plasma RAS testing asked for), overridden, accepted or without feedback, now
 *       <b>mutated</b> (typically that plasma result): {@code rechallenge-warned}. Not for a
 *       {@code non-colorectal-indication} override, and not when now <b>unknown</b>: the warning already said the
 *       wild-type result could not carry the re-challenge, as a warning on unknown status did;
 *   <li>an <b>approved KRAS G12C combination</b> ({@code G12cApprovedCombination} card), now without KRAS G12C,
 *       whatever the status: {@code g12c-combination-withdrawn}.
 * </ul>
 * Nothing else is a contradiction: a decision that already warned of a mutation, an error, an order with no
 * RAS check, or a status that did not change.
 */
public final class ContradictionRule {

    public static final String EARLIER_DECISION_SYSTEM =
            "http://rasguard.org/fhir/CodeSystem/late-result-earlier-decision";

    /** Cards that warn of, or pass over, an unknown status. */
    private static final String G12C_NOT_DOCUMENTED = "G12cNotDocumented";

    private static final String G12C_APPROVED = "G12cApprovedCombination";
    private static final String WILD_TYPE_INFO = "RasWildType";
    private static final String RECHALLENGE = "RasRechallenge";
    private static final Set<String> NOT_FOR_CRC = Set.of("non-colorectal-indication");

    /**
     * One anti-EGFR order as an earlier decision left it.
     *
     * @param verdict the decision's RAS verdict: {@code mutated}, {@code wild-type}, {@code unknown} (or
     *     {@code error}, {@code not-assessed}: never contradicted)
     * @param krasG12c the decision saw KRAS G12C
     * @param cardTopic the topic code of the card returned on this order, or null for no card
     * @param feedback the card's latest feedback outcome ({@code accepted}, {@code overridden}), or null for none
     * @param overrideReason the override reason code of that feedback, or null
     */
    public record Earlier(String verdict, boolean krasG12c, String cardTopic, String feedback, String overrideReason) {
        /**
         * Overridden as not for colorectal cancer. An override without a reason (CDS Hooks 2.0 feedback makes
         * it optional) is not: it is checked like any other.
         */
        boolean notForColorectalCancer() {
            return overrideReason != null && NOT_FOR_CRC.contains(overrideReason);
        }
    }

    /** Unknown reasons that are findings against wild type, not a want of results. */
    private static final Set<String> DOUBTS = Set.of("indeterminate", "vus", "conflict");

    /**
     * The status now.
     *
     * @param unknownReasons the codes of {@code ras-unknown-reason} when unknown
     */
    public record Now(RasStatus status, boolean krasG12c, Set<String> unknownReasons) {
        public Now {
            unknownReasons = unknownReasons == null ? Set.of() : Set.copyOf(unknownReasons);
        }

        public Now(RasStatus status, boolean krasG12c) {
            this(status, krasG12c, Set.of());
        }

        boolean doubtsWildType() {
            return status == RasStatus.UNKNOWN && unknownReasons.stream().anyMatch(DOUBTS::contains);
        }

        /** For the identifier: the status, and KRAS G12C when found ({@code mutated+kras-g12c}). */
        public String key() {
            return status.code() + (krasG12c ? "+kras-g12c" : "");
        }
    }

    private ContradictionRule() {}

    /** @return the code of {@value #EARLIER_DECISION_SYSTEM} naming the contradicted decision, or empty */
    public static Optional<String> contradicted(Earlier earlier, Now now) {
        if (earlier == null || now == null || earlier.verdict() == null || now.status() == null) {
            return Optional.empty();
        }
        if (G12C_APPROVED.equals(earlier.cardTopic())) {
            return now.krasG12c() ? Optional.empty() : Optional.of("g12c-combination-withdrawn");
        }
        switch (earlier.verdict()) {
            case "unknown" -> {
                if (earlier.cardTopic() == null || now.status() != RasStatus.MUTATED) {
                    return Optional.empty();
                }
                if (G12C_NOT_DOCUMENTED.equals(earlier.cardTopic()) && now.krasG12c()) {
                    return Optional.empty(); // the combination's missing KRAS G12C result has arrived
                }
                if ("overridden".equals(earlier.feedback())) {
                    return earlier.notForColorectalCancer() ? Optional.empty() : Optional.of("unknown-overridden");
                }
                return Optional.of("accepted".equals(earlier.feedback()) ? "unknown-accepted" : "unknown-no-feedback");
            }
            case "wild-type" -> {
                if (RECHALLENGE.equals(earlier.cardTopic())) {
                    boolean notForCrc = "overridden".equals(earlier.feedback()) && earlier.notForColorectalCancer();
                    return now.status() == RasStatus.MUTATED && !notForCrc
                            ? Optional.of("rechallenge-warned")
                            : Optional.empty();
                }
                boolean noWarning = earlier.cardTopic() == null || WILD_TYPE_INFO.equals(earlier.cardTopic());
                boolean changed = now.status() == RasStatus.MUTATED || now.doubtsWildType();
                return noWarning && changed ? Optional.of("wild-type-no-card") : Optional.empty();
            }
            default -> {
                return Optional.empty();
            }
        }
    }
}
