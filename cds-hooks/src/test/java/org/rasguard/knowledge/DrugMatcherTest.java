package org.rasguard.knowledge;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.ValueSet;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DrugMatcherTest {

    private static final String RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm";
    private static final String ATC = "http://www.whocc.no/atc";
    private static final String NDC = "http://hl7.org/fhir/sid/ndc";

    private static final KnowledgeBase KNOWLEDGE = KnowledgeBase.loadFromClasspath(FhirContext.forR4Cached());
    private static final DrugMatcher MATCHER = DrugMatcher.from(KNOWLEDGE);

    private static CodeableConcept coded(String system, String code) {
        return new CodeableConcept(new Coding(system, code, null));
    }

    private static CodeableConcept text(String text) {
        return new CodeableConcept().setText(text);
    }

    @Nested
    class AntiEgfrAntibodies {

        @Test
        void areRecognisedByRxNormIngredient() {
            assertThat(MATCHER.antiEgfrDrug(coded(RXNORM, "318341"))).contains(AntiEgfrDrug.CETUXIMAB);
            assertThat(MATCHER.antiEgfrDrug(coded(RXNORM, "263034"))).contains(AntiEgfrDrug.PANITUMUMAB);
        }

        @Test
        void areRecognisedByCurrentAndPre2022AtcCodes() {
            assertThat(MATCHER.antiEgfrDrug(coded(ATC, "L01FE01"))).contains(AntiEgfrDrug.CETUXIMAB);
            assertThat(MATCHER.antiEgfrDrug(coded(ATC, "L01XC06"))).contains(AntiEgfrDrug.CETUXIMAB);
            assertThat(MATCHER.antiEgfrDrug(coded(ATC, "L01FE02"))).contains(AntiEgfrDrug.PANITUMUMAB);
            assertThat(MATCHER.antiEgfrDrug(coded(ATC, "L01XC08"))).contains(AntiEgfrDrug.PANITUMUMAB);
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(
                strings = {"66733-948-23", "66733-0948-23", "66733094823", "6673394823", "66733-948", "66733-958-23"})
        void cetuximabIsRecognisedByNdcInAnyLayout(String ndc) {
            assertThat(MATCHER.antiEgfrDrug(coded(NDC, ndc))).contains(AntiEgfrDrug.CETUXIMAB);
        }

        @Test
        void aPackageOfAListedNdcProductIsThatProduct() {
            assertThat(MATCHER.antiEgfrDrug(coded(NDC, "55513-0954-99"))).contains(AntiEgfrDrug.PANITUMUMAB);
        }

        @Test
        void anotherPackageLayoutOfTheSameDigitsIsNotTheProduct() {
            // 6673-3948-23 (4-4-2) is labeler 06673, not ImClone's 66733
            assertThat(MATCHER.antiEgfrDrug(coded(NDC, "6673-3948-23"))).isEmpty();
        }

        @Test
        void areRecognisedByNameInAProductCodingDisplayWhenTheCodeIsUnknown() {
            CodeableConcept scd =
                    new CodeableConcept(new Coding(RXNORM, "1657660", "cetuximab 2 MG/ML Injection [Erbitux]"));

            assertThat(MATCHER.antiEgfrDrug(scd)).contains(AntiEgfrDrug.CETUXIMAB);
        }

        @Test
        void areRecognisedByBrandNameInTextIgnoringCase() {
            assertThat(MATCHER.antiEgfrDrug(text("VECTIBIX 100 mg/5 mL IV"))).contains(AntiEgfrDrug.PANITUMUMAB);
            assertThat(MATCHER.antiEgfrDrug(text("erbitux infusion"))).contains(AntiEgfrDrug.CETUXIMAB);
        }

        @Test
        void areNotRecognisedByPartOfAWord() {
            assertThat(MATCHER.antiEgfrDrug(text("Erbituxin"))).isEmpty();
            assertThat(MATCHER.antiEgfrDrug(text("anticetuximab antibody assay")))
                    .isEmpty();
        }

        @Test
        void otherDrugsAreNotAntiEgfrAntibodies() {
            assertThat(MATCHER.antiEgfrDrug(coded(RXNORM, "253337"))).isEmpty();
            assertThat(MATCHER.antiEgfrDrug(text("bevacizumab"))).isEmpty();
        }
    }

    @Nested
    class G12cInhibitors {

        @Test
        void areRecognisedByAtcCode() {
            assertThat(MATCHER.g12cInhibitor(coded(ATC, "L01XX73"))).contains(G12cInhibitor.SOTORASIB);
            assertThat(MATCHER.g12cInhibitor(coded(ATC, "L01XX77"))).contains(G12cInhibitor.ADAGRASIB);
        }

        @Test
        void areRecognisedByGenericOrBrandName() {
            assertThat(MATCHER.g12cInhibitor(text("sotorasib 960 mg daily"))).contains(G12cInhibitor.SOTORASIB);
            assertThat(MATCHER.g12cInhibitor(text("Krazati 200 mg tablet"))).contains(G12cInhibitor.ADAGRASIB);
        }

        @Test
        void pairWithTheAntibodyTheyAreApprovedWith() {
            assertThat(MATCHER.isApprovedPair(G12cInhibitor.SOTORASIB, AntiEgfrDrug.PANITUMUMAB))
                    .isTrue();
            assertThat(MATCHER.isApprovedPair(G12cInhibitor.ADAGRASIB, AntiEgfrDrug.CETUXIMAB))
                    .isTrue();
            assertThat(MATCHER.isApprovedPair(G12cInhibitor.SOTORASIB, AntiEgfrDrug.CETUXIMAB))
                    .isFalse();
            assertThat(MATCHER.isApprovedPair(G12cInhibitor.ADAGRASIB, AntiEgfrDrug.PANITUMUMAB))
                    .isFalse();
        }

        @Test
        void eachAntibodyHasItsApprovedPartner() {
            assertThat(MATCHER.approvedPartner(AntiEgfrDrug.PANITUMUMAB)).contains(G12cInhibitor.SOTORASIB);
            assertThat(MATCHER.approvedPartner(AntiEgfrDrug.CETUXIMAB)).contains(G12cInhibitor.ADAGRASIB);
        }
    }

    @Nested
    class BrafInhibitors {

        @Test
        void encorafenibIsRecognisedByRxNormAtcOrName() {
            assertThat(MATCHER.brafInhibitor(coded(RXNORM, "2049106"))).contains(BrafInhibitor.ENCORAFENIB);
            assertThat(MATCHER.brafInhibitor(coded(ATC, "L01EC03"))).contains(BrafInhibitor.ENCORAFENIB);
            assertThat(MATCHER.brafInhibitor(text("BRAFTOVI 75 mg capsule"))).contains(BrafInhibitor.ENCORAFENIB);
            assertThat(MATCHER.brafInhibitor(coded(ATC, "L01XX73")))
                    .as("sotorasib")
                    .isEmpty();
        }

        @Test
        void encorafenibPairsWithCetuximabOnly() {
            assertThat(MATCHER.approvedBrafPartner(AntiEgfrDrug.CETUXIMAB)).contains(BrafInhibitor.ENCORAFENIB);
            assertThat(MATCHER.approvedBrafPartner(AntiEgfrDrug.PANITUMUMAB)).isEmpty();
        }
    }

    @Test
    void alternativesAreRecognisedByRxNormIngredient() {
        assertThat(MATCHER.isCrcAlternative(coded(RXNORM, "253337"))).isTrue();
        assertThat(MATCHER.isCrcAlternative(coded(RXNORM, "32592"))).isTrue();
        assertThat(MATCHER.isCrcAlternative(coded(RXNORM, "318341"))).isFalse();
    }

    @Test
    void aCodeAddedToACopyOfTheValueSetIsAccepted() {
        CodeableConcept newProduct = coded(RXNORM, "9999999");
        assertThat(MATCHER.antiEgfrDrug(newProduct)).isEmpty();

        ValueSet cetuximab = KNOWLEDGE
                .valueSet(AntiEgfrDrug.CETUXIMAB.valueSetUrl())
                .orElseThrow()
                .copy();
        cetuximab.getCompose().getInclude().stream()
                .filter(include -> RXNORM.equals(include.getSystem()))
                .findFirst()
                .orElseThrow()
                .addConcept()
                .setCode("9999999")
                .setDisplay("hypothetical product");
        DrugMatcher matcher = DrugMatcher.from(withReplaced(cetuximab));

        assertThat(matcher.antiEgfrDrug(newProduct)).contains(AntiEgfrDrug.CETUXIMAB);
    }

    @Test
    void aNameAddedToACopyOfTheValueSetIsAccepted() {
        CodeableConcept localName = text("Cetux 500 mg");
        assertThat(MATCHER.antiEgfrDrug(localName)).isEmpty();

        ValueSet cetuximab = KNOWLEDGE
                .valueSet(AntiEgfrDrug.CETUXIMAB.valueSetUrl())
                .orElseThrow()
                .copy();
        cetuximab
                .getCompose()
                .getIncludeFirstRep()
                .getConceptFirstRep()
                .addDesignation()
                .setValue("Cetux");
        DrugMatcher matcher = DrugMatcher.from(withReplaced(cetuximab));

        assertThat(matcher.antiEgfrDrug(localName)).contains(AntiEgfrDrug.CETUXIMAB);
    }

    private static KnowledgeBase withReplaced(MetadataResource replacement) {
        List<IBaseResource> artifacts = new ArrayList<>();
        KNOWLEDGE.artifacts().stream()
                .filter(artifact -> !artifact.getUrl().equals(replacement.getUrl()))
                .forEach(artifacts::add);
        artifacts.add(replacement);
        return KnowledgeBase.of(artifacts, KNOWLEDGE.examples());
    }
}
