package org.rasguard.server.ui;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Meta;
import org.rasguard.knowledge.KnowledgeBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code RASGUARD_DEMO_DATA=true}: the example patients of the knowledge package (RAS-mutant, RAS
 * wild-type, RAS-unknown, KRAS G12C, head and neck; {@code ig-resources/src/main/fhir/example/}) are
 * posted into the store at start, before {@code /health} turns ready, as the transactions they are.
 *
 * <p>Idempotent: every entry is a conditional create on its identifier ({@code ifNoneExist}), so a
 * restart finds them and writes nothing. Written through the system DAO like the knowledge, not
 * through the REST layer (the examples are validated when ig-resources is built).
 */
public final class DemoData {

    private static final Logger LOG = LoggerFactory.getLogger(DemoData.class);

    /** What one load did, for the start-up log and the tests. */
    public record Summary(int bundles, int created, int found, long millis) {}

    private DemoData() {}

    /** The example transaction Bundles of the package, in file order. */
    public static List<Bundle> examples(KnowledgeBase knowledge) {
        return knowledge.examples().stream()
                .filter(Bundle.class::isInstance)
                .map(Bundle.class::cast)
                .filter(bundle -> bundle.getType() == Bundle.BundleType.TRANSACTION)
                .toList();
    }

    @SuppressWarnings("unchecked")
    public static Summary load(KnowledgeBase knowledge, DaoRegistry daos) {
        long started = System.nanoTime();
        IFhirSystemDao<Bundle, Meta> system = (IFhirSystemDao<Bundle, Meta>) daos.getSystemDao();
        List<Bundle> examples = examples(knowledge);
        int created = 0;
        int found = 0;
        for (Bundle example : examples) {
            Bundle response = system.transaction(new SystemRequestDetails(), example.copy());
            for (Bundle.BundleEntryComponent entry : response.getEntry()) {
                if (entry.getResponse().getStatus() != null
                        && entry.getResponse().getStatus().startsWith("201")) {
                    created++;
                } else {
                    found++;
                }
            }
        }
        Summary summary = new Summary(
                examples.size(), created, found, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        LOG.info(
                "Demo data: {} example patient bundles, {} resources created, {} already stored ({} ms)",
                summary.bundles(),
                created,
                found,
                summary.millis());
        return summary;
    }
}
