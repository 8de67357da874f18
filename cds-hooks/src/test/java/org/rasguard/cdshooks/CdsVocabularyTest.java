package org.rasguard.cdshooks;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.IntegerType;
import org.junit.jupiter.api.Test;
import org.rasguard.decision.Undecidable;
import org.rasguard.knowledge.KnowledgeBase;

/**
 * The codes the CDS service answers with are published in ig-resources: its error codes with their
 * HTTP status (CodeSystem error-code), its hooks (cds-hook) and the feedback outcomes it takes
 * (cds-feedback-outcome).
 */
class CdsVocabularyTest {

    private static final KnowledgeBase KNOWLEDGE = KnowledgeBase.loadFromClasspath(FhirContext.forR4Cached());
    private static final String BASE = KnowledgeBase.CANONICAL_BASE + "/CodeSystem/";
    /** A code raised in the adapter's source, with the status its factory gives. */
    private static final Pattern RAISED = Pattern.compile("\\b(badRequest|preconditionFailed)\\(\\s*\"([a-z0-9-]+)\"");

    @Test
    void everyErrorCodeTheServiceRaisesIsPublishedWithItsStatus() throws IOException {
        Map<String, Integer> raised = new HashMap<>();
        try (Stream<Path> sources = Files.list(Path.of("src/main/java/org/rasguard/cdshooks"))) {
            for (Path source : sources.toList()) {
                Matcher m = RAISED.matcher(Files.readString(source));
                while (m.find()) {
                    raised.put(m.group(2), m.group(1).equals("badRequest") ? 400 : 412);
                }
            }
        }
        assertThat(raised)
                .as("the scan finds the adapter's codes")
                .containsKeys("missing-hook-instance", "medication-unresolved");
        raised.put(CdsError.unknownService().code(), CdsError.unknownService().status());
        raised.put(Undecidable.DATA_UNAVAILABLE, 412); // the decision's code, mapped by CdsError.of
        raised.put("internal-error", 500); // CdsHooksService's observer code; the servlet answers 500 with it

        Map<String, Integer> published = new HashMap<>();
        for (CodeSystem.ConceptDefinitionComponent concept :
                codeSystem("error-code").getConcept()) {
            published.put(
                    concept.getCode(),
                    concept.getProperty().stream()
                            .filter(p -> p.getCode().equals("httpStatus"))
                            .map(p -> ((IntegerType) p.getValue()).getValue())
                            .findFirst()
                            .orElse(null));
        }
        assertThat(published).containsAllEntriesOf(raised);
    }

    @Test
    void theHooksAreTheCdsHookCodeSystem() {
        assertThat(codes("cds-hook"))
                .containsExactlyInAnyOrderElementsOf(
                        Arrays.stream(Hook.values()).map(Hook::id).toList());
    }

    @Test
    void theFeedbackOutcomesAreTheCdsFeedbackOutcomeCodeSystem() {
        assertThat(codes("cds-feedback-outcome")).containsExactlyInAnyOrderElementsOf(FeedbackParser.OUTCOMES);
    }

    private static CodeSystem codeSystem(String id) {
        return KNOWLEDGE.codeSystem(BASE + id).orElseThrow();
    }

    private static List<String> codes(String id) {
        return codeSystem(id).getConcept().stream()
                .map(CodeSystem.ConceptDefinitionComponent::getCode)
                .toList();
    }
}
