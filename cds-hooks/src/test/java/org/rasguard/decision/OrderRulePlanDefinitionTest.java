package org.rasguard.decision;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.hl7.fhir.r4.model.PlanDefinition;
import org.junit.jupiter.api.Test;
import org.rasguard.knowledge.KnowledgeBase;

/**
 * {@link OrderRule} and the PlanDefinition it carries out (ig-resources,
 * PlanDefinition-anti-egfr-ras-check.json) say the same: the same actions, in the same order of
 * precedence, each with the priority of its card's indicator.
 */
class OrderRulePlanDefinitionTest {

    private static final KnowledgeBase KNOWLEDGE = KnowledgeBase.loadFromClasspath(FhirContext.forR4Cached());
    /** PlanDefinition.action.priority (request-priority) for a card indicator (CDS Hooks 2.0 §Card). */
    private static final Map<String, String> PRIORITY =
            Map.of("critical", "stat", "warning", "urgent", "info", "routine");

    private static List<PlanDefinition.PlanDefinitionActionComponent> actions() {
        PlanDefinition plan = KNOWLEDGE.artifacts().stream()
                .filter(artifact -> OrderRule.PLAN_DEFINITION.equals(artifact.getUrl()))
                .map(PlanDefinition.class::cast)
                .findFirst()
                .orElseThrow();
        return plan.getActionFirstRep().getAction();
    }

    @Test
    void everyActionOfThePlanDefinitionIsARowAndInTheSameOrder() {
        List<String> published = actions().stream()
                .map(PlanDefinition.PlanDefinitionActionComponent::getId)
                .toList();
        List<String> inTable = List.copyOf(new LinkedHashSet<>(OrderRule.TABLE.stream()
                .map(OrderRule.Row::planAction)
                .filter(Objects::nonNull)
                .toList()));

        assertThat(inTable).isEqualTo(published);
    }

    @Test
    void aRowGivesTheCardOfTheActionItCarriesOut() {
        Map<String, String> priorities = new java.util.HashMap<>();
        actions()
                .forEach(action ->
                        priorities.put(action.getId(), action.getPriority().toCode()));
        for (OrderRule.Row row : OrderRule.TABLE) {
            if (row.planAction() != null) {
                assertThat(row.card()).as(row.rule()).isPresent();
                assertThat(priorities.get(row.planAction()))
                        .as(row.rule())
                        .isEqualTo(PRIORITY.get(row.card().orElseThrow().indicator()));
            }
        }
    }

    @Test
    void onlyTheRowsWithoutACardAndTheOptionalWildTypeCardAreNotInThePlanDefinition() {
        assertThat(OrderRule.TABLE.stream()
                        .filter(row -> row.planAction() == null)
                        .map(row -> row.card().map(Enum::name).orElse("none")))
                .containsExactly("none", "RAS_WILD_TYPE", "none");
    }
}
