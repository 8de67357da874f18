package org.rasguard.decision;

import java.util.List;
import org.rasguard.ras.RasAssessment;

/**
 * The decisions of one call: one RAS assessment over all the evidence, and per anti-EGFR order
 * whether a card is due and which.
 *
 * @param assessment the RAS assessment
 * @param orders one per order, in the order given
 * @param cautions shown with the reasons of an unknown status: why the evidence may be incomplete and
 *     where it was not looked for
 * @param rechallenge the earlier anti-EGFR course the orders would follow, or null when the history shows none
 *     (or could not be had)
 */
public record OrderDecisions(
        RasAssessment assessment, List<OrderDecision> orders, List<String> cautions, Rechallenge rechallenge) {

    public OrderDecisions {
        orders = List.copyOf(orders);
        cautions = List.copyOf(cautions);
    }

    /** The decisions that give a card, in order. */
    public List<OrderDecision> carded() {
        return orders.stream().filter(decision -> decision.card().isPresent()).toList();
    }
}
