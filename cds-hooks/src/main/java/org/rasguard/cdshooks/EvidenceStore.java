package org.rasguard.cdshooks;

import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;

/**
 * RAS Guard's own genomics store (the FHIR API at {@code /fhir}), where labs post KRAS / NRAS results
 * that the EHR seldom holds in structured form. Reads only; every answer is bounded, and says when a
 * bound was reached.
 */
public interface EvidenceStore {

    /** Our Patient with this id, if any. */
    Optional<Patient> patient(String id);

    /** Our Patients carrying this identifier ({@code system|value}), at most {@code limit}. */
    List<Patient> patientsByIdentifier(String system, String value, int limit);

    /**
     * The genomic evidence of one person: the Observations, DiagnosticReports, Specimens and stored
     * Bundles whose subject is one of {@code patientIds} (our records of that person), and nothing
     * about anyone else, whatever their results link to.
     *
     * @param maxResources read at most this many resources; past it the answer says {@code truncated}
     */
    StoredEvidence evidence(List<String> patientIds, int maxResources);

    /**
     * @param resources the resources, as stored, each about one of the patient's records
     * @param truncated true when there was more than {@code maxResources}: the evidence is incomplete
     * @param leftOut {@code Type/id} of resources linked from the patient's results (hasMember,
     *     derivedFrom, a report's result, a specimen) that are about someone else, so were not used
     */
    record StoredEvidence(List<Resource> resources, boolean truncated, List<String> leftOut) {
        public StoredEvidence {
            resources = List.copyOf(resources);
            leftOut = List.copyOf(leftOut);
        }
    }
}
