package org.rasguard.decision;

import java.util.Objects;
import org.rasguard.knowledge.ChartMatcher;
import org.rasguard.knowledge.DrugMatcher;
import org.rasguard.knowledge.IndicationMatcher;
import org.rasguard.knowledge.KnowledgeBase;
import org.rasguard.ras.RasPolicy;
import org.rasguard.ras.RasStatusEngine;
import org.rasguard.ras.RasVocabulary;

/**
 * The knowledge package read into what the decision uses, once: the drug matcher, the indication
 * matcher and the RAS engine (its vocabulary). fhir-server builds one at start and hands it to the
 * CDS service and to {@code $ras-status}; nothing else reads the package's code lists again.
 *
 * <p>It lives here rather than in {@code org.rasguard.knowledge} because it holds the RAS engine,
 * whose package reads the knowledge package: {@code knowledge} stays at the bottom, with no cycle.
 */
public final class DecisionKnowledge {

    private final KnowledgeBase base;
    private final DrugMatcher drugs;
    private final IndicationMatcher indications;
    private final RasStatusEngine engine;
    private final ChartMatcher chart;

    private DecisionKnowledge(
            KnowledgeBase base,
            DrugMatcher drugs,
            IndicationMatcher indications,
            RasStatusEngine engine,
            ChartMatcher chart) {
        this.base = Objects.requireNonNull(base);
        this.drugs = Objects.requireNonNull(drugs);
        this.indications = Objects.requireNonNull(indications);
        this.engine = Objects.requireNonNull(engine);
        this.chart = Objects.requireNonNull(chart);
    }

    /** Reads every ValueSet, CodeSystem and ConceptMap the decision needs; fails fast when one is missing. */
    public static DecisionKnowledge from(KnowledgeBase base) {
        DrugMatcher drugs = DrugMatcher.from(base);
        return new DecisionKnowledge(
                base,
                drugs,
                IndicationMatcher.from(base),
                new RasStatusEngine(RasVocabulary.from(base, drugs.antiEgfrAntibodies()), RasPolicy.defaults()),
                ChartMatcher.from(base));
    }

    /** The package itself, for what is read from it outside the decision (card content, the clinician page). */
    public KnowledgeBase base() {
        return base;
    }

    public DrugMatcher drugs() {
        return drugs;
    }

    public IndicationMatcher indications() {
        return indications;
    }

    public RasStatusEngine engine() {
        return engine;
    }

    /** What the patient-view reminders read from a chart (metastatic disease, RAS test orders). */
    public ChartMatcher chart() {
        return chart;
    }
}
