package org.rasguard.cdshooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.function.Function;

/** Reading the CDS fixtures: a file from the test classpath, "@name" snippets expanded, searchset Bundles. */
final class FixtureJson {

    static final ObjectMapper JSON = new ObjectMapper();

    private FixtureJson() {}

    static JsonNode read(String path) throws IOException {
        try (InputStream in = FixtureJson.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("No fixture " + path);
            }
            return JSON.readTree(in);
        }
    }

    /** Replaces every "@name" string by the snippet at {@code snippetPath.apply(name)}, recursively. */
    static JsonNode expand(JsonNode node, Function<String, String> snippetPath) throws IOException {
        if (node.isTextual() && node.asText().startsWith("@")) {
            return expand(read(snippetPath.apply(node.asText().substring(1))), snippetPath);
        }
        if (node.isObject()) {
            ObjectNode copy = JSON.createObjectNode();
            for (Map.Entry<String, JsonNode> member : node.properties()) {
                copy.set(member.getKey(), expand(member.getValue(), snippetPath));
            }
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = JSON.createArrayNode();
            for (JsonNode item : node) {
                copy.add(expand(item, snippetPath));
            }
            return copy;
        }
        return node;
    }

    /** A CDS response's cards as "indicator:topic", and their summaries, in order. */
    record Cards(java.util.List<String> kinds, java.util.List<String> summaries) {
        static Cards of(JsonNode response) {
            java.util.List<String> kinds = new java.util.ArrayList<>();
            java.util.List<String> summaries = new java.util.ArrayList<>();
            response.get("cards").forEach(card -> {
                kinds.add(card.get("indicator").asText() + ":"
                        + card.at("/source/topic/code").asText());
                summaries.add(card.get("summary").asText());
            });
            return new Cards(kinds, summaries);
        }
    }

    /** The fixture's expected cards ("indicator:topic"). */
    static java.util.List<String> expectedCards(JsonNode expect) {
        java.util.List<String> expected = new java.util.ArrayList<>();
        expect.get("cards").forEach(card -> expected.add(card.asText()));
        return expected;
    }

    static ObjectNode searchset(ArrayNode resources) {
        ObjectNode bundle = JSON.createObjectNode();
        bundle.put("resourceType", "Bundle");
        bundle.put("type", "searchset");
        ArrayNode entries = bundle.putArray("entry");
        resources.forEach(resource -> entries.addObject().set("resource", resource));
        return bundle;
    }
}
