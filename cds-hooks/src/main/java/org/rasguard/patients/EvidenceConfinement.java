package org.rasguard.patients;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Composition;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Specimen;

/**
 * Keeps a patient's evidence to resources about that patient. A result of patient A may name B's
 * results (hasMember, derivedFrom, a report's result list); following such a link would let A's record
 * decide B's treatment, or show B's results to whoever may read A's. So only a resource whose subject
 * is one of the patient's own records is kept; everything else read on the way is left out, and
 * counted, so that the decision knows its evidence is not whole.
 *
 * <p>Bundles stored as resources (documents, collections) keep only the entries about the patient.
 * A subject written as a bare identifier, with no reference, is left out here: the store resolves
 * such references when results are posted.
 */
public final class EvidenceConfinement {

    /**
     * @param kept the resources about the patient
     * @param leftOut {@code Type/id} of each resource left out (entries of a Bundle as {@code Bundle/id#n})
     */
    public record Confined(List<Resource> kept, List<String> leftOut) {
        public Confined {
            kept = List.copyOf(kept);
            leftOut = List.copyOf(leftOut);
        }
    }

    private EvidenceConfinement() {}

    /**
     * @param patientIds ids of the patient's own records in the id space of the resources (our store's ids)
     */
    public static Confined confine(List<? extends Resource> resources, Set<String> patientIds) {
        List<Resource> kept = new ArrayList<>();
        List<String> leftOut = new ArrayList<>();
        for (Resource resource : resources) {
            if (resource instanceof Bundle bundle) {
                kept.add(confineBundle(bundle, patientIds, leftOut));
            } else if (isAbout(resource, patientIds)) {
                leaveOutContained(
                        resource,
                        reference -> PatientReference.patientId(reference)
                                .filter(patientIds::contains)
                                .isPresent(),
                        leftOut);
                kept.add(resource);
            } else {
                leftOut.add(name(resource));
            }
        }
        return new Confined(kept, leftOut);
    }

    /**
     * Takes out of a resource the contained results whose subject names someone (a contained result
     * with no subject is the container's). A report of A holding B's results as contained resources
     * must not show them as A's.
     *
     * @param isOwn whether a subject reference names the patient
     * @param leftOut where to name what was taken out
     */
    public static void leaveOutContained(
            Resource resource, java.util.function.Predicate<Reference> isOwn, List<String> leftOut) {
        if (!(resource instanceof org.hl7.fhir.r4.model.DomainResource domain) || !domain.hasContained()) {
            return;
        }
        domain.getContained().removeIf(contained -> {
            Reference subject = subject(contained);
            boolean foreign =
                    subject != null && (subject.hasReference() || subject.hasIdentifier()) && !isOwn.test(subject);
            if (foreign) {
                leftOut.add(name(resource) + "#" + contained.getIdElement().getIdPart());
            }
            return foreign;
        });
    }

    /** True when the resource's subject (a Patient's own id) is one of the patient's records. */
    public static boolean isAbout(Resource resource, Set<String> patientIds) {
        if (resource instanceof Patient patient) {
            return patient.getIdElement().hasIdPart()
                    && patientIds.contains(patient.getIdElement().getIdPart());
        }
        Reference subject = subject(resource);
        if (subject == null) {
            // A type without a subject (Medication) carries no patient data; one that should have it and has none is
            // left out.
            return !aboutSomeone(resource);
        }
        return PatientReference.patientId(subject).filter(patientIds::contains).isPresent();
    }

    /** Types that are about a patient, so that one without a subject is about no one we know. */
    private static boolean aboutSomeone(Resource resource) {
        return resource instanceof Observation
                || resource instanceof DiagnosticReport
                || resource instanceof Specimen
                || resource instanceof Condition
                || resource instanceof MedicationRequest
                || resource instanceof Composition
                || resource instanceof org.hl7.fhir.r4.model.MedicationAdministration
                || resource instanceof org.hl7.fhir.r4.model.MedicationStatement;
    }

    /** The subject of a resource that is about a patient (Observation, DiagnosticReport, Specimen, Condition, MedicationRequest, MedicationAdministration, MedicationStatement, Composition), or null. */
    public static Reference subject(Resource resource) {
        if (resource instanceof Observation observation) {
            return observation.hasSubject() ? observation.getSubject() : null;
        }
        if (resource instanceof DiagnosticReport report) {
            return report.hasSubject() ? report.getSubject() : null;
        }
        if (resource instanceof Specimen specimen) {
            return specimen.hasSubject() ? specimen.getSubject() : null;
        }
        if (resource instanceof Condition condition) {
            return condition.hasSubject() ? condition.getSubject() : null;
        }
        if (resource instanceof MedicationRequest request) {
            return request.hasSubject() ? request.getSubject() : null;
        }
        if (resource instanceof org.hl7.fhir.r4.model.MedicationAdministration administration) {
            return administration.hasSubject() ? administration.getSubject() : null;
        }
        if (resource instanceof org.hl7.fhir.r4.model.MedicationStatement statement) {
            return statement.hasSubject() ? statement.getSubject() : null;
        }
        if (resource instanceof Composition composition) {
            return composition.hasSubject() ? composition.getSubject() : null;
        }
        if (resource instanceof org.hl7.fhir.r4.model.ServiceRequest request) {
            return request.hasSubject() ? request.getSubject() : null;
        }
        return null;
    }

    /**
     * A copy of the Bundle with the entries about someone else taken out. Inside a document or
     * collection the subject is often the Bundle's own Patient entry ({@code urn:uuid:…}); the store
     * found the Bundle by that patient, so with exactly one Patient entry, entries about it are kept.
     * With two or more, only entries naming one of the patient's own records are.
     */
    private static Bundle confineBundle(Bundle bundle, Set<String> patientIds, List<String> leftOut) {
        List<Bundle.BundleEntryComponent> patients = bundle.getEntry().stream()
                .filter(entry -> entry.getResource() instanceof Patient)
                .toList();
        Set<String> ownEntry = new java.util.HashSet<>();
        if (patients.size() == 1) {
            Bundle.BundleEntryComponent only = patients.get(0);
            if (only.hasFullUrl()) {
                ownEntry.add(only.getFullUrl());
            }
            if (only.getResource().getIdElement().hasIdPart()) {
                ownEntry.add("Patient/" + only.getResource().getIdElement().getIdPart());
            }
        }
        Bundle copy = bundle.copy();
        copy.getEntry().clear();
        int index = 0;
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            Resource resource = entry.getResource();
            boolean keep = resource != null
                    && !(resource instanceof Bundle)
                    && (resource instanceof Patient
                            ? ownEntry.contains(entry.getFullUrl()) || isAbout(resource, patientIds)
                            : isAbout(resource, patientIds) || aboutEntry(resource, ownEntry));
            if (keep) {
                copy.addEntry(entry.copy());
            } else {
                leftOut.add(name(bundle) + "#" + index);
            }
            index++;
        }
        return copy;
    }

    private static boolean aboutEntry(Resource resource, Set<String> ownEntry) {
        Reference subject = subject(resource);
        if (subject == null) {
            return !aboutSomeone(resource);
        }
        return subject.hasReference() && ownEntry.contains(subject.getReference());
    }

    private static String name(Resource resource) {
        return resource.fhirType() + "/"
                + (resource.getIdElement().hasIdPart() ? resource.getIdElement().getIdPart() : "?");
    }
}
