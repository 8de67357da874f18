package org.rasguard.cdshooks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.rasguard.cards.ChartCards;
import org.rasguard.decision.CardKind;
import org.rasguard.decision.LateResult;

/**
 * A feedback POST: read and checked ({@link FeedbackParser}: only cards this service issued, only
 * reasons they offered), stored durably ({@link FeedbackStore}), answered with the stored ids. Feedback
 * on a late-result card also closes its DetectedIssue ({@link ChartStore#mitigate}): accepting "stop the
 * order" records {@code order-stopped}, accepting "keep it, reviewed" {@code order-reviewed}; an
 * override with the reason {@code order-stopped} or {@code order-reviewed} records that. Feedback that
 * says neither (an override without a reason) leaves it open: the critical card stays until someone
 * says what was done.
 *
 * @see <a href="https://cds-hooks.hl7.org/2.0/#feedback">CDS Hooks 2.0: Feedback</a>
 */
final class FeedbackHandler {

    private final ObjectMapper json;
    private final FeedbackParser parser;
    private final FeedbackStore store;
    private final IssuedCards issued;
    private final Function<String, Set<String>> offeredOverrideReasons;
    private final ChartStore chart;
    private final Clock clock;

    FeedbackHandler(ObjectMapper json, FeedbackStore store, IssuedCards issued, Set<String> offeredOverrideReasons) {
        this(json, store, issued, topic -> offeredOverrideReasons, ChartStore.NONE, Clock.systemUTC());
    }

    /** @param offeredOverrideReasons per card topic code, {@code system|code} of the override reasons such a card offers */
    FeedbackHandler(
            ObjectMapper json,
            FeedbackStore store,
            IssuedCards issued,
            Function<String, Set<String>> offeredOverrideReasons,
            ChartStore chart,
            Clock clock) {
        this.json = json;
        this.parser = new FeedbackParser(json);
        this.store = store;
        this.issued = issued;
        this.offeredOverrideReasons = offeredOverrideReasons;
        this.chart = chart;
        this.clock = clock;
    }

    /** @return {@code {"stored": [ids]}}, and {@code "closed": [DetectedIssue ids]} when feedback closed late results */
    String handle(String serviceId, byte[] body) {
        CdsServices.byId(serviceId).orElseThrow(CdsError::unknownService);
        List<FeedbackItem> items = parser.parse(
                body, serviceId, card -> issued.find(card).or(() -> store.issued(card)), offeredOverrideReasons);
        List<String> ids = store.save(items);
        ObjectNode root = json.createObjectNode();
        ArrayNode stored = root.putArray("stored");
        ids.forEach(stored::add);
        ArrayNode closed = json.createArrayNode();
        for (FeedbackItem item : items) {
            String issue = lateResultIssue(item);
            String action = issue == null ? null : mitigation(item);
            if (action != null && chart.mitigate(issue, action, clock.instant())) {
                closed.add("DetectedIssue/" + issue);
            }
        }
        if (!closed.isEmpty()) {
            root.set("closed", closed);
        }
        return root.toString();
    }

    /** Our DetectedIssue id of a late-result card, or null for any other card. */
    private static String lateResultIssue(FeedbackItem item) {
        if (!CardKind.LATE_RAS_RESULT.topicCode().equals(item.topicCode())
                || item.about() == null
                || !item.about().startsWith("DetectedIssue/")) {
            return null;
        }
        String id = item.about().substring("DetectedIssue/".length());
        return HookRequestParser.FHIR_ID.matcher(id).matches() ? id : null;
    }

    /** What the feedback says was done, or null when it says nothing that closes the alert. */
    static String mitigation(FeedbackItem item) {
        if (item.outcome().equals("accepted")) {
            for (String mitigation : List.of(LateResult.ORDER_STOPPED, LateResult.ORDER_REVIEWED)) {
                if (item.acceptedSuggestions().contains(ChartCards.suggestionUuid(item.cardUuid(), mitigation))) {
                    return mitigation;
                }
            }
            return null;
        }
        FeedbackItem.OverrideReason reason = item.overrideReason();
        if (reason != null
                && LateResult.MITIGATION_SYSTEM.equals(reason.system())
                && LateResult.MITIGATIONS.contains(reason.code())) {
            return reason.code();
        }
        return null;
    }
}
