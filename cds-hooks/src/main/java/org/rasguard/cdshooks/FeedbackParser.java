package org.rasguard.cdshooks;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads a feedback POST: the spec's {@code {"feedback": [item, …]}} (one or a batch), tolerating
 * Epic's {@code overrideReasons} (plural, object or array) in place of {@code overrideReason}.
 * Feedback counts in {@code $cds-report}, so only what could be real is taken (else 400 and a code):
 * a {@code card} of at most {@value #MAX_CARD} characters that this service issued
 * ({@code unknown-card}), and an override reason the card offered ({@code override-reason-not-offered};
 * "the Coding … selected by the end user from the list of reasons provided in the Card").
 *
 * @see <a href="https://cds-hooks.hl7.org/2.0/#feedback">CDS Hooks 2.0: Feedback</a>
 */
final class FeedbackParser {

    static final Set<String> OUTCOMES = Set.of("accepted", "overridden");
    static final int MAX_ITEMS = 500;
    private static final int MAX_TEXT = 2000;
    /** A card id is the uuid we gave it (36 characters); the bound leaves room for a urn: prefix. */
    static final int MAX_CARD = 128;

    private final ObjectMapper json;

    FeedbackParser(ObjectMapper json) {
        this.json = json;
    }

    /**
     * @param issued the card as this service issued it, or empty
     * @param offeredReasons per card topic, the override reasons such a card offers, as {@code system|code}
     */
    List<FeedbackItem> parse(
            byte[] body,
            String serviceId,
            Function<String, Optional<IssuedCards.Issued>> issued,
            Function<String, Set<String>> offeredReasons) {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JacksonException e) {
            throw CdsError.badRequest("malformed-json", "The request body is not valid JSON.");
        } catch (IOException e) {
            throw CdsError.badRequest("malformed-json", "The request body could not be read.");
        }
        JsonNode feedback = root == null ? null : root.get("feedback");
        if (feedback == null || !feedback.isArray() || feedback.isEmpty()) {
            throw CdsError.badRequest(
                    "invalid-feedback", "The body must be {\"feedback\": [ … ]} with at least one item.");
        }
        if (feedback.size() > MAX_ITEMS) {
            throw CdsError.badRequest("invalid-feedback", "At most " + MAX_ITEMS + " feedback items per call.");
        }
        List<FeedbackItem> items = new ArrayList<>();
        for (JsonNode item : feedback) {
            items.add(item(item, serviceId, issued, offeredReasons));
        }
        return items;
    }

    private static FeedbackItem item(
            JsonNode item,
            String serviceId,
            Function<String, Optional<IssuedCards.Issued>> issued,
            Function<String, Set<String>> offeredReasons) {
        if (!item.isObject()) {
            throw CdsError.badRequest("invalid-feedback", "Each feedback item must be an object.");
        }
        JsonNode cardNode = item.get("card");
        if (cardNode != null
                && cardNode.isTextual()
                && cardNode.asText().strip().length() > MAX_CARD) {
            throw CdsError.badRequest(
                    "invalid-feedback", "card is the card's uuid: at most " + MAX_CARD + " characters.");
        }
        String card = text(item, "card");
        if (card == null) {
            throw CdsError.badRequest("invalid-feedback", "Each feedback item needs card (the card's uuid).");
        }
        String outcome = text(item, "outcome");
        if (outcome == null || !OUTCOMES.contains(outcome)) {
            throw CdsError.badRequest("invalid-feedback", "outcome must be accepted or overridden (cds-fb-1).");
        }
        String timestamp = text(item, "outcomeTimestamp");
        if (timestamp == null) {
            throw CdsError.badRequest("invalid-feedback", "Each feedback item needs outcomeTimestamp.");
        }
        List<String> accepted = new ArrayList<>();
        JsonNode suggestions = item.get("acceptedSuggestions");
        if (suggestions != null && suggestions.isArray()) {
            for (JsonNode suggestion : suggestions) {
                String id = text(suggestion, "id");
                if (id != null) {
                    accepted.add(id);
                }
            }
        }
        if (outcome.equals("accepted") && accepted.isEmpty()) {
            throw CdsError.badRequest(
                    "invalid-feedback", "An accepted card needs acceptedSuggestions with ids (cds-fb-2).");
        }
        JsonNode override = item.get("overrideReason");
        if (override == null || override.isNull()) {
            override = item.get("overrideReasons"); // Epic
            if (override != null && override.isArray()) {
                override = override.isEmpty() ? null : override.get(0);
            }
        }
        FeedbackItem.OverrideReason reason = null;
        String comment = null;
        if (override != null && override.isObject()) {
            JsonNode coding = override.get("reason");
            if (coding != null && coding.isObject() && text(coding, "code") != null) {
                reason = new FeedbackItem.OverrideReason(
                        text(coding, "system"), text(coding, "code"), text(coding, "display"));
            }
            comment = text(override, "userComment");
        }
        IssuedCards.Issued known = issued.apply(card)
                .filter(i -> i.serviceId().equals(serviceId))
                .orElseThrow(() -> CdsError.badRequest(
                        "unknown-card",
                        "Feedback is taken only for cards this service issued; no card with this uuid was."));
        if (reason != null
                && !offeredReasons.apply(known.topicCode()).contains(reason.system() + "|" + reason.code())) {
            throw CdsError.badRequest(
                    "override-reason-not-offered",
                    "overrideReason must be one of the reasons the card offered (its overrideReasons).");
        }
        return new FeedbackItem(
                serviceId,
                card,
                known.hookInstance(),
                known.topicCode(),
                outcome,
                accepted,
                reason,
                comment,
                timestamp,
                known.about());
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            return null;
        }
        String text = value.asText().strip();
        return text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) : text;
    }
}
