package org.rasguard.server.knowledge;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.ValueSet;
import org.junit.jupiter.api.Test;

class KnowledgeLoaderTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final String URL = "http://rasguard.org/fhir/ValueSet/anti-egfr-antibodies";

    /** A store in a map, keyed by Type/id, that counts writes. */
    private static final class MapStore implements KnowledgeLoader.Store {
        final Map<String, MetadataResource> byId = new LinkedHashMap<>();
        final List<String> writes = new ArrayList<>();

        @Override
        public List<IBaseResource> find(String resourceType, String url, String version) {
            return byId.values().stream()
                    .filter(r -> r.fhirType().equals(resourceType)
                            && r.getUrl().equals(url)
                            && (version == null || version.equals(r.getVersion())))
                    .map(r -> (IBaseResource) r.copy())
                    .toList();
        }

        @Override
        public void write(IBaseResource resource) {
            MetadataResource stored = (MetadataResource) resource;
            String id = stored.getIdElement().toUnqualifiedVersionless().getValue();
            stored.getMeta()
                    .setVersionId(
                            String.valueOf(writes.stream().filter(id::equals).count() + 1));
            byId.put(id, stored);
            writes.add(id);
        }
    }

    @Test
    void aSecondLoadWritesNothing() {
        MapStore store = new MapStore();
        KnowledgeLoader loader = new KnowledgeLoader(FHIR, List.of(valueSet("0.1.0", "cetuximab")), store);

        assertThat(loader.load())
                .extracting(KnowledgeLoader.Summary::created, KnowledgeLoader.Summary::unchanged)
                .containsExactly(1, 0);
        assertThat(loader.load())
                .extracting(KnowledgeLoader.Summary::created, KnowledgeLoader.Summary::unchanged)
                .containsExactly(0, 1);
        assertThat(store.writes).containsExactly("ValueSet/anti-egfr-antibodies");
    }

    @Test
    void anEditedArtifactIsPutBackUnderItsId() {
        MapStore store = new MapStore();
        new KnowledgeLoader(FHIR, List.of(valueSet("0.1.0", "cetuximab")), store).load();
        store.byId.get("ValueSet/anti-egfr-antibodies").setTitle("edited through the API");

        KnowledgeLoader.Summary summary =
                new KnowledgeLoader(FHIR, List.of(valueSet("0.1.0", "cetuximab")), store).load();

        assertThat(summary.updated()).isEqualTo(1);
        assertThat(store.byId).hasSize(1);
        assertThat(store.byId.get("ValueSet/anti-egfr-antibodies").getTitle()).isEqualTo("Anti-EGFR antibodies");
    }

    @Test
    void aNewPackageVersionReplacesTheOldOneInPlace() {
        MapStore store = new MapStore();
        new KnowledgeLoader(FHIR, List.of(valueSet("0.1.0", "cetuximab")), store).load();

        new KnowledgeLoader(FHIR, List.of(valueSet("0.2.0", "panitumumab")), store).load();

        assertThat(store.byId).hasSize(1);
        assertThat(store.byId.get("ValueSet/anti-egfr-antibodies").getVersion()).isEqualTo("0.2.0");
    }

    private static ValueSet valueSet(String version, String code) {
        ValueSet valueSet = new ValueSet();
        valueSet.setId("anti-egfr-antibodies");
        valueSet.setUrl(URL);
        valueSet.setVersion(version);
        valueSet.setTitle("Anti-EGFR antibodies");
        valueSet.getCompose().addInclude().setSystem("urn:test").addConcept().setCode(code);
        return valueSet;
    }
}
