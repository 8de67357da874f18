package org.rasguard.indication;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.rasguard.knowledge.KnowledgeBase;

/**
 * Tells whether a diagnosis (a Condition's code) is colorectal cancer, for which an anti-EGFR
 * antibody needs a RAS result, or head and neck squamous cell carcinoma, for which cetuximab has no
 * RAS requirement. The codes come from the ValueSets of the knowledge package. Immutable and
 * thread-safe.
 *
 * <p>ICD-10-CM codes also match by category, as {@code DiagnosisCodes} explains.
 */
public final class IndicationMatcher {

    public static final String COLORECTAL_CANCER = KnowledgeBase.CANONICAL_BASE + "/ValueSet/colorectal-cancer";
    public static final String HEAD_NECK_SCC = KnowledgeBase.CANONICAL_BASE + "/ValueSet/head-neck-scc";

    private final DiagnosisCodes colorectalCancer;
    private final DiagnosisCodes headAndNeckScc;

    private IndicationMatcher(DiagnosisCodes colorectalCancer, DiagnosisCodes headAndNeckScc) {
        this.colorectalCancer = colorectalCancer;
        this.headAndNeckScc = headAndNeckScc;
    }

    /** Reads the diagnosis ValueSets; fails fast if one is missing. */
    public static IndicationMatcher from(KnowledgeBase knowledge) {
        return new IndicationMatcher(
                DiagnosisCodes.of(knowledge, COLORECTAL_CANCER), DiagnosisCodes.of(knowledge, HEAD_NECK_SCC));
    }

    public boolean isColorectalCancer(CodeableConcept diagnosis) {
        return colorectalCancer.matches(diagnosis);
    }

    public boolean isHeadAndNeckScc(CodeableConcept diagnosis) {
        return headAndNeckScc.matches(diagnosis);
    }
}
