package org.rasguard.cdshooks;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DetectedIssue;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Specimen;
import org.rasguard.decision.ChartFacts;
import org.rasguard.decision.Needed;
import org.rasguard.decision.PatientFacts;

/**
 * Everything known about the patient for one call, from prefetch, the client's FHIR server and our
 * genomics store.
 *
 * @param ehrPatient the client's Patient, or null when the client has none
 * @param conditions the client's Conditions
 * @param ehrEvidence the client's laboratory Observations, and the DiagnosticReports and Specimens sent with them
 * @param activeMedications the client's active MedicationRequests, or null when they could not be had
 * @param otherResources other resources the client sent with them (Medications included in a search)
 * @param storeEvidence Observations, DiagnosticReports and Specimens of the matching patients of our
 *     store, their ids prefixed so they cannot collide with the client's
 * @param storeTruncated our store held more of the patient's results than were read
 * @param cautions why a wild-type result on this evidence could not be trusted
 * @param notes what the clinician should know whatever the status (our store was not consulted)
 * @param missing prefetch keys whose data could be had from nowhere
 * @param pastMedications the medication history with each entry's drug ({@link MedicationHistory}), or null when a
 *     history key could not be had
 * @param chartResources what only patient-view reads from the client: ServiceRequests, Specimens, staging Observations
 * @param storePatientIds our store's records of the person ({@link StorePatientMatcher}), where its late results are found
 */
record PatientRecord(
        Patient ehrPatient,
        List<Condition> conditions,
        List<Resource> ehrEvidence,
        List<MedicationRequest> activeMedications,
        List<Resource> otherResources,
        List<Resource> storeEvidence,
        boolean storeTruncated,
        List<String> cautions,
        List<String> notes,
        List<PrefetchKey> missing,
        List<org.rasguard.decision.PastMedication> pastMedications,
        List<Resource> chartResources,
        List<String> storePatientIds) {

    /**
     * What the decision is told: the EHR's and our store's evidence together, the drug of every draft
     * order (any entry, selected or not, not cancelled) and every active medication, and what is
     * missing as the decision names it.
     */
    PatientFacts facts(Bundle draftOrders) {
        List<Resource> evidence = new ArrayList<>(ehrEvidence);
        evidence.addAll(storeEvidence);
        Stream<MedicationRequest> drafts = draftOrders.getEntry().stream()
                .map(Bundle.BundleEntryComponent::getResource)
                .filter(MedicationRequest.class::isInstance)
                .map(MedicationRequest.class::cast)
                .filter(order -> order.getStatus() != MedicationRequest.MedicationRequestStatus.ENTEREDINERROR
                        && order.getStatus() != MedicationRequest.MedicationRequestStatus.CANCELLED);
        Stream<MedicationRequest> active = activeMedications == null
                ? Stream.empty()
                : activeMedications.stream()
                        .filter(order -> order.getStatus() == MedicationRequest.MedicationRequestStatus.ACTIVE);
        List<CodeableConcept> medications = Stream.concat(drafts, active)
                .map(order -> MedicationResolver.local(order, draftOrders, otherResources)
                        .orElseGet(() -> MedicationResolver.displayOnly(order)))
                .toList();
        return new PatientFacts(
                conditions,
                evidence,
                storeTruncated,
                medications,
                activeMedications != null,
                cautions,
                notes,
                needed(),
                pastMedications);
    }

    /**
     * What a patient-view decision is told: the EHR's and our store's evidence together, the client's
     * ServiceRequests, Specimens and staging Observations, our store's late results of the person, and
     * when a reminder was last shown.
     */
    ChartFacts chartFacts(
            List<DetectedIssue> lateResults, java.util.function.Supplier<java.time.Instant> lastReminder) {
        List<Resource> evidence = new ArrayList<>(ehrEvidence);
        evidence.addAll(storeEvidence);
        return new ChartFacts(
                conditions,
                evidence,
                chartResources.stream()
                        .filter(Observation.class::isInstance)
                        .map(Observation.class::cast)
                        .toList(),
                chartResources.stream()
                        .filter(Specimen.class::isInstance)
                        .map(Specimen.class::cast)
                        .toList(),
                chartResources.stream()
                        .filter(ServiceRequest.class::isInstance)
                        .map(ServiceRequest.class::cast)
                        .toList(),
                lateResults,
                lastReminder,
                storeTruncated,
                cautions,
                needed());
    }

    /**
     * What the decision may need of the keys that could not be had, in key order: the diagnoses and the
     * results (the active medications it asks for itself, only when they decide between two cards).
     */
    private List<Needed> needed() {
        return Stream.of(Needed.DIAGNOSES, Needed.RESULTS)
                .filter(needed -> missing.containsAll(PrefetchKey.carrying(needed)))
                .toList();
    }
}
