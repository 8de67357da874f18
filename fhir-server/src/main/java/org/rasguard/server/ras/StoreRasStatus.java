package org.rasguard.server.ras;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.rasguard.cdshooks.EvidenceStore.StoredEvidence;
import org.rasguard.cdshooks.StoreCautions;
import org.rasguard.cdshooks.StorePatientMatcher;
import org.rasguard.patients.PersonIdentity;
import org.rasguard.ras.RasAssessment;
import org.rasguard.ras.RasStatusEngine;

/**
 * The RAS status of one of our store's patients, as {@code $ras-status} answers it: the person's
 * records (sharing a person identifier), their evidence read within the cap, the engine's verdict,
 * and a wild-type not trusted when the evidence was cut short or incomplete. One implementation for
 * {@code $ras-status} and the late-result check, so both always agree.
 */
public final class StoreRasStatus {

    /**
     * @param assessment the verdict, already made fail-safe (cut short or incomplete: never wild-type)
     * @param patientIds our records of the person, the one asked about first
     * @param cautions why the evidence may be incomplete
     */
    public record Result(RasAssessment assessment, List<String> patientIds, List<String> cautions) {
        public Result {
            patientIds = List.copyOf(patientIds);
            cautions = List.copyOf(cautions);
        }
    }

    private final DaoRegistry daos;
    private final PatientEvidenceLoader evidence;
    private final StorePatientMatcher records;
    private final RasStatusEngine engine;
    private final int maxResources;
    private final PersonIdentity identity;

    public StoreRasStatus(DaoRegistry daos, RasStatusEngine engine, PersonIdentity identity, int maxResources) {
        this.daos = daos;
        this.identity = identity;
        this.evidence = new PatientEvidenceLoader(daos, identity);
        this.records = new StorePatientMatcher(new JpaEvidenceStore(daos, identity), identity);
        this.engine = engine;
        this.maxResources = maxResources;
    }

    /**
     * Our records of the person (the one asked about first), without reading any evidence: two small reads.
     *
     * @throws ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException when there is no such patient
     */
    public List<String> recordsOf(IdType patientId, RequestDetails request) {
        return personOf(patientId, request).storePatientIds();
    }

    /**
     * The person as the audit trail names them: our records of the person and the asked record's person
     * identifiers ({@code system|value}, one value per system).
     */
    public record Person(List<String> storePatientIds, List<String> identifiers) {}

    /** Our Patient ids that carry one of these person identifiers ({@code system|value}); a system read. */
    public java.util.Set<String> patientsWithIdentifiers(java.util.Collection<String> identifiers) {
        java.util.Set<String> ids = new java.util.LinkedHashSet<>();
        for (String identifier : identifiers) {
            Map.Entry<String, String> key = PersonIdentity.splitKey(identifier);
            ca.uhn.fhir.jpa.searchparam.SearchParameterMap query =
                    ca.uhn.fhir.jpa.searchparam.SearchParameterMap.newSynchronous(
                            Patient.SP_IDENTIFIER, new ca.uhn.fhir.rest.param.TokenParam(key.getKey(), key.getValue()));
            daos.getResourceDao("Patient")
                    .searchForResources(query, new ca.uhn.fhir.rest.api.server.SystemRequestDetails())
                    .forEach(found -> ids.add(((org.hl7.fhir.instance.model.api.IBaseResource) found)
                            .getIdElement()
                            .getIdPart()));
        }
        return ids;
    }

    /** @throws ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException when there is no such patient */
    public Person personOf(IdType patientId, RequestDetails request) {
        Patient ours = (Patient) daos.getResourceDao("Patient").read(patientId.toUnqualifiedVersionless(), request);
        return new Person(records.forStorePatient(ours).ids(), identity.searchableKeys(ours));
    }

    /** @throws ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException when there is no such patient */
    public Result of(IdType patientId, RequestDetails request) {
        Patient ours = (Patient) daos.getResourceDao("Patient").read(patientId.toUnqualifiedVersionless(), request);
        StorePatientMatcher.Matched person = records.forStorePatient(ours);
        StoredEvidence stored = evidence.load(person.ids(), maxResources, request);
        RasAssessment assessment = engine.assess(stored.resources());
        if (stored.truncated()) {
            assessment = assessment.cutShort();
        }
        List<String> cautions = new ArrayList<>(person.cautions());
        cautions.addAll(StoreCautions.ofReading(stored, maxResources));
        if (!cautions.isEmpty()) {
            assessment = assessment.incomplete(); // as the CDS service does: such a wild-type is not trusted
        }
        return new Result(assessment, person.ids(), cautions);
    }
}
