package org.rasguard.cards;

import java.util.List;
import org.hl7.fhir.r4.model.PlanDefinition;
import org.hl7.fhir.r4.model.RelatedArtifact;
import org.rasguard.decision.OrderRule;
import org.rasguard.knowledge.KnowledgeBase;

/**
 * The trials behind the re-challenge rule, as the knowledge package cites them: the documentation of
 * action {@value #ACTION} of PlanDefinition {@value OrderRule#PLAN_DEFINITION}, one markdown line each
 * ("CRICKET (JAMA Oncol 2019): …", with its link). Read once; a package without them stops start-up.
 */
final class RechallengeEvidence {

    static final String ACTION = "anti-egfr-rechallenge";

    private RechallengeEvidence() {}

    static List<String> read(KnowledgeBase knowledge) {
        PlanDefinition plan = knowledge.artifacts().stream()
                .filter(PlanDefinition.class::isInstance)
                .map(PlanDefinition.class::cast)
                .filter(definition -> OrderRule.PLAN_DEFINITION.equals(definition.getUrl()))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Unknown PlanDefinition " + OrderRule.PLAN_DEFINITION));
        List<String> lines = plan.getAction().stream()
                .flatMap(action -> action.getAction().stream())
                .filter(action -> ACTION.equals(action.getId()))
                .flatMap(action -> action.getDocumentation().stream())
                .map(RechallengeEvidence::line)
                .toList();
        if (lines.isEmpty()) {
            throw new IllegalArgumentException(
                    "PlanDefinition " + OrderRule.PLAN_DEFINITION + " has no documented action " + ACTION);
        }
        return lines;
    }

    private static String line(RelatedArtifact artifact) {
        String text = "**" + artifact.getDisplay() + "**: " + artifact.getCitation();
        return artifact.hasUrl() ? text + " (" + artifact.getUrl() + ")" : text;
    }
}
