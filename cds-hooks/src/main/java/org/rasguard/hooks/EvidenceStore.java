package org.rasguard.hooks;

import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;

/**
 * RAS Guard's own genomics store (the FHIR API at {@code /fhir}), where labs post KRAS / NRAS results
 * that the EHR seldom holds in structured form. Reads only; every answer is bounded.
 */
public interface EvidenceStore {

    /** Our Patient with this id, if any. */
    Optional<Patient> patient(String id);

    /** Our Patients carrying this identifier ({@code system|value}), at most {@code limit}. */
    List<Patient> patientsByIdentifier(String system, String value, int limit);

    /** The patient's Observations, DiagnosticReports and Specimens, at most {@code limit} of each. */
    StoredEvidence evidence(String patientId, int limit);

    /**
     * @param resources the resources, as stored
     * @param truncated true when a limit was hit, so the evidence may be incomplete
     */
    record StoredEvidence(List<Resource> resources, boolean truncated) {
        public StoredEvidence {
            resources = List.copyOf(resources);
        }
    }
}
