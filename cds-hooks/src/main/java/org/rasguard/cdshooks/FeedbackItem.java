package org.rasguard.cdshooks;

import java.util.List;

/**
 * One feedback item, as the client sent it, tied to the call that produced the card.
 *
 * @param serviceId the service the feedback was posted to
 * @param cardUuid {@code card}: the uuid of the card
 * @param hookInstance the hookInstance of the call that returned the card, or null when this server
 *     did not issue it or no longer remembers it (it is kept in memory, not across restarts)
 * @param topicCode the card's topic code, or null as for hookInstance
 * @param outcome {@code accepted} or {@code overridden}
 * @param acceptedSuggestions the uuids of the accepted suggestions
 * @param overrideReason the override reason coding, or null
 * @param userComment the clinician's comment, or null
 * @param outcomeTimestamp {@code outcomeTimestamp} as sent (RFC 3339)
 * @param about what the card is about beyond the call ({@link IssuedCards.Issued#about()}), or null
 */
public record FeedbackItem(
        String serviceId,
        String cardUuid,
        String hookInstance,
        String topicCode,
        String outcome,
        List<String> acceptedSuggestions,
        OverrideReason overrideReason,
        String userComment,
        String outcomeTimestamp,
        String about) {

    public FeedbackItem {
        acceptedSuggestions = List.copyOf(acceptedSuggestions);
    }

    public FeedbackItem(
            String serviceId,
            String cardUuid,
            String hookInstance,
            String topicCode,
            String outcome,
            List<String> acceptedSuggestions,
            OverrideReason overrideReason,
            String userComment,
            String outcomeTimestamp) {
        this(
                serviceId,
                cardUuid,
                hookInstance,
                topicCode,
                outcome,
                acceptedSuggestions,
                overrideReason,
                userComment,
                outcomeTimestamp,
                null);
    }

    /** The coded override reason (system, code, display as sent). */
    public record OverrideReason(String system, String code, String display) {}
}
