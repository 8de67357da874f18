package org.rasguard.server.knowledge;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import org.rasguard.decision.DecisionKnowledge;
import org.rasguard.knowledge.KnowledgeBase;
import org.rasguard.ras.RasStatusEngine;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The knowledge package (ig-resources) read once at start, and the decision logic built from it once
 * ({@link DecisionKnowledge}: the RAS engine, the drug matcher, the indication matcher), for the CDS
 * service and {@code $ras-status} alike. A broken package stops start-up, so
 * {@code /health} never says ready without the knowledge.
 */
@Configuration
public class KnowledgeConfig {

    @Bean
    public KnowledgeBase knowledgeBase(FhirContext fhirContext) {
        return KnowledgeBase.loadFromClasspath(fhirContext);
    }

    /** Stores the package's artifacts; run by {@code RasGuardServer} before {@code /health} turns ready. */
    @Bean
    public KnowledgeLoader knowledgeLoader(FhirContext fhirContext, KnowledgeBase knowledge, DaoRegistry daos) {
        return KnowledgeLoader.overDaos(fhirContext, knowledge, daos);
    }

    @Bean
    public DecisionKnowledge decisionKnowledge(KnowledgeBase knowledge) {
        return DecisionKnowledge.from(knowledge);
    }

    /** The engine of {@link DecisionKnowledge}, for {@code $ras-status}: the CDS service's very instance. */
    @Bean
    public RasStatusEngine rasStatusEngine(DecisionKnowledge knowledge) {
        return knowledge.engine();
    }
}
