package org.rasguard.decision;

/** Parts of the patient's record a decision may need and not have; the CDS adapter names them as prefetch keys. */
public enum Needed {
    /** The patient's diagnoses (Conditions): without them the indication is unknown. */
    DIAGNOSES,
    /** The patient's laboratory results: without them RAS status is unknown. */
    RESULTS,
    /** The patient's active medications: whether the approved KRAS G12C partner is already given. */
    ACTIVE_MEDICATIONS,
    /**
     * The patient's medication history (earlier requests, administrations, statements): whether a
     * wild-type result predates an earlier anti-EGFR course.
     */
    TREATMENT_HISTORY
}
