package org.rasguard.cdshooks;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.rasguard.knowledge.AntiEgfrDrug;
import org.rasguard.knowledge.DrugMatcher;
import org.rasguard.knowledge.KnowledgeBase;

/** A Medication stands for its own code and its ingredients, so mixtures coded only locally are still recognised. */
class MedicationResolverTest {

    private static final DrugMatcher DRUGS =
            DrugMatcher.from(KnowledgeBase.loadFromClasspath(FhirContext.forR4Cached()));
    private static final String RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm";

    private static Medication mixture() {
        Medication mixture = new Medication();
        mixture.setId("mix");
        mixture.setCode(
                new CodeableConcept(new Coding("http://pharmacy.example.org", "PRD-1", null)).setText("IV admixture"));
        return mixture;
    }

    @Test
    void anIngredientCodeableConceptNamesTheDrug() {
        Medication mixture = mixture();
        mixture.addIngredient().setItem(new CodeableConcept(new Coding(RXNORM, "318341", "cetuximab")));
        MedicationRequest order = new MedicationRequest().setMedication(new Reference("#mix"));
        order.addContained(mixture);

        CodeableConcept drug =
                MedicationResolver.local(order, new Bundle(), List.of()).orElseThrow();

        assertThat(DRUGS.antiEgfrDrug(drug)).contains(AntiEgfrDrug.CETUXIMAB);
    }

    @Test
    void anIngredientReferenceToAPrefetchedMedicationNamesTheDrug() {
        Medication mixture = mixture();
        mixture.setId("Medication/mix");
        mixture.addIngredient().setItem(new Reference("Medication/ab"));
        Medication antibody = new Medication().setCode(new CodeableConcept().setText("Vectibix 400 mg"));
        antibody.setId("Medication/ab");
        MedicationRequest order = new MedicationRequest().setMedication(new Reference("Medication/mix"));

        CodeableConcept drug = MedicationResolver.local(order, new Bundle(), List.of(mixture, antibody))
                .orElseThrow();

        assertThat(DRUGS.antiEgfrDrug(drug)).contains(AntiEgfrDrug.PANITUMUMAB);
    }

    @Test
    void aMixtureOfOtherDrugsIsNoAntibody() {
        Medication mixture = mixture();
        mixture.addIngredient().setItem(new CodeableConcept(new Coding(RXNORM, "4492", "fluorouracil")));
        MedicationRequest order = new MedicationRequest().setMedication(new Reference("#mix"));
        order.addContained(mixture);

        assertThat(DRUGS.antiEgfrDrug(
                        MedicationResolver.local(order, new Bundle(), List.of()).orElseThrow()))
                .isEmpty();
    }
}
