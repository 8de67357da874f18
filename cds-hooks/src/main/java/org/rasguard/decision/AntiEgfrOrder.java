package org.rasguard.decision;

import org.rasguard.knowledge.AntiEgfrDrug;

/**
 * One anti-EGFR draft order to decide on.
 *
 * @param drug the antibody ordered
 * @param reference the order's {@code Type/id} (or its fullUrl), null when it has neither: then no
 *     card can suggest removing it
 */
public record AntiEgfrOrder(AntiEgfrDrug drug, String reference) {}
