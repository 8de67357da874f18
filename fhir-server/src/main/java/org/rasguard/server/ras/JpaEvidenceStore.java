package org.rasguard.server.ras;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.rasguard.cdshooks.EvidenceStore;
import org.rasguard.patients.PersonIdentity;

/**
 * Our genomics store for the CDS service: HAPI's DAOs called in-process (no HTTP), as the system.
 * The evidence of a patient is what {@link PatientEvidenceLoader} reads for {@code $ras-status}, so
 * both see the same results.
 */
public final class JpaEvidenceStore implements EvidenceStore {

    private final DaoRegistry daos;
    private final PatientEvidenceLoader loader;

    public JpaEvidenceStore(DaoRegistry daos, PersonIdentity identity) {
        this.daos = daos;
        this.loader = new PatientEvidenceLoader(daos, identity);
    }

    @Override
    public Optional<Patient> patient(String id) {
        IFhirResourceDao<Patient> patients = daos.getResourceDao(Patient.class);
        try {
            return Optional.of(patients.read(new IdType("Patient", id), new SystemRequestDetails()));
        } catch (ResourceNotFoundException | ResourceGoneException e) {
            return Optional.empty();
        }
    }

    @Override
    public List<Patient> patientsByIdentifier(String system, String value, int limit) {
        SearchParameterMap query = SearchParameterMap.newSynchronous("identifier", new TokenParam(system, value));
        query.setLoadSynchronousUpTo(limit);
        List<Patient> out = new ArrayList<>();
        for (IBaseResource resource : daos.getResourceDao(Patient.class)
                .search(query, new SystemRequestDetails())
                .getResources(0, limit)) {
            out.add((Patient) resource);
        }
        return out;
    }

    @Override
    public StoredEvidence evidence(List<String> patientIds, int maxResources) {
        return loader.load(patientIds, maxResources, new SystemRequestDetails());
    }
}
