package org.rasguard.cards;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each CDS Hooks card rule, broken once on an otherwise valid card. */
class CardRulesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String VALID = """
            {"cards":[{"uuid":"u1","summary":"Cetuximab not recommended: KRAS p.G12D (RAS-mutant)","indicator":"critical",
              "source":{"label":"RAS Guard","url":"https://www.ncbi.nlm.nih.gov/books/NBK564800/",
                        "topic":{"system":"http://rasguard.org/fhir/CodeSystem/cds-card-topic","code":"RasMutant"}},
              "suggestions":[{"label":"Remove","uuid":"s1","actions":[{"type":"delete","description":"Remove it","resourceId":"MedicationRequest/1"}]}],
              "selectionBehavior":"any",
              "overrideReasons":[{"system":"urn:x","code":"trial","display":"Clinical trial"}]}]}
            """;

    @Test
    void aValidResponseAndAnEmptyOnePass() throws Exception {
        assertThat(CardRules.checkResponse(JSON.readTree(VALID))).isEmpty();
        assertThat(CardRules.checkResponse(JSON.readTree("{\"cards\":[]}"))).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "/cards/0/summary          | SUMMARY_140     | summary: must be under 140",
                "/cards/0/indicator        | \"urgent\"      | indicator: must be info, warning or critical",
                "/cards/0/selectionBehavior| REMOVE          | selectionBehavior: required with suggestions",
                "/cards/0/suggestions/0/actions/0/resourceId | REMOVE | resourceId: required for delete",
                "/cards/0/overrideReasons/0/display | REMOVE | display: required non-empty string",
                "/cards/0/source/label     | REMOVE          | label: required non-empty string",
                "/cards/0/uuid             | \"\"            | empty string is not allowed",
                "/cards/0/suggestions      | []              | suggestions: must be a non-empty array",
                "/cards/0/source/url       | \"relative/x\"  | url: must be an absolute URL"
            })
    void aBrokenRuleIsReported(String pointer, String value, String problem) throws Exception {
        JsonNode response = JSON.readTree(VALID);
        String path = pointer.trim();
        ObjectNode parent = (ObjectNode) response.at(path.substring(0, path.lastIndexOf('/')));
        String field = path.substring(path.lastIndexOf('/') + 1);
        switch (value.trim()) {
            case "REMOVE" -> parent.remove(field);
            case "SUMMARY_140" -> parent.put(field, "x".repeat(140));
            default -> parent.set(field, JSON.readTree(value.trim()));
        }
        assertThat(CardRules.checkResponse(response)).anyMatch(text -> text.contains(problem.trim()));
    }

    @Test
    void discoveryNeedsHookDescriptionAndId() throws Exception {
        assertThat(CardRules.checkDiscovery(JSON.readTree("{\"services\":[{\"hook\":\"order-sign\",\"id\":\"a b\"}]}")))
                .anyMatch(p -> p.contains("description"))
                .anyMatch(p -> p.contains("URL path segment"));
    }
}
