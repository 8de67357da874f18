package org.rasguard.cdshooks;

/**
 * Told about every CDS call that got past request checking (the audit trail and the metrics listen
 * here). Called on the thread answering the call, so it must return at once; whatever it throws is
 * ignored: an observer never changes the answer a clinician gets.
 */
public interface DecisionObserver {

    DecisionObserver NONE = decision -> {};

    /** The request is read and valid: its hookInstance is known (e.g. to correlate log lines). */
    default void started(String serviceId, String hookInstance) {}

    /** The call is decided: answered with cards (possibly none), or failed with a 412 or a 500. */
    void decided(Decision decision);
}
