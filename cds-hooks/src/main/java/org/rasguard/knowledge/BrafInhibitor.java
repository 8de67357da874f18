package org.rasguard.knowledge;

/**
 * The BRAF inhibitors approved with an anti-EGFR antibody for BRAF V600E-mutated colorectal cancer
 * (encorafenib with cetuximab). With its partner and a documented BRAF V600E, the antibody is the
 * approved BRAF V600E combination and is not flagged for an unknown RAS status. Each names the
 * ValueSet that holds its codes and names; the pairs are in ConceptMap braf-v600e-combinations.
 */
public enum BrafInhibitor {
    ENCORAFENIB("encorafenib");

    private final String valueSetUrl;

    BrafInhibitor(String valueSetId) {
        this.valueSetUrl = KnowledgeBase.CANONICAL_BASE + "/ValueSet/" + valueSetId;
    }

    public String valueSetUrl() {
        return valueSetUrl;
    }
}
