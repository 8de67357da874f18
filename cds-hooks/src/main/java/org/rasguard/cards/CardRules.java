package org.rasguard.cards;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The CDS Hooks 2.0 rules for a service response and for discovery, checked on the JSON as it will
 * leave the server. Each violation is a short text naming the JSON path and the rule (invariant ids
 * from the spec's logical models where there is one). An empty list means conformant.
 *
 * <p>Stricter than the spec where the spec says SHOULD and an EHR relies on it: a delete action must
 * carry {@code resourceId}; a card must carry a uuid (feedback needs it).
 *
 * @see <a href="https://cds-hooks.hl7.org/2.0/#cds-service-response">CDS Hooks 2.0: response</a>
 */
public final class CardRules {

    private static final Set<String> INDICATORS = Set.of("info", "warning", "critical");
    private static final Set<String> SELECTION_BEHAVIORS = Set.of("at-most-one", "any");
    private static final Set<String> ACTION_TYPES = Set.of("create", "update", "delete");
    private static final Set<String> LINK_TYPES = Set.of("absolute", "smart");

    private CardRules() {}

    /** Violations of a {@code {"cards": [...]}} response. */
    public static List<String> checkResponse(JsonNode response) {
        List<String> problems = new ArrayList<>();
        if (response == null || !response.isObject()) {
            problems.add("$: response must be a JSON object");
            return problems;
        }
        JsonNode cards = response.get("cards");
        if (cards == null || !cards.isArray()) {
            problems.add("$.cards: required array");
        } else {
            for (int i = 0; i < cards.size(); i++) {
                checkCard(cards.get(i), "$.cards[" + i + "]", problems);
            }
        }
        JsonNode systemActions = response.get("systemActions");
        if (systemActions != null) {
            if (!systemActions.isArray() || systemActions.isEmpty()) {
                problems.add("$.systemActions: must be a non-empty array when present");
            } else {
                for (int i = 0; i < systemActions.size(); i++) {
                    checkAction(systemActions.get(i), "$.systemActions[" + i + "]", problems);
                }
            }
        }
        response.properties().forEach(member -> {
            if (!member.getKey().equals("cards")) {
                noEmpty(member.getValue(), "$." + member.getKey(), problems);
            }
        });
        if (cards != null && cards.isArray()) {
            for (int i = 0; i < cards.size(); i++) {
                noEmpty(cards.get(i), "$.cards[" + i + "]", problems);
            }
        }
        return problems;
    }

    /** Violations of a {@code {"services": [...]}} discovery document. */
    public static List<String> checkDiscovery(JsonNode discovery) {
        List<String> problems = new ArrayList<>();
        JsonNode services = discovery == null ? null : discovery.get("services");
        if (services == null || !services.isArray()) {
            problems.add("$.services: required array");
            return problems;
        }
        for (int i = 0; i < services.size(); i++) {
            String path = "$.services[" + i + "]";
            JsonNode service = services.get(i);
            requiredText(service, "hook", path, problems);
            requiredText(service, "description", path, problems);
            requiredText(service, "id", path, problems);
            JsonNode id = service.get("id");
            if (id != null && id.isTextual() && !id.asText().matches("[A-Za-z0-9._~-]+")) {
                problems.add(path + ".id: must be a URL path segment");
            }
            JsonNode prefetch = service.get("prefetch");
            if (prefetch != null) {
                prefetch.properties().forEach(template -> {
                    if (!template.getValue().isTextual()
                            || !template.getValue().asText().contains("{{context.")) {
                        problems.add(path + ".prefetch." + template.getKey()
                                + ": must be a query template with context tokens");
                    }
                });
            }
            noEmpty(service, path, problems);
        }
        return problems;
    }

    private static void checkCard(JsonNode card, String path, List<String> problems) {
        if (!card.isObject()) {
            problems.add(path + ": must be an object");
            return;
        }
        requiredText(card, "uuid", path, problems);
        requiredText(card, "summary", path, problems);
        JsonNode summary = card.get("summary");
        if (summary != null
                && summary.isTextual()
                && summary.asText().codePointCount(0, summary.asText().length()) >= 140) {
            problems.add(path + ".summary: must be under 140 characters");
        }
        JsonNode indicator = card.get("indicator");
        if (indicator == null || !INDICATORS.contains(indicator.asText())) {
            problems.add(path + ".indicator: must be info, warning or critical");
        }
        JsonNode source = card.get("source");
        if (source == null || !source.isObject()) {
            problems.add(path + ".source: required object");
        } else {
            requiredText(source, "label", path + ".source", problems);
            absoluteUrl(source.get("url"), path + ".source.url", problems);
            absoluteUrl(source.get("icon"), path + ".source.icon", problems);
            JsonNode topic = source.get("topic");
            if (topic != null) {
                checkCoding(topic, path + ".source.topic", false, problems);
            }
        }
        JsonNode suggestions = card.get("suggestions");
        JsonNode selectionBehavior = card.get("selectionBehavior");
        if (suggestions != null) {
            if (!suggestions.isArray() || suggestions.isEmpty()) {
                problems.add(path + ".suggestions: must be a non-empty array when present");
            } else {
                if (selectionBehavior == null || !SELECTION_BEHAVIORS.contains(selectionBehavior.asText())) {
                    problems.add(
                            path + ".selectionBehavior: required with suggestions, at-most-one or any (cds-resp-6)");
                }
                int recommended = 0;
                for (int i = 0; i < suggestions.size(); i++) {
                    JsonNode suggestion = suggestions.get(i);
                    String at = path + ".suggestions[" + i + "]";
                    requiredText(suggestion, "label", at, problems);
                    JsonNode isRecommended = suggestion.get("isRecommended");
                    if (isRecommended != null && !isRecommended.isBoolean()) {
                        problems.add(at + ".isRecommended: must be a boolean");
                    } else if (isRecommended != null && isRecommended.asBoolean()) {
                        recommended++;
                    }
                    JsonNode actions = suggestion.get("actions");
                    if (actions != null) {
                        if (!actions.isArray() || actions.isEmpty()) {
                            problems.add(at + ".actions: must be a non-empty array when present");
                        } else {
                            for (int j = 0; j < actions.size(); j++) {
                                checkAction(actions.get(j), at + ".actions[" + j + "]", problems);
                            }
                        }
                    }
                }
                if (selectionBehavior != null && selectionBehavior.asText().equals("at-most-one") && recommended > 1) {
                    problems.add(path + ".suggestions: at most one isRecommended with at-most-one (cds-resp-1)");
                }
            }
        } else if (selectionBehavior != null) {
            problems.add(path + ".selectionBehavior: only with suggestions");
        }
        JsonNode overrideReasons = card.get("overrideReasons");
        if (overrideReasons != null) {
            if (!overrideReasons.isArray() || overrideReasons.isEmpty()) {
                problems.add(path + ".overrideReasons: must be a non-empty array when present");
            } else {
                for (int i = 0; i < overrideReasons.size(); i++) {
                    checkCoding(overrideReasons.get(i), path + ".overrideReasons[" + i + "]", true, problems);
                }
            }
        }
        JsonNode links = card.get("links");
        if (links != null) {
            if (!links.isArray() || links.isEmpty()) {
                problems.add(path + ".links: must be a non-empty array when present");
            } else {
                for (int i = 0; i < links.size(); i++) {
                    JsonNode link = links.get(i);
                    String at = path + ".links[" + i + "]";
                    requiredText(link, "label", at, problems);
                    requiredText(link, "url", at, problems);
                    absoluteUrl(link.get("url"), at + ".url", problems);
                    JsonNode type = link.get("type");
                    if (type == null || !LINK_TYPES.contains(type.asText())) {
                        problems.add(at + ".type: must be absolute or smart");
                    } else if (type.asText().equals("absolute") && link.has("appContext")) {
                        problems.add(at + ".appContext: only for smart links (cds-resp-3)");
                    }
                }
            }
        }
    }

    private static void checkAction(JsonNode action, String path, List<String> problems) {
        JsonNode type = action.get("type");
        if (type == null || !ACTION_TYPES.contains(type.asText())) {
            problems.add(path + ".type: must be create, update or delete");
            return;
        }
        requiredText(action, "description", path, problems);
        JsonNode resource = action.get("resource");
        switch (type.asText()) {
            case "create", "update" -> {
                if (resource == null
                        || !resource.isObject()
                        || !resource.path("resourceType").isTextual()) {
                    problems.add(path + ".resource: a FHIR resource is required for " + type.asText());
                }
            }
            default -> {
                JsonNode resourceId = action.get("resourceId");
                if (resourceId == null
                        || !resourceId.isTextual()
                        || resourceId.asText().isBlank()) {
                    problems.add(path + ".resourceId: required for delete (cds-resp-2)");
                }
            }
        }
    }

    private static void checkCoding(JsonNode coding, String path, boolean displayRequired, List<String> problems) {
        requiredText(coding, "system", path, problems);
        requiredText(coding, "code", path, problems);
        if (displayRequired) {
            requiredText(coding, "display", path, problems);
        }
    }

    private static void requiredText(JsonNode node, String field, String path, List<String> problems) {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            problems.add(path + "." + field + ": required non-empty string");
        }
    }

    private static void absoluteUrl(JsonNode url, String path, List<String> problems) {
        if (url == null) {
            return;
        }
        try {
            if (!url.isTextual() || !new URI(url.asText()).isAbsolute()) {
                problems.add(path + ": must be an absolute URL");
            }
        } catch (URISyntaxException e) {
            problems.add(path + ": must be an absolute URL");
        }
    }

    /** JSON elements SHALL NOT be null or empty (2.0 §Use of JSON); FHIR resources inside follow FHIR's own rules. */
    private static void noEmpty(JsonNode node, String path, List<String> problems) {
        if (node == null || node.isNull()) {
            problems.add(path + ": null is not allowed");
        } else if (node.isTextual() && node.asText().isEmpty()) {
            problems.add(path + ": empty string is not allowed");
        } else if (node.isArray()) {
            if (node.isEmpty()) {
                problems.add(path + ": empty array is not allowed");
            }
            for (int i = 0; i < node.size(); i++) {
                noEmpty(node.get(i), path + "[" + i + "]", problems);
            }
        } else if (node.isObject()) {
            if (node.isEmpty()) {
                problems.add(path + ": empty object is not allowed");
            }
            node.properties().forEach(member -> noEmpty(member.getValue(), path + "." + member.getKey(), problems));
        }
    }
}
