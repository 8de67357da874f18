package org.rasguard.server.audit;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.model.util.JpaConstants;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.SearchParameter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which AuditEvent search parameters the store indexes: only the five this server searches by and the
 * README tells integrators to search by ({@link #SEARCHED}). HAPI indexes every built-in one on each
 * write, and the audit trail writes an AuditEvent per CDS decision: extracting and storing the other
 * thirteen (token rows for {@code action}, {@code agent-role}, {@code entity-role}, {@code entity-type},
 * {@code outcome}, {@code site} of every entity and agent, and the reference parameters' path walks)
 * was most of what each write cost (issue 19: the audit writer's creates took more CPU than the CDS
 * service itself).
 *
 * <p>How: HAPI JPA replaces a built-in search parameter by a stored SearchParameter with the same
 * canonical URL, and one with status {@code retired} is then not indexed nor searchable
 * ({@code SearchParamRegistryImpl}). At start, one such SearchParameter per unsearched built-in
 * ({@code SearchParameter/rasguard-not-indexed-AuditEvent-<code>}) is written where it is missing or
 * changed, as the server (so {@code ClientSearchParameters} and the REST layer do not see it),
 * without HAPI's reindex job: AuditEvents stored before keep their old rows of those parameters until
 * they are next written or purged, and nothing reads those rows. A search on a parameter not indexed
 * answers 400 (HAPI: unknown search parameter), as for any parameter the server does not support.
 */
public final class AuditSearchParameters {

    /**
     * The server's own searches ({@code type}, {@code date}, {@code entity-name}: the late-result check,
     * the feedback store, {@code $cds-report}, retention, the patient-view reminder) and the README's
     * ({@code altid}, {@code subtype}).
     */
    public static final Set<String> SEARCHED = Set.of("type", "subtype", "date", "entity-name", "altid");

    static final String ID_PREFIX = "rasguard-not-indexed-AuditEvent-";
    private static final Logger LOG = LoggerFactory.getLogger(AuditSearchParameters.class);

    private final IFhirResourceDao<SearchParameter> searchParameters;

    public AuditSearchParameters(DaoRegistry daos) {
        @SuppressWarnings("unchecked")
        IFhirResourceDao<SearchParameter> dao =
                (IFhirResourceDao<SearchParameter>) daos.getResourceDao("SearchParameter");
        this.searchParameters = dao;
    }

    /** Writes the retired overrides that are missing or changed; returns how many it wrote. */
    public int retireUnsearched() {
        int written = 0;
        List<SearchParameter> wanted = retiredOverrides();
        for (SearchParameter parameter : wanted) {
            if (!isStored(parameter)) {
                SystemRequestDetails request = new SystemRequestDetails();
                // The AuditEvents stored so far need no new index rows: the retired parameters' rows are never read.
                request.getUserData().put(JpaConstants.SKIP_REINDEX_ON_UPDATE, Boolean.TRUE);
                searchParameters.update(parameter, request);
                written++;
            }
        }
        LOG.info(
                "AuditEvent search parameters indexed: {}; {} built-in ones not ({} written now)",
                SEARCHED.stream().sorted().toList(),
                wanted.size(),
                written);
        return written;
    }

    private boolean isStored(SearchParameter wanted) {
        try {
            SearchParameter stored = searchParameters.read(wanted.getIdElement(), new SystemRequestDetails());
            return stored.getStatus() == Enumerations.PublicationStatus.RETIRED
                    && wanted.getUrl().equals(stored.getUrl())
                    && wanted.getCode().equals(stored.getCode())
                    && stored.getBase().size() == 1
                    && "AuditEvent".equals(stored.getBase().get(0).getCode());
        } catch (ResourceNotFoundException | ResourceGoneException absent) {
            return false;
        }
    }

    /**
     * One retired SearchParameter for each built-in R4 search parameter of AuditEvent (the FHIR
     * specification's, as HAPI ships them) that is not {@link #SEARCHED}, under its canonical URL.
     */
    static List<SearchParameter> retiredOverrides() {
        List<IBaseResource> builtIn =
                FhirContext.forR4Cached().getValidationSupport().fetchAllSearchParameters();
        return (builtIn == null ? List.<IBaseResource>of() : builtIn)
                .stream()
                        .map(SearchParameter.class::cast)
                        .filter(parameter -> parameter.getBase().size() == 1
                                && "AuditEvent"
                                        .equals(parameter.getBase().get(0).getCode()))
                        .filter(parameter -> !SEARCHED.contains(parameter.getCode()))
                        .sorted(Comparator.comparing(SearchParameter::getCode))
                        .map(AuditSearchParameters::retired)
                        .toList();
    }

    private static SearchParameter retired(SearchParameter builtIn) {
        SearchParameter retired = new SearchParameter();
        retired.setId(new IdType("SearchParameter", ID_PREFIX + builtIn.getCode()));
        retired.setUrl(builtIn.getUrl());
        retired.setName("AuditEvent-" + builtIn.getCode() + "-not-indexed");
        retired.setStatus(Enumerations.PublicationStatus.RETIRED);
        retired.setPublisher("RAS Guard");
        retired.setDescription("Not indexed by RAS Guard: replaces the built-in search parameter " + builtIn.getUrl()
                + " so that AuditEvent writes (one per CDS decision) skip it. The AuditEvent searches RAS Guard supports: "
                + String.join(", ", SEARCHED.stream().sorted().toList()) + ".");
        retired.setCode(builtIn.getCode());
        retired.addBase("AuditEvent");
        retired.setType(builtIn.getType());
        retired.setExpression(builtIn.getExpression());
        return retired;
    }
}
