package org.rasguard.decision;

import java.util.Optional;
import org.rasguard.knowledge.G12cInhibitor;

/**
 * The decision on one anti-EGFR order.
 *
 * @param order the order
 * @param card the card to return, or empty for none
 * @param partner the antibody's approved KRAS G12C inhibitor whose combination is honoured, or null
 */
public record OrderDecision(AntiEgfrOrder order, Optional<CardKind> card, G12cInhibitor partner) {}
