package org.rasguard.cards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.MarkdownType;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.PlanDefinition;
import org.junit.jupiter.api.Test;
import org.rasguard.decision.CardKind;
import org.rasguard.decision.OrderRule;
import org.rasguard.knowledge.AntiEgfrDrug;
import org.rasguard.knowledge.KnowledgeBase;
import org.rasguard.ras.RasPolicy;
import org.rasguard.ras.RasStatusEngine;
import org.rasguard.ras.RasVocabulary;

/**
 * The order cards' fixed texts are the knowledge package's (card-text extensions of PlanDefinition
 * anti-egfr-ras-check): an edited text shows up in the card, and a package that lacks one, or whose
 * text asks for a word the card does not fill in, does not start.
 */
class CardTextsTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final KnowledgeBase KNOWLEDGE = KnowledgeBase.loadFromClasspath(FHIR);

    @Test
    void theUnknownCardShowsTheTextsOfThePackage() {
        assertThat(unknownCard(KNOWLEDGE).detail())
                .startsWith("**RAS (KRAS and NRAS) status is unknown: not tested.**\n\n")
                .contains("**Labels**: the FDA label of Vectibix and the EU SmPCs of Erbitux and Vectibix exclude patients");
    }

    @Test
    void aTextEditedInTheKnowledgeShowsUpInTheCard() {
        KnowledgeBase edited = withAction("ras-unknown", action -> text(action, "labels").setValue(
                new MarkdownType("**Labels**: reviewed wording for {drug}; {Drug} is indicated for RAS wild-type disease only.")));

        assertThat(unknownCard(edited).detail())
                .contains("**Labels**: reviewed wording for cetuximab; Cetuximab is indicated for RAS wild-type disease only.\n")
                .doesNotContain("the FDA label of Vectibix");
        assertThat(unknownCard(KNOWLEDGE).detail()).contains("the FDA label of Vectibix");
    }

    @Test
    void aPackageWithoutOneOfTheTextsDoesNotStart() {
        KnowledgeBase withoutLabels = withAction("ras-unknown", action -> action.getExtension()
                .removeIf(text -> CardTexts.EXTENSION.equals(text.getUrl()) && "labels".equals(name(text))));

        assertThatThrownBy(() -> new CardFactory(withoutLabels, FHIR, new ObjectMapper(), UUID::randomUUID))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(OrderRule.PLAN_DEFINITION).hasMessageContaining("labels").hasMessageContaining("ras-unknown");
    }

    @Test
    void aTextThatAsksForAWordTheCardDoesNotFillInDoesNotStart() {
        KnowledgeBase withPartner = withAction("ras-unknown", action -> text(action, "labels").setValue(
                new MarkdownType("**Labels**: not with {partner}.")));

        assertThatThrownBy(() -> new CardFactory(withPartner, FHIR, new ObjectMapper(), UUID::randomUUID))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("{partner}").hasMessageContaining("labels");
    }

    @Test
    void aTextNoCardShowsDoesNotStart() {
        KnowledgeBase withAnExtraText = withAction("ras-unknown", action -> {
            Extension extra = action.getExtension().stream()
                    .filter(text -> CardTexts.EXTENSION.equals(text.getUrl()) && "labels".equals(name(text))).findFirst().orElseThrow().copy();
            extra.getExtensionByUrl("name").setValue(new CodeType("label"));
            action.addExtension(extra);
        });

        assertThatThrownBy(() -> new CardFactory(withAnExtraText, FHIR, new ObjectMapper(), UUID::randomUUID))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no card shows").hasMessageContaining("ras-unknown|label]");
    }

    private static CdsResponse.Card unknownCard(KnowledgeBase knowledge) {
        RasStatusEngine engine = new RasStatusEngine(RasVocabulary.from(knowledge), RasPolicy.defaults());
        CardInput input = new CardInput(CardKind.RAS_UNKNOWN, AntiEgfrDrug.CETUXIMAB, "MedicationRequest/mr-1", "p1",
                engine.assess(List.of()), null, List.of());
        return new CardFactory(knowledge, FHIR, new ObjectMapper(), UUID::randomUUID).card(input);
    }

    /** The text part of the action's card-text named {@code name}. */
    private static Extension text(PlanDefinition.PlanDefinitionActionComponent action, String name) {
        return action.getExtension().stream().filter(text -> CardTexts.EXTENSION.equals(text.getUrl()) && name.equals(name(text)))
                .findFirst().orElseThrow().getExtensionByUrl("text");
    }

    private static String name(Extension text) {
        return text.getExtensionByUrl("name").getValue().primitiveValue();
    }

    /** A copy of the knowledge whose order PlanDefinition has the sub-action {@code id} changed. */
    private static KnowledgeBase withAction(String id, Consumer<PlanDefinition.PlanDefinitionActionComponent> change) {
        List<MetadataResource> artifacts = KNOWLEDGE.artifacts().stream().map(artifact -> {
            if (!OrderRule.PLAN_DEFINITION.equals(artifact.getUrl())) {
                return artifact;
            }
            PlanDefinition plan = ((PlanDefinition) artifact).copy();
            change.accept(plan.getActionFirstRep().getAction().stream().filter(action -> id.equals(action.getId())).findFirst().orElseThrow());
            return plan;
        }).map(MetadataResource.class::cast).toList();
        return KnowledgeBase.of(artifacts, List.of());
    }
}
