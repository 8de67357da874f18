package org.rasguard.cdshooks;

import java.time.Instant;
import java.util.List;
import org.hl7.fhir.r4.model.DetectedIssue;

/**
 * What the patient-view service keeps in our store besides the genomic evidence: the late-result
 * DetectedIssues (raised by the late-result detection, issue 18) and when a testing reminder was
 * last shown. Durable and shared by every replica: the server keeps both in its FHIR store.
 */
public interface ChartStore {

    /** Nothing stored: no late results, no reminder ever shown, mitigations refused. */
    ChartStore NONE = new ChartStore() {
        @Override
        public List<DetectedIssue> lateResults(List<String> patientIds) {
            return List.of();
        }

        @Override
        public boolean mitigate(String detectedIssueId, String action, Instant when) {
            return false;
        }

        @Override
        public Instant lastReminder(String serviceId, String ehrPatientId, Instant since) {
            return null;
        }
    };

    /**
     * The late-result DetectedIssues ({@code code} ras-detected-issue|late-ras-result) about any of these
     * Patients of ours, open or not (the decision picks the open ones), as stored.
     */
    List<DetectedIssue> lateResults(List<String> patientIds);

    /**
     * Closes a late-result DetectedIssue: adds a {@code mitigation} with this action
     * (late-result-mitigation {@code order-stopped} or {@code order-reviewed}) and date, through the
     * store's own write path. Idempotent: one already closed is left as it is.
     *
     * @param detectedIssueId our id, without type
     * @return true when it is closed now (by this call or before), false when there is no such DetectedIssue of ours
     */
    boolean mitigate(String detectedIssueId, String action, Instant when);

    /**
     * When this service last showed a testing reminder for the EHR's patient, not before {@code since};
     * null when it did not.
     */
    Instant lastReminder(String serviceId, String ehrPatientId, Instant since);
}
