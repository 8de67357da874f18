package org.rasguard.decision;

import java.util.List;
import org.rasguard.ras.RasAssessment;

/**
 * The decision cannot be made: data it needs could be had from nowhere. A stable code and what was
 * missing, never an HTTP status: the CDS adapter maps it (to 412, CDS Hooks 2.0 §Prefetch: the
 * service "SHALL" fetch what it needs or fail).
 */
public final class Undecidable extends RuntimeException {

    /** The stable code of this failure, {@code data-unavailable}. */
    public static final String DATA_UNAVAILABLE = "data-unavailable";

    private final List<Needed> needed;
    private final transient RasAssessment assessment;

    Undecidable(List<Needed> needed, RasAssessment assessment) {
        super(DATA_UNAVAILABLE, null, false, false);
        this.needed = List.copyOf(needed);
        this.assessment = assessment;
    }

    public String code() {
        return DATA_UNAVAILABLE;
    }

    /** What was needed and missing, in {@link Needed} order. */
    public List<Needed> needed() {
        return needed;
    }

    /** The RAS assessment over what could be had (for the audit trail), or null. */
    public RasAssessment assessment() {
        return assessment;
    }
}
