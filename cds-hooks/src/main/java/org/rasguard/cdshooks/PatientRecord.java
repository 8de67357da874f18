package org.rasguard.cdshooks;

import java.util.List;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;

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
 */
public record PatientRecord(
        Patient ehrPatient,
        List<Condition> conditions,
        List<Resource> ehrEvidence,
        List<MedicationRequest> activeMedications,
        List<Resource> otherResources,
        List<Resource> storeEvidence,
        boolean storeTruncated,
        List<String> cautions,
        List<String> notes,
        List<PrefetchKey> missing) {}
