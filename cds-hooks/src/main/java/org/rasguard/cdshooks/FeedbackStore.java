package org.rasguard.cdshooks;

import java.util.List;
import java.util.Optional;

/** Keeps CDS Hooks feedback durably (the server stores each item as an AuditEvent). */
public interface FeedbackStore {

    /** Stores every item or none; returns the ids the store gave them. */
    List<String> save(List<FeedbackItem> items);

    /**
     * The card as this service issued it, from the durable record of decisions (the audit trail), so
     * feedback is recognised after a restart and on every replica; empty when there is no such record.
     */
    default Optional<IssuedCards.Issued> issued(String cardUuid) {
        return Optional.empty();
    }
}
