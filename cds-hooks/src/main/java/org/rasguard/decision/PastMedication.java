package org.rasguard.decision;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Resource;

/**
 * One entry of the patient's medication history as the CDS adapter read it: a MedicationRequest,
 * MedicationAdministration or MedicationStatement, with its drug already resolved (its
 * medicationCodeableConcept, or the Medication its medicationReference points to).
 *
 * @param resource the MedicationRequest, MedicationAdministration or MedicationStatement
 * @param drug its drug, as a concept the drug matcher reads
 * @param resolved false when its medicationReference points to a Medication that was not sent: {@code drug}
 *     then holds only the reference's display, and one that names no anti-EGFR antibody leaves the history
 *     unreadable (it may have been one)
 */
public record PastMedication(Resource resource, CodeableConcept drug, boolean resolved) {}
