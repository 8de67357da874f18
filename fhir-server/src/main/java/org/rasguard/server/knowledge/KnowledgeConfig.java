package org.rasguard.server.knowledge;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import org.rasguard.knowledge.DrugMatcher;
import org.rasguard.knowledge.IndicationMatcher;
import org.rasguard.knowledge.KnowledgeBase;
import org.rasguard.ras.RasPolicy;
import org.rasguard.ras.RasStatusEngine;
import org.rasguard.ras.RasVocabulary;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The knowledge package (ig-resources) read once at start, and the decision logic built from it:
 * the RAS engine, the drug matcher and the indication matcher. A broken package stops start-up, so
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
    public RasStatusEngine rasStatusEngine(KnowledgeBase knowledge) {
        return new RasStatusEngine(RasVocabulary.from(knowledge), RasPolicy.defaults());
    }

    @Bean
    public DrugMatcher drugMatcher(KnowledgeBase knowledge) {
        return DrugMatcher.from(knowledge);
    }

    @Bean
    public IndicationMatcher indicationMatcher(KnowledgeBase knowledge) {
        return IndicationMatcher.from(knowledge);
    }
}
