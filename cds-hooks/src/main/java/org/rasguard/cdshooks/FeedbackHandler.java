package org.rasguard.cdshooks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;

/**
 * A feedback POST: read and checked ({@link FeedbackParser}: only cards this service issued, only
 * reasons they offered), stored durably ({@link FeedbackStore}), answered with the stored ids.
 *
 * @see <a href="https://cds-hooks.hl7.org/2.0/#feedback">CDS Hooks 2.0: Feedback</a>
 */
final class FeedbackHandler {

    private final ObjectMapper json;
    private final FeedbackParser parser;
    private final FeedbackStore store;
    private final IssuedCards issued;
    /** {@code system|code} of the override reasons every card offers. */
    private final Set<String> offeredOverrideReasons;

    FeedbackHandler(ObjectMapper json, FeedbackStore store, IssuedCards issued, Set<String> offeredOverrideReasons) {
        this.json = json;
        this.parser = new FeedbackParser(json);
        this.store = store;
        this.issued = issued;
        this.offeredOverrideReasons = Set.copyOf(offeredOverrideReasons);
    }

    /** @return {@code {"stored": [ids]}} */
    String handle(String serviceId, byte[] body) {
        CdsServices.byId(serviceId).orElseThrow(CdsError::unknownService);
        List<FeedbackItem> items = parser.parse(body, serviceId,
                card -> issued.find(card).or(() -> store.issued(card)), offeredOverrideReasons);
        List<String> ids = store.save(items);
        ObjectNode root = json.createObjectNode();
        ArrayNode stored = root.putArray("stored");
        ids.forEach(stored::add);
        return root.toString();
    }
}
