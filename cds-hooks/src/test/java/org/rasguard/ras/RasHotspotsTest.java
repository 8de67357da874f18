package org.rasguard.ras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.MetadataResource;
import org.junit.jupiter.api.Test;
import org.rasguard.knowledge.KnowledgeBase;

/** The hotspot codons the engine applies are the ones the knowledge package publishes (CodeSystem ras-hotspot-codons). */
class RasHotspotsTest {

    @Test
    void theEngineAppliesThePublishedCodonsByExon() {
        assertThat(RasVocabulary.hotspotCodonsByExon(RasCase.KNOWLEDGE)).isEqualTo(RasHotspots.CODONS_BY_EXON);
        assertThat(RasHotspots.CODONS_BY_EXON.values().stream()
                        .flatMap(Set::stream)
                        .toList())
                .containsExactlyInAnyOrderElementsOf(RasHotspots.CODONS);
    }

    @Test
    void aPackageThatListsOtherCodonsIsRefused() {
        List<MetadataResource> without146 = RasCase.KNOWLEDGE.artifacts().stream()
                .map(artifact -> artifact.getUrl().equals(RasVocabulary.HOTSPOT_CODONS)
                        ? without((CodeSystem) artifact, "146")
                        : artifact)
                .toList();

        assertThatThrownBy(() -> RasVocabulary.from(KnowledgeBase.of(without146, List.of())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(RasVocabulary.HOTSPOT_CODONS)
                .hasMessageContaining("RasHotspots");
    }

    private static CodeSystem without(CodeSystem codons, String code) {
        CodeSystem copy = codons.copy();
        copy.getConcept().removeIf(concept -> concept.getCode().equals(code));
        return copy;
    }
}
