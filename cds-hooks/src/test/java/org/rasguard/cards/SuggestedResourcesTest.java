package org.rasguard.cards;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.ActivityDefinition;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.ValueSet;
import org.junit.jupiter.api.Test;
import org.rasguard.decision.CardKind;
import org.rasguard.knowledge.AntiEgfrDrug;
import org.rasguard.knowledge.G12cInhibitor;
import org.rasguard.knowledge.KnowledgeBase;
import org.rasguard.ras.RasPolicy;
import org.rasguard.ras.RasStatusEngine;
import org.rasguard.ras.RasVocabulary;

/**
 * Every resource a card suggests creating is one an EHR can add to the order set as it is, without a
 * look-up of its own (issue 17): status draft, an intent, the patient as subject, and codings with
 * system, code and display, all taken from the knowledge package (the partner's ValueSet, the
 * extended RAS testing ActivityDefinition), not from Java.
 */
class SuggestedResourcesTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final KnowledgeBase KNOWLEDGE = KnowledgeBase.loadFromClasspath(FHIR);
    private static final String PATIENT = "p1";

    @Test
    void everySuggestedResourceIsComplete() {
        List<Resource> suggested = new ArrayList<>();
        suggested.addAll(created(KNOWLEDGE, CardKind.RAS_UNKNOWN, AntiEgfrDrug.CETUXIMAB, null));
        suggested.addAll(
                created(KNOWLEDGE, CardKind.G12C_NOT_DOCUMENTED, AntiEgfrDrug.PANITUMUMAB, G12cInhibitor.SOTORASIB));
        suggested.addAll(
                created(KNOWLEDGE, CardKind.G12C_WITHOUT_PARTNER, AntiEgfrDrug.PANITUMUMAB, G12cInhibitor.SOTORASIB));
        suggested.addAll(
                created(KNOWLEDGE, CardKind.G12C_WITHOUT_PARTNER, AntiEgfrDrug.CETUXIMAB, G12cInhibitor.ADAGRASIB));
        assertThat(suggested)
                .extracting(Resource::fhirType)
                .containsExactly("ServiceRequest", "ServiceRequest", "MedicationRequest", "MedicationRequest");

        for (Resource resource : suggested) {
            if (resource instanceof ServiceRequest request) {
                assertThat(request.getStatus()).isEqualTo(ServiceRequest.ServiceRequestStatus.DRAFT);
                assertThat(request.getIntent()).isEqualTo(ServiceRequest.ServiceRequestIntent.ORDER);
                assertThat(request.getSubject().getReference()).isEqualTo("Patient/" + PATIENT);
                assertComplete(request.getCode());
                assertComplete(request.getReasonCodeFirstRep());
            } else if (resource instanceof MedicationRequest request) {
                assertThat(request.getStatus()).isEqualTo(MedicationRequest.MedicationRequestStatus.DRAFT);
                assertThat(request.getIntent()).isEqualTo(MedicationRequest.MedicationRequestIntent.ORDER);
                assertThat(request.getSubject().getReference()).isEqualTo("Patient/" + PATIENT);
                assertComplete(request.getMedicationCodeableConcept());
                assertThat(request.getMedicationCodeableConcept().getText()).isNotBlank();
            }
        }
    }

    @Test
    void theExtendedRasTestIsTheActivityDefinitionsLoinc81420_2() {
        ActivityDefinition definition = KNOWLEDGE.artifacts().stream()
                .filter(ActivityDefinition.class::isInstance)
                .map(ActivityDefinition.class::cast)
                .filter(ad -> ad.getUrl().equals(Suggestions.EXTENDED_RAS_TESTING))
                .findFirst()
                .orElseThrow();
        ServiceRequest request = (ServiceRequest) created(KNOWLEDGE, CardKind.RAS_UNKNOWN, AntiEgfrDrug.CETUXIMAB, null)
                .get(0);

        Coding loinc = request.getCode().getCodingFirstRep();
        assertThat(loinc.getSystem()).isEqualTo("http://loinc.org");
        assertThat(loinc.getCode()).isEqualTo("81420-2");
        assertThat(loinc.getDisplay()).startsWith("KRAS and NRAS gene mutations found");
        assertThat(loinc.getDisplay())
                .isEqualTo(definition.getCode().getCodingFirstRep().getDisplay());
        assertThat(loinc.hasExtension())
                .as("the package's code-source note stays in the package")
                .isFalse();
        assertThat(request.getIntent().toCode())
                .isEqualTo(definition.getIntent().toCode());
        assertThat(request.getInstantiatesCanonical())
                .extracting(c -> c.getValue())
                .containsExactly(definition.getUrl());
        assertThat(request.getReasonCodeFirstRep().getCodingFirstRep().getCode())
                .isEqualTo("RasUnknown");
    }

    @Test
    void thePartnerCarriesEveryCodeOfItsValueSetAndACodeAddedThereToo() {
        MedicationRequest sotorasib = (MedicationRequest)
                created(KNOWLEDGE, CardKind.G12C_WITHOUT_PARTNER, AntiEgfrDrug.PANITUMUMAB, G12cInhibitor.SOTORASIB)
                        .get(0);
        assertThat(codes(sotorasib.getMedicationCodeableConcept()))
                .containsExactlyElementsOf(KNOWLEDGE.codes(G12cInhibitor.SOTORASIB.valueSetUrl()).stream()
                        .map(code -> code.system() + "|" + code.code() + "|" + code.display())
                        .toList())
                .contains("http://www.whocc.no/atc|L01XX73|sotorasib");
        MedicationRequest adagrasib = (MedicationRequest)
                created(KNOWLEDGE, CardKind.G12C_WITHOUT_PARTNER, AntiEgfrDrug.CETUXIMAB, G12cInhibitor.ADAGRASIB)
                        .get(0);
        assertThat(codes(adagrasib.getMedicationCodeableConcept()))
                .contains("http://www.whocc.no/atc|L01XX77|adagrasib");

        // A code added to the ValueSet (here a made-up one, only in this test) is suggested without a change in Java.
        KnowledgeBase withExtraCode = withValueSet(
                G12cInhibitor.SOTORASIB.valueSetUrl(),
                valueSet -> valueSet.getCompose()
                        .addInclude()
                        .setSystem("urn:example:test-drug-codes")
                        .addConcept()
                        .setCode("X1")
                        .setDisplay("sotorasib (test)"));
        MedicationRequest extended = (MedicationRequest)
                created(withExtraCode, CardKind.G12C_WITHOUT_PARTNER, AntiEgfrDrug.PANITUMUMAB, G12cInhibitor.SOTORASIB)
                        .get(0);
        assertThat(codes(extended.getMedicationCodeableConcept()))
                .contains("urn:example:test-drug-codes|X1|sotorasib (test)");
    }

    private static void assertComplete(CodeableConcept concept) {
        assertThat(concept.getCoding()).isNotEmpty().allSatisfy(coding -> {
            assertThat(coding.getSystem()).isNotBlank();
            assertThat(coding.getCode()).isNotBlank();
            assertThat(coding.getDisplay()).isNotBlank();
        });
    }

    private static List<String> codes(CodeableConcept concept) {
        return concept.getCoding().stream()
                .map(c -> c.getSystem() + "|" + c.getCode() + "|" + c.getDisplay())
                .toList();
    }

    /** The resources of the card's create actions, parsed as an EHR would. */
    private static List<Resource> created(
            KnowledgeBase knowledge, CardKind kind, AntiEgfrDrug drug, G12cInhibitor partner) {
        RasStatusEngine engine = new RasStatusEngine(RasVocabulary.from(knowledge), RasPolicy.defaults());
        CardInput input = new CardInput(
                kind, drug, "MedicationRequest/mr-1", PATIENT, engine.assess(List.of()), partner, List.of());
        CdsResponse.Card card = new CardFactory(knowledge, FHIR, new ObjectMapper(), UUID::randomUUID).card(input);
        List<Resource> out = new ArrayList<>();
        for (CdsResponse.Suggestion suggestion : card.suggestions()) {
            for (CdsResponse.Action action : suggestion.actions()) {
                if (action.type().equals("create")) {
                    out.add((Resource)
                            FHIR.newJsonParser().parseResource(action.resource().toString()));
                }
            }
        }
        return out;
    }

    private static KnowledgeBase withValueSet(String url, java.util.function.Consumer<ValueSet> change) {
        List<MetadataResource> artifacts = KNOWLEDGE.artifacts().stream()
                .map(artifact -> {
                    if (!artifact.getUrl().equals(url)) {
                        return artifact;
                    }
                    ValueSet copy = ((ValueSet) artifact).copy();
                    change.accept(copy);
                    return copy;
                })
                .map(MetadataResource.class::cast)
                .toList();
        return KnowledgeBase.of(artifacts, List.of());
    }
}
