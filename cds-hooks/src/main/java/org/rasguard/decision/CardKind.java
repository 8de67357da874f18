package org.rasguard.decision;

/**
 * The kinds of card RAS Guard returns, each with its indicator and a stable topic code
 * ({@code source.topic}). Topic codes are alphanumeric and never change: Epic keys override
 * persistence on them. They are published as the CodeSystem {@value #TOPIC_SYSTEM} in ig-resources;
 * {@code CardVocabularyTest} keeps this enum and that CodeSystem identical.
 */
public enum CardKind {
    /** RAS (KRAS or NRAS) mutated: the antibody is not indicated. */
    RAS_MUTANT("critical", "RasMutant", "Anti-EGFR antibody with RAS-mutant colorectal cancer"),
    /** KRAS G12C and the antibody without its approved G12C inhibitor. */
    G12C_WITHOUT_PARTNER(
            "critical", "G12cWithoutPartner", "Anti-EGFR antibody for KRAS G12C without its approved inhibitor"),
    /** RAS status unknown or incomplete: extended RAS testing first. */
    RAS_UNKNOWN("warning", "RasUnknown", "Anti-EGFR antibody with unknown RAS status"),
    /** KRAS G12C with the approved combination (sotorasib + panitumumab, adagrasib + cetuximab). */
    G12C_APPROVED_COMBINATION("info", "G12cApprovedCombination", "Approved KRAS G12C combination"),
    /** The antibody's approved G12C inhibitor ordered, but no final result shows KRAS G12C: confirm it first. */
    G12C_NOT_DOCUMENTED(
            "warning", "G12cNotDocumented", "KRAS G12C inhibitor combination without a documented KRAS G12C result"),
    /** Cetuximab with encorafenib for documented BRAF V600E while RAS is unknown: approved, not flagged. */
    BRAF_V600E_APPROVED_COMBINATION("info", "BrafV600eApprovedCombination", "Approved BRAF V600E combination"),
    /**
     * RAS wild-type, but no plasma (ctDNA) RAS wild-type result since an earlier anti-EGFR course ended: RAS
     * may have changed under treatment; plasma RAS testing before re-challenge.
     */
    RAS_RECHALLENGE(
            "warning", "RasRechallenge", "Anti-EGFR re-challenge without a plasma RAS result after the earlier course"),
    /** RAS wild-type (only when the setting turns it on). */
    RAS_WILD_TYPE("info", "RasWildType", "Anti-EGFR antibody with RAS wild-type colorectal cancer"),
    /** patient-view: an open late-result DetectedIssue, a RAS result that came after the order contradicts it. */
    LATE_RAS_RESULT("critical", "LateRasResult", "A later RAS result contradicts a signed anti-EGFR order"),
    /** patient-view: metastatic colorectal cancer, RAS unknown or never tested: order extended RAS testing. */
    RAS_TESTING_METASTATIC("info", "RasTestingMetastatic", "Metastatic colorectal cancer without a known RAS status"),
    /** patient-view: a metastasis documented after the newest RAS result, which was not taken from a metastasis. */
    METASTASIS_RAS_TESTING("info", "MetastasisRasTesting", "Metastasis documented after a RAS result of the primary");

    public static final String TOPIC_SYSTEM = "http://rasguard.org/fhir/CodeSystem/cds-card-topic";

    private final String indicator;
    private final String topicCode;
    private final String topicDisplay;

    CardKind(String indicator, String topicCode, String topicDisplay) {
        this.indicator = indicator;
        this.topicCode = topicCode;
        this.topicDisplay = topicDisplay;
    }

    public String indicator() {
        return indicator;
    }

    public String topicCode() {
        return topicCode;
    }

    public String topicDisplay() {
        return topicDisplay;
    }

    /** A testing reminder of the patient-view service: at most one per patient per reminder window. */
    public boolean isTestingReminder() {
        return this == RAS_TESTING_METASTATIC || this == METASTASIS_RAS_TESTING;
    }
}
