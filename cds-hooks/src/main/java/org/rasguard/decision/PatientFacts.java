package org.rasguard.decision;

import java.util.List;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Resource;

/**
 * What a decision is given about the patient, however it was had (prefetch, the client's FHIR
 * server, our genomics store).
 *
 * @param conditions the patient's diagnoses
 * @param evidence the genomic results (Observations, DiagnosticReports, Specimens), the client's and our store's
 * @param evidenceCutShort our store held more of the patient's results than were read
 * @param otherMedications the drug of every draft order (selected or not, not cancelled) and of every active
 *     medication: where an approved partner drug would be found
 * @param activeMedicationsKnown false when the active medications could not be had
 * @param cautions why a wild-type result on this evidence could not be trusted
 * @param notes what the clinician should know whatever the status (our store was not consulted)
 * @param missing what the decision may need and could be had from nowhere (diagnoses, results), in that order
 * @param pastMedications the medication history (earlier requests, administrations, statements), each with its
 *     drug; null when it could not be had in full (a key missing, a drug that could not be resolved)
 */
public record PatientFacts(
        List<Condition> conditions,
        List<Resource> evidence,
        boolean evidenceCutShort,
        List<CodeableConcept> otherMedications,
        boolean activeMedicationsKnown,
        List<String> cautions,
        List<String> notes,
        List<Needed> missing,
        List<PastMedication> pastMedications) {

    public PatientFacts {
        conditions = List.copyOf(conditions);
        evidence = List.copyOf(evidence);
        otherMedications = List.copyOf(otherMedications);
        cautions = List.copyOf(cautions);
        notes = List.copyOf(notes);
        missing = List.copyOf(missing);
        pastMedications = pastMedications == null ? null : List.copyOf(pastMedications);
    }
}
