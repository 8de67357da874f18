package org.rasguard.cdshooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.rasguard.cards.CardRules;
import org.rasguard.cards.CdsResponse;

/**
 * Writes a call's response: checked against the CDS Hooks rules before it leaves ({@link CardRules}:
 * a card an EHR may misread is a bug of ours, never sent), each card remembered for its feedback
 * ({@link IssuedCards}), then serialised.
 */
final class ResponseWriter {

    private final ObjectMapper json;
    private final IssuedCards issued;

    ResponseWriter(ObjectMapper json, IssuedCards issued) {
        this.json = json;
        this.issued = issued;
    }

    String write(CdsResponse response, ServiceDefinition service, HookRequest request) {
        return write(response, service, request, java.util.Map.of());
    }

    /** @param about per card uuid, what it is about beyond the call ({@link IssuedCards.Issued#about()}) */
    String write(
            CdsResponse response, ServiceDefinition service, HookRequest request, java.util.Map<String, String> about) {
        JsonNode tree = json.valueToTree(response);
        List<String> problems = CardRules.checkResponse(tree);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Response breaks the CDS Hooks rules: " + problems);
        }
        for (CdsResponse.Card card : response.cards()) {
            issued.remember(
                    card.uuid(),
                    new IssuedCards.Issued(
                            service.id(),
                            request.hookInstance(),
                            card.source().topic().code(),
                            about.get(card.uuid())));
        }
        try {
            return json.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
