package org.rasguard.ras;

/**
 * Why the RAS status is unknown; {@link #code()} is the code in
 * {@code http://rasguard.org/fhir/CodeSystem/ras-unknown-reason}, whose definitions say what each means.
 */
public enum UnknownReason {
    NOT_TESTED("not-tested"),
    KRAS_ONLY("kras-only"),
    NRAS_ONLY("nras-only"),
    PARTIAL_COVERAGE("partial-coverage"),
    INDETERMINATE("indeterminate"),
    VUS("vus"),
    PRELIMINARY_ONLY("preliminary-only"),
    CTDNA_ONLY("ctdna-only"),
    CONFLICT("conflict"),
    TRUNCATED("truncated"),
    EVIDENCE_INCOMPLETE("evidence-incomplete");

    public static final String SYSTEM = "http://rasguard.org/fhir/CodeSystem/ras-unknown-reason";

    private final String code;

    UnknownReason(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
