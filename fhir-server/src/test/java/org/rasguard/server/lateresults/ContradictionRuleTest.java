package org.rasguard.server.lateresults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rasguard.ras.RasStatus;

/**
 * The contradiction rule, one named fixture per earlier decision and status now
 * ({@code src/test/resources/late-results/<earlier>--now-<status>.json}: the earlier decision as the audit
 * trail holds it, the status now, the expected code of {@code late-result-earlier-decision} or null, and why).
 */
class ContradictionRuleTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Path> fixtures() throws IOException, URISyntaxException {
        Path folder = Path.of(ContradictionRuleTest.class
                .getClassLoader()
                .getResource("late-results")
                .toURI());
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(file -> file.toString().endsWith(".json")).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void eachEarlierDecisionAgainstEachStatusNow(Path fixture) throws IOException {
        JsonNode json = JSON.readTree(fixture.toFile());
        JsonNode earlier = json.get("earlier");
        JsonNode now = json.get("now");
        Optional<String> contradicted = ContradictionRule.contradicted(
                new ContradictionRule.Earlier(
                        text(earlier, "verdict"),
                        earlier.path("krasG12c").asBoolean(),
                        text(earlier, "card"),
                        text(earlier, "feedback"),
                        text(earlier, "overrideReason")),
                new ContradictionRule.Now(
                        status(text(now, "status")), now.path("krasG12c").asBoolean(), reasons(now)));
        assertThat(contradicted.orElse(null))
                .as("%s: %s", json.get("name").asText(), json.get("reason").asText())
                .isEqualTo(text(json, "expected"));
    }

    private static java.util.Set<String> reasons(JsonNode now) {
        java.util.Set<String> out = new java.util.HashSet<>();
        now.path("reasons").forEach(reason -> out.add(reason.asText()));
        return out;
    }

    @Test
    void everyEarlierDecisionIsCrossedWithEveryStatusNow() throws Exception {
        List<String> names =
                fixtures().map(path -> path.getFileName().toString()).toList();
        List<String> earlier = names.stream()
                .map(name -> name.substring(0, name.indexOf("--now-")))
                .distinct()
                .toList();
        for (String decision : earlier) {
            for (String now : List.of("wild-type", "unknown", "mutated", "mutated-kras-g12c")) {
                assertThat(names).contains(decision + "--now-" + now + ".json");
            }
        }
    }

    @Test
    void nothingKnownIsNeverAContradiction() {
        assertThat(ContradictionRule.contradicted(null, new ContradictionRule.Now(RasStatus.MUTATED, false)))
                .isEmpty();
        assertThat(ContradictionRule.contradicted(
                        new ContradictionRule.Earlier(null, false, "RasUnknown", null, null),
                        new ContradictionRule.Now(RasStatus.MUTATED, false)))
                .isEmpty();
        assertThat(ContradictionRule.contradicted(
                        new ContradictionRule.Earlier("unknown", false, "RasUnknown", null, null), null))
                .isEmpty();
    }

    @Test
    void theStatusKeyOfTheIssueIdentifierTellsKrasG12cApart() {
        assertThat(new ContradictionRule.Now(RasStatus.MUTATED, true).key()).isEqualTo("mutated+kras-g12c");
        assertThat(new ContradictionRule.Now(RasStatus.MUTATED, false).key()).isEqualTo("mutated");
        assertThat(new ContradictionRule.Now(RasStatus.UNKNOWN, false).key()).isEqualTo("unknown");
    }

    private static RasStatus status(String code) {
        return Arrays.stream(RasStatus.values())
                .filter(status -> status.code().equals(code))
                .findFirst()
                .orElseThrow();
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
