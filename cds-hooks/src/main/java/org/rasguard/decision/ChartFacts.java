package org.rasguard.decision;

import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DetectedIssue;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Specimen;

/**
 * What a patient-view decision is given about the patient, however it was had (prefetch, the
 * client's FHIR server, our store).
 *
 * @param conditions the patient's diagnoses
 * @param evidence the genomic results (Observations, DiagnosticReports, Specimens), the client's and our store's
 * @param staging other Observations that may stage the cancer (TNM M category, stage group)
 * @param specimens every Specimen of the patient (biopsies with or without a RAS result)
 * @param orders the patient's ServiceRequests (a RAS test already ordered suppresses the reminders)
 * @param lateResults our store's late-result DetectedIssues of the patient (open or not; the decision picks the open ones)
 * @param lastReminder when a testing reminder was last shown for this patient (null: never, or not within the
 *     window); asked only when a reminder is due, as it costs a search of the audit trail
 * @param evidenceCutShort our store held more of the patient's results than were read
 * @param cautions why a wild-type result on this evidence could not be trusted
 * @param missing what could be had from nowhere (diagnoses, results)
 */
public record ChartFacts(
        List<Condition> conditions,
        List<Resource> evidence,
        List<Observation> staging,
        List<Specimen> specimens,
        List<ServiceRequest> orders,
        List<DetectedIssue> lateResults,
        Supplier<Instant> lastReminder,
        boolean evidenceCutShort,
        List<String> cautions,
        List<Needed> missing) {

    public ChartFacts {
        conditions = List.copyOf(conditions);
        evidence = List.copyOf(evidence);
        staging = List.copyOf(staging);
        specimens = List.copyOf(specimens);
        orders = List.copyOf(orders);
        lateResults = List.copyOf(lateResults);
        cautions = List.copyOf(cautions);
        missing = List.copyOf(missing);
    }
}
