package org.rasguard.cards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.MarkdownType;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.PlanDefinition;
import org.junit.jupiter.api.Test;
import org.rasguard.decision.CardKind;
import org.rasguard.decision.ChartDecider;
import org.rasguard.decision.OrderRule;
import org.rasguard.knowledge.AntiEgfrDrug;
import org.rasguard.knowledge.KnowledgeBase;
import org.rasguard.ras.RasPolicy;
import org.rasguard.ras.RasStatusEngine;
import org.rasguard.ras.RasVocabulary;

/**
 * The cards' words are the knowledge package's (card-text extensions and sub-action titles and
 * descriptions of PlanDefinitions anti-egfr-ras-check and ras-testing-patient-view): an edited text
 * shows up in the card, a summary is fitted by shortening its one named word, and a package that lacks
 * a text, or whose text is malformed or asks for a word the card does not fill in, does not start.
 */
class CardTextsTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final KnowledgeBase KNOWLEDGE = KnowledgeBase.loadFromClasspath(FHIR);

    @Test
    void theUnknownCardShowsTheTextsOfThePackage() {
        assertThat(unknownCard(KNOWLEDGE).detail())
                .startsWith("**RAS (KRAS and NRAS) status is unknown: not tested.**\n\n")
                .contains(
                        "**Labels**: the FDA label of Vectibix and the EU SmPCs of Erbitux and Vectibix exclude patients");
    }

    @Test
    void aTextEditedInTheKnowledgeShowsUpInTheCard() {
        KnowledgeBase edited = withAction(
                "ras-unknown",
                action -> text(action, "labels")
                        .setValue(
                                new MarkdownType(
                                        "**Labels**: reviewed wording for {drug}; {Drug} is indicated for RAS wild-type disease only.")));

        assertThat(unknownCard(edited).detail())
                .contains(
                        "**Labels**: reviewed wording for cetuximab; Cetuximab is indicated for RAS wild-type disease only.\n")
                .doesNotContain("the FDA label of Vectibix");
        assertThat(unknownCard(KNOWLEDGE).detail()).contains("the FDA label of Vectibix");
    }

    @Test
    void aPackageWithoutOneOfTheTextsDoesNotStart() {
        KnowledgeBase withoutLabels = withAction(
                "ras-unknown",
                action -> action.getExtension()
                        .removeIf(text -> CardTexts.EXTENSION.equals(text.getUrl()) && "labels".equals(name(text))));

        assertThatThrownBy(() -> new CardFactory(withoutLabels, FHIR, new ObjectMapper(), UUID::randomUUID))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(OrderRule.PLAN_DEFINITION)
                .hasMessageContaining("labels")
                .hasMessageContaining("ras-unknown");
    }

    @Test
    void aTextThatAsksForAWordTheCardDoesNotFillInDoesNotStart() {
        KnowledgeBase withPartner = withAction(
                "ras-unknown",
                action -> text(action, "labels").setValue(new MarkdownType("**Labels**: not with {partner}.")));

        assertThatThrownBy(() -> new CardFactory(withPartner, FHIR, new ObjectMapper(), UUID::randomUUID))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("{partner}")
                .hasMessageContaining("labels");
    }

    @Test
    void aTextNoCardShowsDoesNotStart() {
        KnowledgeBase withAnExtraText = withAction("ras-unknown", action -> {
            Extension extra = action.getExtension().stream()
                    .filter(text -> CardTexts.EXTENSION.equals(text.getUrl()) && "labels".equals(name(text)))
                    .findFirst()
                    .orElseThrow()
                    .copy();
            extra.getExtensionByUrl("name").setValue(new CodeType("label"));
            action.addExtension(extra);
        });

        assertThatThrownBy(() -> new CardFactory(withAnExtraText, FHIR, new ObjectMapper(), UUID::randomUUID))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no card shows")
                .hasMessageContaining("ras-unknown|label]");
    }

    @Test
    void aSuggestionLabelEditedInTheKnowledgeShowsUpInTheCard() {
        KnowledgeBase edited = withAnyAction(
                OrderRule.PLAN_DEFINITION,
                "remove-anti-egfr-order",
                action -> action.setTitle("Cancel the {drug} order").setDescription("Cancel the {drug} draft."));

        CdsResponse.Suggestion remove = unknownCard(edited).suggestions().get(1);
        assertThat(remove.label()).isEqualTo("Cancel the cetuximab order");
        assertThat(remove.actions().get(0).description()).isEqualTo("Cancel the cetuximab draft.");
        assertThat(unknownCard(KNOWLEDGE).suggestions().get(1).label()).isEqualTo("Remove the cetuximab order");
    }

    @Test
    void aSuggestionWithoutItsTitleDoesNotStart() {
        KnowledgeBase withoutTitle =
                withAnyAction(OrderRule.PLAN_DEFINITION, "add-g12c-partner", action -> action.setTitle(null));

        assertThatThrownBy(() -> new CardFactory(withoutTitle, FHIR, new ObjectMapper(), UUID::randomUUID))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(OrderRule.PLAN_DEFINITION)
                .hasMessageContaining("title")
                .hasMessageContaining("add-g12c-partner");
    }

    @Test
    void aMalformedTextDoesNotStart() {
        for (String malformed :
                List.of("{Drug}: RAS status unknown ({reasons)", "{Drug}: RAS status unknown ({why not})")) {
            KnowledgeBase knowledge =
                    withAction("ras-unknown", action -> text(action, "summary").setValue(new MarkdownType(malformed)));

            assertThatThrownBy(() -> new CardFactory(knowledge, FHIR, new ObjectMapper(), UUID::randomUUID))
                    .as(malformed)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(OrderRule.PLAN_DEFINITION)
                    .hasMessageContaining("action ras-unknown text summary")
                    .hasMessageContaining("brace");
        }
    }

    @Test
    void aSummaryThatWouldShortenTwoPartsDoesNotStart() {
        KnowledgeBase twice = withAction(
                "ras-mutated",
                action -> text(action, "summary")
                        .setValue(new MarkdownType("{Drug} not recommended: {variants}; {variants}")));

        assertThatThrownBy(() -> new CardFactory(twice, FHIR, new ObjectMapper(), UUID::randomUUID))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("action ras-mutated text summary")
                .hasMessageContaining("{variants} more than once");
    }

    @Test
    void aPatientViewTextMissingDoesNotStart() {
        KnowledgeBase withoutOrigin = withAnyAction(
                ChartDecider.PLAN_DEFINITION,
                "metastasis-ras-testing",
                action -> action.getExtension()
                        .removeIf(text ->
                                CardTexts.EXTENSION.equals(text.getUrl()) && "origin-primary".equals(name(text))));

        assertThatThrownBy(() -> new ChartCards(withoutOrigin, FHIR, new ObjectMapper(), UUID::randomUUID, 30))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(ChartDecider.PLAN_DEFINITION)
                .hasMessageContaining("origin-primary")
                .hasMessageContaining("metastasis-ras-testing");
    }

    @Test
    void aLongSummaryShortensItsNamedWordAndKeepsTheRest() {
        CardTexts texts = CardTexts.read(KNOWLEDGE);
        String variants = String.join(", ", java.util.Collections.nCopies(20, "KRAS p.G12D"));

        String summary =
                texts.summary(CardTexts.Text.MUTANT_SUMMARY, Map.of("drug", "panitumumab", "variants", variants));

        assertThat(summary)
                .startsWith("Panitumumab not recommended: KRAS p.G12D, ")
                .endsWith("… (RAS-mutant)");
        assertThat(summary.length()).isLessThanOrEqualTo(CardTexts.MAX_SUMMARY);
        assertThat(texts.summary(
                        CardTexts.Text.MUTANT_SUMMARY, Map.of("drug", "panitumumab", "variants", "KRAS p.G12D")))
                .isEqualTo("Panitumumab not recommended: KRAS p.G12D (RAS-mutant)");
    }

    @Test
    void theSuggestionsOfOneActivityDefinitionAreWordedAlike() {
        Map<String, Set<String>> wordings = new java.util.HashMap<>();
        PlanDefinition plan = (PlanDefinition) KNOWLEDGE.artifacts().stream()
                .filter(artifact -> OrderRule.PLAN_DEFINITION.equals(artifact.getUrl()))
                .findFirst()
                .orElseThrow();
        all(plan.getAction())
                .filter(action -> action.hasDefinitionCanonicalType())
                .forEach(action -> wordings.computeIfAbsent(
                                action.getDefinitionCanonicalType().getValue(), url -> new java.util.HashSet<>())
                        .add(action.getTitle() + " | " + action.getDescription()));

        assertThat(wordings)
                .containsOnlyKeys(Suggestions.EXTENDED_RAS_TESTING, Suggestions.PLASMA_RAS_TESTING)
                .allSatisfy((url, wording) -> assertThat(wording).as(url).hasSize(1));
    }

    private static CdsResponse.Card unknownCard(KnowledgeBase knowledge) {
        return new CardFactory(knowledge, FHIR, new ObjectMapper(), UUID::randomUUID).card(unknownInput());
    }

    private static CardInput unknownInput() {
        RasStatusEngine engine = new RasStatusEngine(RasVocabulary.from(KNOWLEDGE), RasPolicy.defaults());
        return new CardInput(
                CardKind.RAS_UNKNOWN,
                AntiEgfrDrug.CETUXIMAB,
                "MedicationRequest/mr-1",
                "p1",
                engine.assess(List.of()),
                null,
                List.of());
    }

    /** The text part of the action's card-text named {@code name}. */
    private static Extension text(PlanDefinition.PlanDefinitionActionComponent action, String name) {
        return action.getExtension().stream()
                .filter(text -> CardTexts.EXTENSION.equals(text.getUrl()) && name.equals(name(text)))
                .findFirst()
                .orElseThrow()
                .getExtensionByUrl("text");
    }

    private static String name(Extension text) {
        return text.getExtensionByUrl("name").getValue().primitiveValue();
    }

    /** A copy of the knowledge whose PlanDefinition {@code url} has the action {@code id}, at any depth, changed. */
    private static KnowledgeBase withAnyAction(
            String url, String id, Consumer<PlanDefinition.PlanDefinitionActionComponent> change) {
        List<MetadataResource> artifacts = KNOWLEDGE.artifacts().stream()
                .map(artifact -> {
                    if (!url.equals(artifact.getUrl())) {
                        return artifact;
                    }
                    PlanDefinition plan = ((PlanDefinition) artifact).copy();
                    change.accept(all(plan.getAction())
                            .filter(action -> id.equals(action.getId()))
                            .findFirst()
                            .orElseThrow());
                    return plan;
                })
                .map(MetadataResource.class::cast)
                .toList();
        return KnowledgeBase.of(artifacts, List.of());
    }

    private static Stream<PlanDefinition.PlanDefinitionActionComponent> all(
            List<PlanDefinition.PlanDefinitionActionComponent> actions) {
        return actions.stream().flatMap(action -> Stream.concat(Stream.of(action), all(action.getAction())));
    }

    /** A copy of the knowledge whose order PlanDefinition has the sub-action {@code id} changed. */
    private static KnowledgeBase withAction(String id, Consumer<PlanDefinition.PlanDefinitionActionComponent> change) {
        List<MetadataResource> artifacts = KNOWLEDGE.artifacts().stream()
                .map(artifact -> {
                    if (!OrderRule.PLAN_DEFINITION.equals(artifact.getUrl())) {
                        return artifact;
                    }
                    PlanDefinition plan = ((PlanDefinition) artifact).copy();
                    change.accept(plan.getActionFirstRep().getAction().stream()
                            .filter(action -> id.equals(action.getId()))
                            .findFirst()
                            .orElseThrow());
                    return plan;
                })
                .map(MetadataResource.class::cast)
                .toList();
        return KnowledgeBase.of(artifacts, List.of());
    }
}
