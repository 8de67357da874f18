package org.rasguard.cdshooks;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Type;
import org.rasguard.decision.PastMedication;

/**
 * The patient's medication history from the three history keys ({@link PrefetchKey#HISTORY}), each
 * entry with its drug found without a network call ({@link MedicationResolver}: the medication[x]
 * itself, a contained Medication, or one the keys included). A Medication found nowhere is not read
 * from the FHIR server: the entry keeps the reference's display and is marked unresolved, and the
 * decision counts the history unreadable unless the display names an anti-EGFR antibody.
 */
final class MedicationHistory {

    private MedicationHistory() {}

    /**
     * @param keys the history keys' data; null when one of them could not be had
     * @param about whether a resource is about the call's patient (others are left out)
     * @return the history, or null when a key is missing
     */
    static List<PastMedication> of(List<RecordGatherer.KeyData> keys, Predicate<Resource> about) {
        List<Resource> all = new ArrayList<>();
        for (RecordGatherer.KeyData key : keys) {
            if (key.missing() != null) {
                return null;
            }
            all.addAll(key.resources());
        }
        List<Resource> medications =
                all.stream().filter(Medication.class::isInstance).toList();
        List<PastMedication> out = new ArrayList<>();
        for (Resource resource : all) {
            Type medication = medicationOf(resource);
            if (medication == null || !about.test(resource)) {
                continue;
            }
            Optional<CodeableConcept> drug = MedicationResolver.local(
                    medication, ((DomainResource) resource).getContained(), new Bundle(), medications);
            out.add(drug.map(found -> new PastMedication(resource, found, true))
                    .orElseGet(() -> new PastMedication(resource, MedicationResolver.displayOnly(medication), false)));
        }
        return out;
    }

    private static Type medicationOf(Resource resource) {
        if (resource instanceof MedicationRequest request) {
            return request.getMedication();
        }
        if (resource instanceof MedicationAdministration administration) {
            return administration.getMedication();
        }
        if (resource instanceof MedicationStatement statement) {
            return statement.getMedication();
        }
        return null;
    }
}
