package org.rasguard.cards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.MetadataResource;
import org.junit.jupiter.api.Test;
import org.rasguard.decision.CardKind;
import org.rasguard.knowledge.AntiEgfrDrug;
import org.rasguard.knowledge.KnowledgeBase;
import org.rasguard.ras.RasPolicy;
import org.rasguard.ras.RasStatusEngine;
import org.rasguard.ras.RasVocabulary;

/**
 * The codes a card carries are published in ig-resources: the card topics (CodeSystem
 * cds-card-topic, one per {@link CardKind}) and the override reasons (CodeSystem
 * cds-override-reason, which {@link CardFactory} reads: there is no list of them in Java).
 */
class CardVocabularyTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final KnowledgeBase KNOWLEDGE = KnowledgeBase.loadFromClasspath(FHIR);

    @Test
    void everyCardKindIsAConceptOfTheTopicCodeSystemAndNothingElseIs() {
        CodeSystem topics = KNOWLEDGE.codeSystem(CardKind.TOPIC_SYSTEM).orElseThrow();
        Map<String, String> published = new LinkedHashMap<>();
        topics.getConcept().forEach(concept -> published.put(concept.getCode(), concept.getDisplay()));
        Map<String, String> inJava = new LinkedHashMap<>();
        for (CardKind kind : CardKind.values()) {
            inJava.put(kind.topicCode(), kind.topicDisplay());
        }
        assertThat(published).isEqualTo(inJava);
    }

    @Test
    void aCardOffersTheOverrideReasonsOfTheCodeSystemInItsOrder() {
        List<String> published = KNOWLEDGE.codeSystem(CardFactory.OVERRIDE_SYSTEM).orElseThrow().getConcept().stream()
                .map(CodeSystem.ConceptDefinitionComponent::getCode)
                .toList();
        assertThat(published)
                .containsExactly(
                        "clinical-trial",
                        "approved-g12c-combination",
                        "result-under-review",
                        "non-colorectal-indication");
        assertThat(unknownCard(KNOWLEDGE).overrideReasons())
                .extracting(CdsResponse.Coding::code)
                .containsExactlyElementsOf(published);
        assertThat(unknownCard(KNOWLEDGE).overrideReasons())
                .allSatisfy(reason -> assertThat(reason.system()).isEqualTo(CardFactory.OVERRIDE_SYSTEM))
                .allSatisfy(reason -> assertThat(reason.display()).isNotBlank());
    }

    @Test
    void aReasonAddedToTheCodeSystemIsOfferedWithoutAChangeInJava() {
        KnowledgeBase withSecondOpinion = withOverrideReasons(reasons -> {
            reasons.addConcept().setCode("second-opinion").setDisplay("Second molecular opinion pending");
            return reasons;
        });
        assertThat(unknownCard(withSecondOpinion).overrideReasons())
                .extracting(CdsResponse.Coding::code)
                .endsWith("second-opinion");
    }

    @Test
    void withoutOverrideReasonsTheServiceDoesNotStart() {
        KnowledgeBase withoutReasons = withOverrideReasons(reasons -> {
            reasons.getConcept().clear();
            return reasons;
        });
        assertThatThrownBy(() -> new CardFactory(withoutReasons, FHIR, new ObjectMapper(), UUID::randomUUID))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(CardFactory.OVERRIDE_SYSTEM);
    }

    @Test
    void theUnknownCardNamesTheExonsAndCodonsOfTheHotspotCodeSystem() {
        CodeSystem codons = KNOWLEDGE
                .codeSystem(KnowledgeBase.CANONICAL_BASE + "/CodeSystem/ras-hotspot-codons")
                .orElseThrow();
        List<String> exons = codons.getConcept().stream()
                .map(c -> property(c, "exon"))
                .distinct()
                .toList();
        List<String> codes = codons.getConcept().stream()
                .map(CodeSystem.ConceptDefinitionComponent::getCode)
                .toList();
        String phrase = "exons " + and(exons) + " (codons " + and(codes) + ")";

        assertThat(unknownCard(KNOWLEDGE).detail()).contains(phrase);
    }

    private static String property(CodeSystem.ConceptDefinitionComponent concept, String code) {
        return concept.getProperty().stream()
                .filter(p -> p.getCode().equals(code))
                .findFirst()
                .orElseThrow()
                .getValue()
                .primitiveValue();
    }

    /** "2, 3 and 4". */
    private static String and(List<String> items) {
        return String.join(", ", items.subList(0, items.size() - 1)) + " and " + items.get(items.size() - 1);
    }

    private static CdsResponse.Card unknownCard(KnowledgeBase knowledge) {
        RasStatusEngine engine = new RasStatusEngine(RasVocabulary.from(knowledge), RasPolicy.defaults());
        CardInput input = new CardInput(
                CardKind.RAS_UNKNOWN,
                AntiEgfrDrug.CETUXIMAB,
                "MedicationRequest/mr-1",
                "p1",
                engine.assess(List.of()),
                null,
                List.of());
        return new CardFactory(knowledge, FHIR, new ObjectMapper(), UUID::randomUUID).card(input);
    }

    private static KnowledgeBase withOverrideReasons(UnaryOperator<CodeSystem> change) {
        List<MetadataResource> artifacts = KNOWLEDGE.artifacts().stream()
                .map(artifact -> artifact.getUrl().equals(CardFactory.OVERRIDE_SYSTEM)
                        ? change.apply(((CodeSystem) artifact).copy())
                        : artifact)
                .map(MetadataResource.class::cast)
                .toList();
        return KnowledgeBase.of(artifacts, List.of());
    }
}
