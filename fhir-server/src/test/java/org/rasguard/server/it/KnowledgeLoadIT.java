package org.rasguard.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.rasguard.server.it.Http.urlEncode;

import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.ValueSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.rasguard.knowledge.KnowledgeBase;
import org.rasguard.server.knowledge.KnowledgeLoader;

/**
 * Our knowledge package is in the store once the server is healthy, once per canonical URL and
 * version, with the packaged content.
 *
 * <p>Idempotency without a second server start: a restart runs the same load, which writes nothing
 * when it finds each artifact by URL and version with the same content (unit-tested in
 * {@code KnowledgeLoaderTest}). Here the two facts that test cannot prove are checked against the
 * real store: the search by URL and version finds exactly the stored artifact, and
 * {@link KnowledgeLoader#sameContent} holds for what HAPI gives back (so its {@code meta}, ids and
 * encoding do not make a restart rewrite anything).
 */
@ExtendWith(SharedServer.class)
class KnowledgeLoadIT {

    private static final String ANTI_EGFR = KnowledgeBase.CANONICAL_BASE + "/ValueSet/anti-egfr-antibodies";

    private final KnowledgeBase knowledge = KnowledgeBase.loadFromClasspath(Http.FHIR);
    private final KnowledgeLoader loader = new KnowledgeLoader(Http.FHIR, List.of(), null);

    @Test
    void theAntiEgfrValueSetAnswersByCanonicalUrl(ServerProcess server) {
        Bundle found = Http.get(server.fhirBase() + "/ValueSet?url=" + urlEncode(ANTI_EGFR))
                .resource(Bundle.class);

        assertThat(found.getTotal()).isEqualTo(1);
        ValueSet stored = (ValueSet) found.getEntryFirstRep().getResource();
        assertThat(stored.getCompose().getInclude()).isNotEmpty();
        assertThat(loader.sameContent(knowledge.valueSet(ANTI_EGFR).orElseThrow(), stored))
                .isTrue();
    }

    @Test
    void everyArtifactIsStoredOnceWithThePackagedContentSoALoadAgainWritesNothing(ServerProcess server) {
        assertThat(knowledge.artifacts()).hasSizeGreaterThan(20);
        for (MetadataResource artifact : knowledge.artifacts()) {
            String query = server.fhirBase() + "/" + artifact.fhirType() + "?url=" + urlEncode(artifact.getUrl())
                    + (artifact.hasVersion() ? "&version=" + urlEncode(artifact.getVersion()) : "");
            Bundle found = Http.get(query).resource(Bundle.class);

            assertThat(found.getTotal()).as(artifact.getUrl()).isEqualTo(1);
            MetadataResource stored =
                    (MetadataResource) found.getEntryFirstRep().getResource();
            assertThat(stored.getIdElement().getIdPart())
                    .as(artifact.getUrl())
                    .isEqualTo(artifact.getIdElement().getIdPart());
            assertThat(stored.getMeta().getVersionId())
                    .as("%s written once", artifact.getUrl())
                    .isEqualTo("1");
            assertThat(loader.sameContent(artifact, stored))
                    .as("%s has the packaged content", artifact.getUrl())
                    .isTrue();
        }
    }

    @Test
    void theHl7PackagesServeValidationOnlyAndAreNotStored(ServerProcess server) {
        String variant = "http://hl7.org/fhir/uv/genomics-reporting/StructureDefinition/variant";
        assertThat(Http.get(server.fhirBase() + "/StructureDefinition?url=" + urlEncode(variant))
                        .resource(Bundle.class)
                        .getTotal())
                .isZero();
    }
}
