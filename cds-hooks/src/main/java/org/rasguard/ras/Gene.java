package org.rasguard.ras;

/**
 * The two genes that make up RAS status for anti-EGFR therapy. The HGNC id and symbol are the
 * gene's identity; {@link RasVocabulary} checks at load time that the {@code ras-genes} ValueSet of
 * the knowledge package agrees, and takes every other code (NCBI Gene ids, synonyms) from there.
 */
public enum Gene {
    KRAS("HGNC:6407", "KRAS"),
    NRAS("HGNC:7989", "NRAS");

    private final String hgncId;
    private final String symbol;

    Gene(String hgncId, String symbol) {
        this.hgncId = hgncId;
        this.symbol = symbol;
    }

    public String hgncId() {
        return hgncId;
    }

    public String symbol() {
        return symbol;
    }
}
