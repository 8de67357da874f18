package org.rasguard.cards;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The CDS Hooks 2.0 response and its parts, serialised by Jackson as the spec names them. Optional
 * parts are null (and so omitted), never empty: the spec forbids empty strings, arrays and objects.
 *
 * @see <a href="https://cds-hooks.hl7.org/2.0/#cds-service-response">CDS Hooks 2.0: CDS Service Response</a>
 */
public record CdsResponse(List<Card> cards) {

    public CdsResponse {
        cards = List.copyOf(cards);
    }

    public static CdsResponse empty() {
        return new CdsResponse(List.of());
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Card(
            String uuid,
            String summary,
            String detail,
            String indicator,
            Source source,
            List<Suggestion> suggestions,
            String selectionBehavior,
            List<Coding> overrideReasons,
            List<Link> links) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Source(String label, String url, String icon, Coding topic) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Coding(String system, String code, String display) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Suggestion(String label, String uuid, Boolean isRecommended, List<Action> actions) {}

    /** {@code resource} is FHIR JSON (already encoded by HAPI's parser). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Action(String type, String description, JsonNode resource, String resourceId) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Link(String label, String url, String type) {}
}
