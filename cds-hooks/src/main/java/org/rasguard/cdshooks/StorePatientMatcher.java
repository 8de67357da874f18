package org.rasguard.cdshooks;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.Patient;
import org.rasguard.patients.PersonIdentity;

/**
 * Finds our store's records of the person a call is about. The EHR's patient id names a record on the
 * EHR's server; ours are numbered by HAPI, so the same number is usually someone else. A record of
 * ours is the patient's only when it shares a person identifier with the EHR's Patient and disagrees
 * on none ({@link PersonIdentity}); by id only when both sides use one id space (the call's
 * {@code fhirServer} is this server, or the operator says so with {@code RASGUARD_CDS_SHARED_PATIENT_IDS}).
 */
public final class StorePatientMatcher {

    static final int MAX_IDENTIFIERS = 10;
    static final int MAX_PATIENTS_PER_IDENTIFIER = 5;

    /**
     * @param ids our Patient ids of the person (empty: the store holds nothing usable)
     * @param cautions why a wild-type result cannot be trusted (a record that disagrees, several records)
     * @param notes what the clinician should know though it does not change the status (the store was not consulted)
     */
    public record Matched(List<String> ids, List<String> cautions, List<String> notes) {
        public Matched {
            ids = List.copyOf(ids);
            cautions = List.copyOf(cautions);
            notes = List.copyOf(notes);
        }
    }

    private final EvidenceStore store;
    private final PersonIdentity identity;

    public StorePatientMatcher(EvidenceStore store, PersonIdentity identity) {
        this.store = store;
        this.identity = identity;
    }

    /**
     * @param ehrPatientId {@code context.patientId}
     * @param ehrPatient the EHR's Patient, or null when it could not be had
     * @param sameIdSpace the EHR's ids are our ids
     */
    public Matched forEhrPatient(String ehrPatientId, Patient ehrPatient, boolean sameIdSpace) {
        Set<String> ids = new LinkedHashSet<>();
        List<String> cautions = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        if (sameIdSpace) {
            Optional<Patient> ours = store.patient(ehrPatientId);
            if (ours.isPresent()) {
                PersonIdentity.Match match =
                        ehrPatient == null ? PersonIdentity.Match.SAME_PERSON : identity.match(ehrPatient, ours.get());
                if (match == PersonIdentity.Match.CONFLICT || match == PersonIdentity.Match.AMBIGUOUS) {
                    cautions.add(StoreCautions.DISAGREES);
                } else {
                    ids.add(ehrPatientId);
                }
            }
        } else if (ehrPatient == null) {
            notes.add(StoreCautions.NOT_CONSULTED);
            return new Matched(List.of(), cautions, notes);
        }
        if (ehrPatient != null) {
            List<Map.Entry<String, String>> searchable = identity.searchable(ehrPatient);
            if (identity.hasAmbiguousIdentifiers(ehrPatient)) {
                cautions.add(StoreCautions.AMBIGUOUS);
            }
            if (searchable.isEmpty() && !sameIdSpace && !identity.hasAmbiguousIdentifiers(ehrPatient)) {
                notes.add(StoreCautions.NO_IDENTIFIER);
            }
            addSamePerson(ehrPatient, searchable, ids, cautions);
        }
        if (ids.size() > 1) {
            cautions.add(StoreCautions.SEVERAL);
        }
        return new Matched(List.copyOf(ids), distinct(cautions), notes);
    }

    /**
     * Our other records of the person {@code ours} is a record of (for {@code $ras-status}): those
     * sharing a person identifier with it and disagreeing on none; {@code ours} itself first.
     */
    public Matched forStorePatient(Patient ours) {
        Set<String> ids = new LinkedHashSet<>();
        ids.add(ours.getIdElement().getIdPart());
        List<String> cautions = new ArrayList<>();
        if (identity.hasAmbiguousIdentifiers(ours)) {
            cautions.add(StoreCautions.AMBIGUOUS);
        }
        addSamePerson(ours, identity.searchable(ours), ids, cautions);
        return new Matched(List.copyOf(ids), distinct(cautions), List.of());
    }

    private void addSamePerson(
            Patient patient, List<Map.Entry<String, String>> searchable, Set<String> ids, List<String> cautions) {
        List<Patient> linked = new ArrayList<>();
        int asked = 0;
        for (Map.Entry<String, String> identifier : searchable) {
            if (asked++ >= MAX_IDENTIFIERS) {
                break;
            }
            for (Patient candidate : store.patientsByIdentifier(
                    identifier.getKey(), identifier.getValue(), MAX_PATIENTS_PER_IDENTIFIER)) {
                String id = candidate.getIdElement().getIdPart();
                if (id == null || ids.contains(id)) {
                    continue;
                }
                switch (identity.match(patient, candidate)) {
                    case SAME_PERSON -> {
                        if (disagreesWithLinked(candidate, linked)) {
                            cautions.add(
                                    StoreCautions.DISAGREES); // two of our records of "the same person" contradict each
                            // other
                        } else {
                            ids.add(id);
                            linked.add(candidate);
                        }
                    }
                    case CONFLICT, AMBIGUOUS -> cautions.add(StoreCautions.DISAGREES);
                    case UNRELATED -> {}
                }
            }
        }
    }

    private boolean disagreesWithLinked(Patient candidate, List<Patient> linked) {
        return linked.stream()
                .map(other -> identity.match(candidate, other))
                .anyMatch(match -> match == PersonIdentity.Match.CONFLICT || match == PersonIdentity.Match.AMBIGUOUS);
    }

    private static List<String> distinct(List<String> values) {
        return List.copyOf(new LinkedHashSet<>(values));
    }
}
