package org.rasguard.ras;

/** The RAS status of a patient; {@link #code()} is the code in {@code http://rasguard.org/fhir/CodeSystem/ras-status}. */
public enum RasStatus {
    MUTATED("mutated"),
    WILD_TYPE("wild-type"),
    UNKNOWN("unknown");

    public static final String SYSTEM = "http://rasguard.org/fhir/CodeSystem/ras-status";

    private final String code;

    RasStatus(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
