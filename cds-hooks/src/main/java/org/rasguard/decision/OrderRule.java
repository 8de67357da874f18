package org.rasguard.decision;

import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.rasguard.ras.RasStatus;

/**
 * The decision for one anti-EGFR draft order, as a table: the first row whose condition holds gives
 * the card (or no card). Read top to bottom; each row is one sentence of the clinical rule.
 *
 * <p>The published rule is the PlanDefinition {@value #PLAN_DEFINITION} (ig-resources): each row that
 * gives a card names the action of it that the row carries out, and {@code OrderRulePlanDefinitionTest}
 * fails when the two diverge (an action without a row, a row naming no action, another order, another
 * priority than the card's indicator).
 */
public final class OrderRule {

    /** The PlanDefinition this table carries out. */
    public static final String PLAN_DEFINITION = "http://rasguard.org/fhir/PlanDefinition/anti-egfr-ras-check";

    /**
     * What the decision looks at.
     *
     * @param indication from the patient's diagnoses
     * @param status the RAS status over all the evidence
     * @param onlyKrasG12c every mutation found is KRAS G12C, from a final result
     * @param hasG12cPartner the antibody has an approved KRAS G12C inhibitor partner whose combination is honoured
     *     (RASGUARD_CDS_G12C_COMBINATIONS)
     * @param partnerOrdered the antibody's approved G12C inhibitor is among the draft orders or active medications
     * @param brafV600e a final result shows BRAF V600E
     * @param brafPartnerOrdered the antibody's approved BRAF inhibitor (encorafenib with cetuximab) is among the draft
     *     orders or active medications
     * @param wildTypeTrusted false when the evidence may be incomplete (a search was cut short, several store patients matched)
     * @param wildTypeInfo the setting that turns on the wild-type info card
     * @param rechallengeUntested the history shows an earlier anti-EGFR course and no plasma (ctDNA) RAS wild-type
     *     result was taken after it ({@link Rechallenge})
     */
    public record Facts(
            Indication indication,
            RasStatus status,
            boolean onlyKrasG12c,
            boolean hasG12cPartner,
            boolean partnerOrdered,
            boolean brafV600e,
            boolean brafPartnerOrdered,
            boolean wildTypeTrusted,
            boolean wildTypeInfo,
            boolean rechallengeUntested) {

        public Facts(
                Indication indication,
                RasStatus status,
                boolean onlyKrasG12c,
                boolean hasG12cPartner,
                boolean partnerOrdered,
                boolean brafV600e,
                boolean brafPartnerOrdered,
                boolean wildTypeTrusted,
                boolean wildTypeInfo) {
            this(
                    indication,
                    status,
                    onlyKrasG12c,
                    hasG12cPartner,
                    partnerOrdered,
                    brafV600e,
                    brafPartnerOrdered,
                    wildTypeTrusted,
                    wildTypeInfo,
                    false);
        }

        /** These facts with the re-challenge fact as given. */
        Facts withRechallengeUntested(boolean untested) {
            return new Facts(
                    indication,
                    status,
                    onlyKrasG12c,
                    hasG12cPartner,
                    partnerOrdered,
                    brafV600e,
                    brafPartnerOrdered,
                    wildTypeTrusted,
                    wildTypeInfo,
                    untested);
        }
    }

    /**
     * One row: when {@code condition} holds, answer {@code card} (empty: no card).
     *
     * @param planAction the id of the PlanDefinition action the row carries out; null for a row the
     *     PlanDefinition leaves out (no card, or the wild-type info card, off by default)
     */
    record Row(String rule, Predicate<Facts> condition, Optional<CardKind> card, String planAction) {}

    static final List<Row> TABLE = List.of(
            new Row(
                    "head and neck SCC without colorectal cancer: cetuximab needs no RAS test",
                    f -> !f.indication().appliesRasRule(),
                    Optional.empty(),
                    null),
            new Row(
                    "KRAS G12C with the approved inhibitor: the mutation is the indication",
                    f -> f.status() == RasStatus.MUTATED
                            && f.onlyKrasG12c()
                            && f.hasG12cPartner()
                            && f.partnerOrdered(),
                    Optional.of(CardKind.G12C_APPROVED_COMBINATION),
                    "approved-g12c-combination"),
            new Row(
                    "KRAS G12C without the approved inhibitor: RAS-mutant use, suggest the partner",
                    f -> f.status() == RasStatus.MUTATED && f.onlyKrasG12c() && f.hasG12cPartner(),
                    Optional.of(CardKind.G12C_WITHOUT_PARTNER),
                    "ras-mutated"),
            new Row(
                    "KRAS or NRAS mutated: not indicated",
                    f -> f.status() == RasStatus.MUTATED,
                    Optional.of(CardKind.RAS_MUTANT),
                    "ras-mutated"),
            new Row(
                    "the approved G12C inhibitor ordered but KRAS G12C not documented: confirm it by an FDA-approved test",
                    f -> f.partnerOrdered(),
                    Optional.of(CardKind.G12C_NOT_DOCUMENTED),
                    "g12c-not-documented"),
            new Row(
                    "cetuximab with encorafenib for BRAF V600E, RAS not confirmed: the approved BRAF combination, no RAS warning",
                    f -> f.brafV600e()
                            && f.brafPartnerOrdered()
                            && (f.status() == RasStatus.UNKNOWN || !f.wildTypeTrusted()),
                    Optional.of(CardKind.BRAF_V600E_APPROVED_COMBINATION),
                    "approved-braf-v600e-combination"),
            new Row(
                    "RAS status unknown: test first",
                    f -> f.status() == RasStatus.UNKNOWN,
                    Optional.of(CardKind.RAS_UNKNOWN),
                    "ras-unknown"),
            new Row(
                    "wild-type on evidence that may be incomplete: cannot be confirmed",
                    f -> f.status() == RasStatus.WILD_TYPE && !f.wildTypeTrusted(),
                    Optional.of(CardKind.RAS_UNKNOWN),
                    "ras-unknown"),
            new Row(
                    "wild-type, but from before an earlier anti-EGFR course and no plasma (ctDNA) wild-type after it: "
                            + "RAS may have changed under treatment, test plasma before re-challenge (CHRONOS, CRICKET)",
                    f -> f.status() == RasStatus.WILD_TYPE && f.rechallengeUntested(),
                    Optional.of(CardKind.RAS_RECHALLENGE),
                    "anti-egfr-rechallenge"),
            new Row(
                    "wild-type, info card turned on",
                    f -> f.status() == RasStatus.WILD_TYPE && f.wildTypeInfo(),
                    Optional.of(CardKind.RAS_WILD_TYPE),
                    null),
            new Row("wild-type: no card", f -> true, Optional.empty(), null));

    private OrderRule() {}

    /** The card for this order, or empty for none. */
    public static Optional<CardKind> decide(Facts facts) {
        return TABLE.stream()
                .filter(row -> row.condition().test(facts))
                .findFirst()
                .orElseThrow()
                .card();
    }
}
