package org.rasguard.cdshooks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.rasguard.patients.EvidenceConfinement;

/**
 * Our genomics store in memory, for in-process tests of the CDS service. Keeps the contract of the
 * real one (fhir-server's JpaEvidenceStore, tested against HAPI JPA by the ITs): fresh copies on every
 * read, evidence confined to the patient's records, a cap that says when it was reached. What is
 * added for a patient stands for what the real store reaches from that patient (their results and the
 * resources those link to), so a resource about someone else added under a patient is "linked".
 */
final class InMemoryEvidenceStore implements EvidenceStore {

    private final Map<String, Patient> patients = new LinkedHashMap<>();
    private final Map<String, List<Resource>> evidence = new LinkedHashMap<>();

    void addPatient(Patient patient) {
        patients.put(patient.getIdElement().getIdPart(), patient);
    }

    void addEvidence(String patientId, Resource resource) {
        evidence.computeIfAbsent(patientId, id -> new ArrayList<>()).add(resource);
    }

    @Override
    public Optional<Patient> patient(String id) {
        return Optional.ofNullable(patients.get(id)).map(Patient::copy);
    }

    @Override
    public List<Patient> patientsByIdentifier(String system, String value, int limit) {
        return patients.values().stream()
                .filter(p -> p.getIdentifier().stream()
                        .anyMatch(i -> system.equals(i.getSystem()) && value.equals(i.getValue())))
                .limit(limit)
                .map(Patient::copy)
                .toList();
    }

    @Override
    public StoredEvidence evidence(List<String> patientIds, int maxResources) {
        List<Resource> reached = new ArrayList<>();
        patientIds.forEach(
                id -> evidence.getOrDefault(id, List.of()).forEach(resource -> reached.add(resource.copy())));
        boolean truncated = reached.size() > maxResources;
        List<Resource> read = truncated ? reached.subList(0, maxResources) : reached;
        EvidenceConfinement.Confined confined = EvidenceConfinement.confine(read, Set.copyOf(patientIds));
        return new StoredEvidence(confined.kept(), truncated, confined.leftOut());
    }
}
