package org.rasguard.knowledge;

/**
 * The KRAS G12C inhibitors approved with an anti-EGFR antibody for KRAS G12C-mutated colorectal
 * cancer. With its partner antibody, the antibody is given because of the RAS mutation, so the
 * RAS-mutant alert must not fire. Each names the ValueSet that holds its codes and names.
 */
public enum G12cInhibitor {
    SOTORASIB("sotorasib"),
    ADAGRASIB("adagrasib");

    private final String valueSetUrl;

    G12cInhibitor(String valueSetId) {
        this.valueSetUrl = KnowledgeBase.CANONICAL_BASE + "/ValueSet/" + valueSetId;
    }

    public String valueSetUrl() {
        return valueSetUrl;
    }
}
