package org.rasguard.knowledge;

/**
 * The anti-EGFR antibodies whose use in colorectal cancer needs a complete RAS wild-type result. Each
 * names the ValueSet that holds its codes and names; which KRAS G12C inhibitor it is approved with
 * comes from the ConceptMap {@value DrugMatcher#G12C_COMBINATIONS} (see
 * {@link DrugMatcher#approvedPartner(AntiEgfrDrug)}).
 */
public enum AntiEgfrDrug {
    CETUXIMAB("cetuximab"),
    PANITUMUMAB("panitumumab");

    private final String valueSetUrl;

    AntiEgfrDrug(String valueSetId) {
        this.valueSetUrl = KnowledgeBase.CANONICAL_BASE + "/ValueSet/" + valueSetId;
    }

    public String valueSetUrl() {
        return valueSetUrl;
    }
}
