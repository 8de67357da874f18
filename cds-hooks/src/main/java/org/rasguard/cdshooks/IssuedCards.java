package org.rasguard.cdshooks;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which call produced which card, so feedback (which carries only the card uuid) can be tied to the
 * hookInstance. In memory and bounded (the oldest entries go first): feedback arrives within minutes
 * or hours of the card; after a restart, feedback is still stored, without its hookInstance.
 */
public final class IssuedCards {

    /**
     * What we remember of an issued card.
     *
     * @param about what the card is about beyond the call, or null: our {@code DetectedIssue/id} for a late-result card
     */
    public record Issued(String serviceId, String hookInstance, String topicCode, String about) {
        public Issued(String serviceId, String hookInstance, String topicCode) {
            this(serviceId, hookInstance, topicCode, null);
        }
    }

    private final Map<String, Issued> byCard;

    public IssuedCards(int capacity) {
        this.byCard = new LinkedHashMap<>(1024, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Issued> eldest) {
                return size() > capacity;
            }
        };
    }

    public synchronized void remember(String cardUuid, Issued issued) {
        byCard.put(cardUuid, issued);
    }

    public synchronized Optional<Issued> find(String cardUuid) {
        return Optional.ofNullable(byCard.get(cardUuid));
    }
}
