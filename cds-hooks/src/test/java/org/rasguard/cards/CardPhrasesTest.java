package org.rasguard.cards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeSystem;
import org.junit.jupiter.api.Test;
import org.rasguard.knowledge.KnowledgeBase;
import org.rasguard.ras.EvidenceCall;
import org.rasguard.ras.UnknownReason;

/** The cards' words for reasons and calls come from the CodeSystems' card-phrase property, complete. */
class CardPhrasesTest {

    private static final KnowledgeBase KNOWLEDGE = KnowledgeBase.loadFromClasspath(FhirContext.forR4Cached());

    @Test
    void everyReasonAndCallHasThePackagesPhrase() {
        CardPhrases phrases = CardPhrases.read(KNOWLEDGE);
        for (UnknownReason reason : UnknownReason.values()) {
            assertThat(phrases.reason(reason)).as(reason.name()).isNotBlank();
        }
        for (EvidenceCall call : EvidenceCall.values()) {
            assertThat(phrases.call(call)).as(call.name()).isNotBlank();
        }
        assertThat(phrases.reason(UnknownReason.KRAS_ONLY)).isEqualTo("only KRAS tested");
        assertThat(phrases.call(EvidenceCall.PARTIAL_NEGATIVE)).isEqualTo("no mutation, partial coverage");
    }

    @Test
    void aPackageWhosePhraseIsChangedIsReadAsChangedAndOneWithoutAPhraseDoesNotStart() {
        List<IBaseResource> conformance = new ArrayList<>();
        CodeSystem reasons = null;
        for (IBaseResource resource : KNOWLEDGE.artifacts()) {
            if (resource instanceof CodeSystem system && UnknownReason.SYSTEM.equals(system.getUrl())) {
                reasons = system.copy();
                conformance.add(reasons);
            } else {
                conformance.add(resource);
            }
        }
        CodeSystem.ConceptDefinitionComponent krasOnly = reasons.getConcept().stream()
                .filter(concept -> concept.getCode().equals("kras-only"))
                .findFirst()
                .orElseThrow();
        krasOnly.getProperty().stream()
                .filter(p -> p.getCode().equals(CardPhrases.PROPERTY))
                .findFirst()
                .orElseThrow()
                .setValue(new org.hl7.fhir.r4.model.StringType("NRAS never tested"));
        assertThat(CardPhrases.read(KnowledgeBase.of(conformance, List.of())).reason(UnknownReason.KRAS_ONLY))
                .isEqualTo("NRAS never tested");

        krasOnly.getProperty().removeIf(p -> p.getCode().equals(CardPhrases.PROPERTY));
        assertThatThrownBy(() -> CardPhrases.read(KnowledgeBase.of(conformance, List.of())))
                .hasMessageContaining("card-phrase")
                .hasMessageContaining("kras-only");
    }
}
