package org.rasguard.server.knowledge;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.param.UriParam;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Meta;
import org.hl7.fhir.r4.model.MetadataResource;
import org.rasguard.knowledge.KnowledgeBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts our knowledge package (ig-resources: ValueSets, CodeSystems, profiles, ConceptMap,
 * PlanDefinition …) into the FHIR store at start, so that {@code GET /fhir/ValueSet?url=…} answers
 * with exactly what the RAS engine and the drug matcher read from the same package.
 *
 * <p>Idempotent by canonical URL and version: for each artifact the store is searched by
 * {@code url} and {@code version}.
 * <ul>
 *   <li>None found: the artifact is written under the package's own id ({@code ValueSet/anti-egfr-antibodies}).
 *       A new package version of an artifact therefore replaces the previous one in place; the old
 *       one stays in the resource's history.</li>
 *   <li>Found with the same content (ignoring {@code id} and {@code meta}): nothing is written, so a
 *       restart creates neither a duplicate nor a new history version.</li>
 *   <li>Found with other content (someone edited it through the API): it is overwritten with the
 *       package's content, because the package is the one source of truth for the decision logic.</li>
 * </ul>
 *
 * <p>Only our own package is stored. The HL7 packages (Genomics Reporting, mCODE) serve validation
 * only ({@code org.rasguard.server.ingest}); storing them would add thousands of resources and
 * seconds to every start. Nothing here touches the network: HAPI's package installer is not used,
 * the package comes from the classpath.
 *
 * <p>Writes go straight to the DAOs (no REST request), so the ingest validation interceptor does
 * not see them.
 */
public final class KnowledgeLoader {

    private static final Logger LOG = LoggerFactory.getLogger(KnowledgeLoader.class);

    /** Where the artifacts go; the DAOs in production, a map in the unit test. */
    public interface Store {
        /** Stored resources of this type with this canonical URL and (when not null) version. */
        List<IBaseResource> find(String resourceType, String url, String version);

        /** Creates or updates the resource under its id. */
        void write(IBaseResource resource);
    }

    /** What one load did, for the start-up log. */
    public record Summary(int created, int updated, int unchanged, long millis) {}

    private final List<MetadataResource> artifacts;
    private final Store store;
    private final IParser comparisonParser;

    public KnowledgeLoader(FhirContext fhirContext, List<MetadataResource> artifacts, Store store) {
        this.artifacts = List.copyOf(artifacts);
        this.store = store;
        this.comparisonParser = comparisonParser(fhirContext);
    }

    public static KnowledgeLoader overDaos(FhirContext fhirContext, KnowledgeBase knowledge, DaoRegistry daos) {
        return new KnowledgeLoader(fhirContext, knowledge.artifacts(), new DaoStore(daos));
    }

    /** Brings the store up to the package; safe to call any number of times. */
    public Summary load() {
        long started = System.nanoTime();
        int created = 0;
        int updated = 0;
        int unchanged = 0;
        for (MetadataResource artifact : artifacts) {
            String type = artifact.fhirType();
            String version = artifact.hasVersion() ? artifact.getVersion() : null;
            List<IBaseResource> stored = store.find(type, artifact.getUrl(), version);
            if (stored.size() > 1) {
                LOG.warn(
                        "{} {}|{} is stored {} times; keeping {} up to date",
                        type,
                        artifact.getUrl(),
                        version,
                        stored.size(),
                        stored.get(0).getIdElement().toUnqualifiedVersionless().getValue());
            }
            if (stored.isEmpty()) {
                MetadataResource copy = artifact.copy();
                copy.setId(type + "/" + artifact.getIdElement().getIdPart());
                store.write(copy);
                created++;
            } else if (sameContent(artifact, stored.get(0))) {
                unchanged++;
            } else {
                MetadataResource copy = artifact.copy();
                copy.setId(stored.get(0).getIdElement().toUnqualifiedVersionless());
                store.write(copy);
                updated++;
            }
        }
        Summary summary =
                new Summary(created, updated, unchanged, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        LOG.info(
                "Knowledge artifacts in the store: {} created, {} updated, {} unchanged ({} ms)",
                created,
                updated,
                unchanged,
                summary.millis());
        return summary;
    }

    /**
     * True when a stored artifact has the packaged content; {@code id} and {@code meta} (version id,
     * last updated, source) are the store's and are ignored. Public so that an integration test can
     * check the rule against what the real store gives back.
     */
    public boolean sameContent(IBaseResource packaged, IBaseResource stored) {
        return canonical(packaged).equals(canonical(stored));
    }

    private String canonical(IBaseResource resource) {
        MetadataResource copy = ((MetadataResource) resource).copy();
        copy.setMeta(new Meta());
        copy.setIdElement(null); // a stored id carries its version, which the encoder would write as meta.versionId
        return comparisonParser.encodeResourceToString(copy);
    }

    private static IParser comparisonParser(FhirContext fhirContext) {
        IParser parser = fhirContext.newJsonParser();
        parser.setOmitResourceId(true);
        parser.setPrettyPrint(false);
        return parser;
    }

    /** The DAO-backed store, with a system request (no REST client, no interceptors of the REST layer). */
    private record DaoStore(DaoRegistry daos) implements Store {

        @Override
        public List<IBaseResource> find(String resourceType, String url, String version) {
            SearchParameterMap query = SearchParameterMap.newSynchronous().add("url", new UriParam(url));
            if (version != null) {
                query.add("version", new TokenParam(version));
            }
            return dao(resourceType).search(query, new SystemRequestDetails()).getAllResources();
        }

        @Override
        public void write(IBaseResource resource) {
            dao(resource.fhirType()).update(resource, new SystemRequestDetails());
        }

        @SuppressWarnings("unchecked")
        private IFhirResourceDao<IBaseResource> dao(String resourceType) {
            return (IFhirResourceDao<IBaseResource>) daos.getResourceDao(resourceType);
        }
    }
}
