package org.rasguard.hooks;

import java.util.List;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;

/**
 * Everything known about the patient for one call, from prefetch, the client's FHIR server and our
 * genomics store.
 *
 * @param ehrPatient the client's Patient, or null when the client has none
 * @param conditions the client's Conditions
 * @param observations the client's laboratory Observations
 * @param activeMedications the client's active MedicationRequests, or null when they could not be had
 * @param otherResources other resources the client sent with them (Medications included in a search)
 * @param storeEvidence Observations, DiagnosticReports and Specimens of the matching patients of our
 *     store, their ids prefixed so they cannot collide with the client's
 * @param cautions why a wild-type result on this evidence could not be trusted
 * @param missing prefetch keys whose data could be had from nowhere
 */
public record PatientRecord(
        Patient ehrPatient,
        List<Condition> conditions,
        List<Observation> observations,
        List<MedicationRequest> activeMedications,
        List<Resource> otherResources,
        List<Resource> storeEvidence,
        List<String> cautions,
        List<PrefetchKey> missing) {}
