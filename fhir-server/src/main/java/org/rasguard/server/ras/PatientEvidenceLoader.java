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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IAnyResource;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Resource;
import org.rasguard.hooks.EvidenceStore.StoredEvidence;
import org.rasguard.patients.EvidenceConfinement;

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

    private final DaoRegistry daos;

    public PatientEvidenceLoader(DaoRegistry daos) {
        this.daos = daos;
    }

    /** @param patientIds our Patient ids of one person */
    public StoredEvidence load(List<String> patientIds, int maxResources, RequestDetails request) {
        Map<String, IBaseResource> byId = new LinkedHashMap<>();
        boolean truncated = search("Observation", patientIds, maxResources, request, byId,
                new Include("Observation:has-member"), new Include("Observation:derived-from"), new Include("Observation:specimen"));
        truncated |= search("DiagnosticReport", patientIds, maxResources, request, byId,
                new Include("DiagnosticReport:result"), new Include("DiagnosticReport:specimen"));
        truncated |= search("Specimen", patientIds, maxResources, request, byId);
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

    /** @return true when there were more matches than {@code max} */
    private boolean search(String type, List<String> patientIds, int max, RequestDetails request,
            Map<String, IBaseResource> into, Include... includes) {
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
            if (ResourceMetadataKeyEnum.ENTRY_SEARCH_MODE.get((IAnyResource) resource) != BundleEntrySearchModeEnum.INCLUDE) {
                matches++;
            }
            into.putIfAbsent(resource.getIdElement().toUnqualifiedVersionless().getValue(), resource);
        }
        return matches > max;
    }
}
