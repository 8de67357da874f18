package org.rasguard.server.ras;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.model.api.Include;
import ca.uhn.fhir.model.api.ResourceMetadataKeyEnum;
import ca.uhn.fhir.model.valueset.BundleEntrySearchModeEnum;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.ReferenceOrListParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.hl7.fhir.instance.model.api.IAnyResource;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.rasguard.cdshooks.EvidenceStore.StoredEvidence;
import org.rasguard.patients.EvidenceConfinement;
import org.rasguard.patients.PersonIdentity;

/**
 * Reads from our store everything the RAS engine needs about one person: the Observations,
 * DiagnosticReports and Specimens whose subject is one of the person's records, with what their
 * links reach ({@code hasMember}, {@code derivedFrom}, a report's results and specimens). What a link
 * reaches that is about someone else is left out ({@link EvidenceConfinement}) and named, so that a
 * result of A cannot show B's results to a reader of A, nor decide B's treatment. Observations that
 * point at the person's results from another person's record are never searched for.
 *
 * <p>At most {@code maxResources} resources are read; past it the answer says it was cut short, and
 * the engine's caller must not conclude wild-type from it.
 *
 * @see <a href="https://hl7.org/fhir/uv/genomics-reporting/STU3/general.html">GR 3.0.0: navigate hasMember and derivedFrom</a>
 */
public final class PatientEvidenceLoader {

    /** Our SearchParameters on stored Bundles (ig-resources SearchParameter-bundle-*.json). */
    static final String BUNDLE_RESULT_SUBJECT = "result-subject";

    static final String BUNDLE_PATIENT_IDENTIFIER = "patient-identifier";

    private final DaoRegistry daos;
    private final PersonIdentity identity;

    /** @param identity the person identifier rules (RASGUARD_PATIENT_IDENTIFIER_SYSTEMS) for a document's own Patient entry */
    public PatientEvidenceLoader(DaoRegistry daos, PersonIdentity identity) {
        this.daos = daos;
        this.identity = identity;
    }

    /** @param patientIds our Patient ids of one person */
    public StoredEvidence load(List<String> patientIds, int maxResources, RequestDetails request) {
        Map<String, IBaseResource> byId = new LinkedHashMap<>();
        boolean truncated = search(
                "Observation",
                patientIds,
                maxResources,
                request,
                byId,
                new Include("Observation:has-member"),
                new Include("Observation:derived-from"),
                new Include("Observation:specimen"));
        truncated |= search(
                "DiagnosticReport",
                patientIds,
                maxResources,
                request,
                byId,
                new Include("DiagnosticReport:result"),
                new Include("DiagnosticReport:specimen"));
        truncated |= search("Specimen", patientIds, maxResources, request, byId);
        truncated |= searchBundles(patientIds, maxResources, request, byId);
        List<Resource> read = new ArrayList<>();
        for (IBaseResource resource : byId.values()) {
            if (read.size() == maxResources) {
                truncated = true;
                break;
            }
            read.add((Resource) resource);
        }
        EvidenceConfinement.Confined confined = EvidenceConfinement.confine(read, Set.copyOf(patientIds));
        return new StoredEvidence(confined.kept(), truncated, confined.leftOut());
    }

    /**
     * Document and collection Bundles stored as resources (issue 13 family 7): those whose entries
     * name one of the person's records as subject, and those whose own Patient entry is the person
     * (the usual document shape: {@code Composition.subject} is the Bundle's {@code urn:uuid} Patient).
     * A Bundle found by identifier is kept only when it holds exactly one Patient entry and that entry
     * is the same person as one of our records by {@link PersonIdentity} (shared identifier, none in
     * conflict); {@link EvidenceConfinement} then keeps only the entries about that Patient.
     *
     * @return true when there were more matches than {@code max}
     */
    private boolean searchBundles(
            List<String> patientIds, int max, RequestDetails request, Map<String, IBaseResource> into) {
        TokenOrListParam subjects = new TokenOrListParam();
        patientIds.forEach(id -> subjects.addOr(new TokenParam("Patient/" + id)));
        boolean truncated = searchBundles(BUNDLE_RESULT_SUBJECT, subjects, max, request, bundle -> true, into);
        List<Patient> ours = new ArrayList<>();
        TokenOrListParam identifiers = new TokenOrListParam();
        for (String id : patientIds) {
            try {
                Patient patient = (Patient) daos.getResourceDao("Patient").read(new IdType("Patient", id), request);
                ours.add(patient);
                identity.searchable(patient)
                        .forEach(entry -> identifiers.addOr(new TokenParam(entry.getKey(), entry.getValue())));
            } catch (ResourceNotFoundException | ResourceGoneException absent) {
                // a record id without a Patient: its results are still found by subject
            }
        }
        if (!identifiers.getValuesAsQueryTokens().isEmpty()) {
            truncated |= searchBundles(
                    BUNDLE_PATIENT_IDENTIFIER, identifiers, max, request, bundle -> isThePerson(bundle, ours), into);
        }
        return truncated;
    }

    private boolean searchBundles(
            String parameter,
            TokenOrListParam values,
            int max,
            RequestDetails request,
            Predicate<Bundle> keep,
            Map<String, IBaseResource> into) {
        SearchParameterMap query = SearchParameterMap.newSynchronous();
        query.add(parameter, values);
        query.setLoadSynchronousUpTo(max + 1);
        List<IBaseResource> found =
                daos.getResourceDao("Bundle").search(query, request).getResources(0, max + 1);
        for (IBaseResource resource : found.subList(0, Math.min(found.size(), max))) {
            if (resource instanceof Bundle bundle && keep.test(bundle)) {
                into.putIfAbsent(
                        bundle.getIdElement().toUnqualifiedVersionless().getValue(), bundle);
            }
        }
        return found.size() > max;
    }

    private boolean isThePerson(Bundle bundle, List<Patient> ours) {
        List<Patient> inside = bundle.getEntry().stream()
                .map(Bundle.BundleEntryComponent::getResource)
                .filter(Patient.class::isInstance)
                .map(Patient.class::cast)
                .toList();
        return inside.size() == 1
                && ours.stream()
                        .anyMatch(patient -> identity.match(patient, inside.get(0)) == PersonIdentity.Match.SAME_PERSON)
                && ours.stream()
                        .noneMatch(patient -> identity.match(patient, inside.get(0)) == PersonIdentity.Match.CONFLICT);
    }

    /** @return true when there were more matches than {@code max} */
    private boolean search(
            String type,
            List<String> patientIds,
            int max,
            RequestDetails request,
            Map<String, IBaseResource> into,
            Include... includes) {
        ReferenceOrListParam subjects = new ReferenceOrListParam();
        patientIds.forEach(id -> subjects.addOr(new ReferenceParam("Patient/" + id)));
        SearchParameterMap query = SearchParameterMap.newSynchronous();
        query.add("subject", subjects);
        query.setLoadSynchronousUpTo(max + 1);
        for (Include include : includes) {
            query.addInclude(include);
        }
        IBundleProvider results = daos.getResourceDao(type).search(query, request);
        List<IBaseResource> found = results.getResources(0, max + 1);
        int matches = 0;
        for (IBaseResource resource : found) {
            if (ResourceMetadataKeyEnum.ENTRY_SEARCH_MODE.get((IAnyResource) resource)
                    != BundleEntrySearchModeEnum.INCLUDE) {
                matches++;
            }
            into.putIfAbsent(resource.getIdElement().toUnqualifiedVersionless().getValue(), resource);
        }
        return matches > max;
    }
}
