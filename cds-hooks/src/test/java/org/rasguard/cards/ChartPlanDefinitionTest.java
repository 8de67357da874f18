package org.rasguard.cards;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.util.Map;
import org.hl7.fhir.r4.model.PlanDefinition;
import org.junit.jupiter.api.Test;
import org.rasguard.decision.CardKind;
import org.rasguard.decision.ChartDecider;
import org.rasguard.knowledge.KnowledgeBase;

/**
 * The patient-view cards and the PlanDefinition that words them agree: one action per card kind, the
 * action's code the card's topic, its priority the card's indicator (stat = critical, routine = info,
 * as for anti-egfr-ras-check), and only the words {@link ChartCards} fills in.
 */
class ChartPlanDefinitionTest {

    private static final KnowledgeBase KNOWLEDGE = KnowledgeBase.loadFromClasspath(FhirContext.forR4Cached());
    private static final Map<String, String> INDICATOR =
            Map.of("stat", "critical", "urgent", "warning", "routine", "info");

    @Test
    void everyPatientViewCardIsAnActionWithItsTopicAndIndicator() {
        PlanDefinition plan = KNOWLEDGE.artifacts().stream()
                .filter(PlanDefinition.class::isInstance)
                .map(PlanDefinition.class::cast)
                .filter(p -> ChartDecider.PLAN_DEFINITION.equals(p.getUrl()))
                .findFirst()
                .orElseThrow();
        assertThat(plan.getAction())
                .extracting(PlanDefinition.PlanDefinitionActionComponent::getId)
                .containsExactlyInAnyOrderElementsOf(ChartCards.ACTIONS.values());
        ChartCards.ACTIONS.forEach((kind, id) -> {
            PlanDefinition.PlanDefinitionActionComponent action = plan.getAction().stream()
                    .filter(a -> a.getId().equals(id))
                    .findFirst()
                    .orElseThrow();
            assertThat(action.getCodeFirstRep().getCodingFirstRep().getSystem()).isEqualTo(CardKind.TOPIC_SYSTEM);
            assertThat(action.getCodeFirstRep().getCodingFirstRep().getCode())
                    .as(id)
                    .isEqualTo(kind.topicCode());
            assertThat(INDICATOR.get(action.getPriority().toCode())).as(id).isEqualTo(kind.indicator());
            String words = action.getTitle() + action.getDescription();
            assertThat(words.replaceAll(
                            "\\{(drug|order|result|identified|detail|status|reasons|metastasis|days|resultDate|origin|later)\\}",
                            ""))
                    .as("%s uses only the words ChartCards fills in", id)
                    .doesNotContain("{")
                    .doesNotContain("}");
        });
    }
}
