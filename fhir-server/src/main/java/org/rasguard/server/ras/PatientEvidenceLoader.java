package org.rasguard.server.ras;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.model.api.Include;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.ReferenceParam;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Reads from our store everything the RAS engine needs about one patient: their Observations
 * (with {@code hasMember} targets, {@code derivedFrom} sources and the Observations derived from
 * them), DiagnosticReports with their results and specimens, and Specimens. Each search is capped, so
 * a patient with hundreds of Observations costs a bounded number of rows.
 *
 * @see <a href="https://hl7.org/fhir/uv/genomics-reporting/STU3/general.html">GR 3.0.0: navigate hasMember and derivedFrom</a>
 */
public final class PatientEvidenceLoader {

    /** Upper bound per search; a patient's genomic history is far smaller in practice. */
    static final int MAX_PER_SEARCH = 2000;

    private final DaoRegistry daos;

    public PatientEvidenceLoader(DaoRegistry daos) {
        this.daos = daos;
    }

    /**
     * @param patientReference {@code Patient/123}
     * @return the resources, each once (latest version), in no particular order
     */
    public List<IBaseResource> load(String patientReference, RequestDetails request) {
        Map<String, IBaseResource> byId = new LinkedHashMap<>();
        search("Observation", patientReference, request, byId,
                new Include("Observation:has-member"), new Include("Observation:derived-from"),
                new Include("Observation:specimen"));
        searchReverse("Observation", patientReference, request, byId);
        search("DiagnosticReport", patientReference, request, byId,
                new Include("DiagnosticReport:result"), new Include("DiagnosticReport:specimen"));
        search("Specimen", patientReference, request, byId);
        return new ArrayList<>(byId.values());
    }

    private void search(String type, String patientReference, RequestDetails request,
            Map<String, IBaseResource> into, Include... includes) {
        SearchParameterMap query = SearchParameterMap.newSynchronous("subject", new ReferenceParam(patientReference));
        query.setLoadSynchronousUpTo(MAX_PER_SEARCH);
        for (Include include : includes) {
            query.addInclude(include);
        }
        collect(daos.getResourceDao(type).search(query, request), into);
    }

    /** Implications that point at the patient's variants through derivedFrom but carry no subject of their own. */
    private void searchReverse(String type, String patientReference, RequestDetails request, Map<String, IBaseResource> into) {
        List<String> observationIds = into.keySet().stream().filter(id -> id.startsWith("Observation/")).toList();
        if (observationIds.isEmpty()) {
            return;
        }
        for (int start = 0; start < observationIds.size(); start += 100) {
            List<String> batch = observationIds.subList(start, Math.min(start + 100, observationIds.size()));
            SearchParameterMap query = SearchParameterMap.newSynchronous();
            ca.uhn.fhir.rest.param.ReferenceOrListParam anyOf = new ca.uhn.fhir.rest.param.ReferenceOrListParam();
            batch.forEach(id -> anyOf.addOr(new ReferenceParam(id)));
            query.add("derived-from", anyOf);
            query.setLoadSynchronousUpTo(MAX_PER_SEARCH);
            collect(daos.getResourceDao(type).search(query, request), into);
        }
    }

    private static void collect(IBundleProvider results, Map<String, IBaseResource> into) {
        for (IBaseResource resource : results.getResources(0, MAX_PER_SEARCH)) {
            into.putIfAbsent(resource.getIdElement().toUnqualifiedVersionless().getValue(), resource);
        }
    }
}
