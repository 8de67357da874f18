package org.rasguard.cdshooks;

import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * Finds the drug of a MedicationRequest without a network call: its medicationCodeableConcept, or
 * the Medication its medicationReference points to, contained ({@code #id}), in the draftOrders
 * Bundle (by fullUrl or {@code Medication/id}, as Epic sends them) or among other resources the
 * client sent (prefetch). A reference found nowhere is left for the caller to read from the FHIR
 * server.
 *
 * <p>A Medication stands for its own code and for its ingredients: compounded and IV-mixture
 * products often carry a local code that names no drug ("cetuximab in 0.9% NaCl 250 mL" as
 * pharmacy product 12345), while {@code Medication.ingredient} holds the antibody as an
 * itemCodeableConcept or an itemReference to another (contained or sent) Medication.
 */
final class MedicationResolver {

    private MedicationResolver() {}

    /** The drug, or empty when the medicationReference points outside what we hold. */
    static Optional<CodeableConcept> local(
            MedicationRequest request, Bundle draftOrders, List<? extends Resource> others) {
        return local(request.getMedication(), request.getContained(), draftOrders, others);
    }

    /**
     * The drug of any medication[x] (a MedicationRequest's, MedicationAdministration's or MedicationStatement's),
     * or empty when its reference points outside what we hold.
     *
     * @param contained the resources contained in the resource that holds it
     */
    static Optional<CodeableConcept> local(
            org.hl7.fhir.r4.model.Type medication,
            List<Resource> contained,
            Bundle draftOrders,
            List<? extends Resource> others) {
        if (medication instanceof CodeableConcept concept) {
            return Optional.of(concept);
        }
        if (!(medication instanceof Reference reference) || reference.isEmpty()) {
            return Optional.of(new CodeableConcept());
        }
        String target = reference.getReference();
        if (target == null || target.isBlank()) {
            return Optional.empty();
        }
        return find(target, contained, draftOrders, others).map(found -> drugOf(found, contained, draftOrders, others));
    }

    /** The Medication a reference points to: contained ({@code #id}), in draftOrders, or among the other resources. */
    private static Optional<Medication> find(
            String target, List<Resource> contained, Bundle draftOrders, List<? extends Resource> others) {
        if (target == null || target.isBlank()) {
            return Optional.empty();
        }
        if (target.startsWith("#")) {
            String local = target.substring(1);
            return contained.stream()
                    .filter(Medication.class::isInstance)
                    .map(Medication.class::cast)
                    .filter(medication ->
                            local.equals(stripHash(medication.getIdElement().getIdPart())))
                    .findFirst();
        }
        for (Bundle.BundleEntryComponent entry : draftOrders.getEntry()) {
            if (entry.getResource() instanceof Medication medication
                    && (target.equals(entry.getFullUrl()) || sameTypeAndId(target, medication))) {
                return Optional.of(medication);
            }
        }
        return others.stream()
                .filter(Medication.class::isInstance)
                .map(Medication.class::cast)
                .filter(medication -> sameTypeAndId(target, medication))
                .findFirst();
    }

    /**
     * One concept holding the Medication's code and those of its ingredients (itemCodeableConcept,
     * or the code of the Medication an itemReference points to, one level deep), so a drug matcher
     * finds the antibody in a mixture whose own code names no drug.
     */
    static CodeableConcept drugOf(
            Medication medication, List<Resource> orderContained, Bundle draftOrders, List<? extends Resource> others) {
        CodeableConcept out = medication.getCode().copy();
        List<String> texts = new java.util.ArrayList<>();
        if (out.hasText()) {
            texts.add(out.getText());
        }
        List<Resource> contained = new java.util.ArrayList<>(medication.getContained());
        contained.addAll(orderContained);
        for (Medication.MedicationIngredientComponent ingredient : medication.getIngredient()) {
            CodeableConcept item = null;
            if (ingredient.getItem() instanceof CodeableConcept concept) {
                item = concept;
            } else if (ingredient.getItem() instanceof Reference reference) {
                item = find(reference.getReference(), contained, draftOrders, others)
                        .map(Medication::getCode)
                        .orElseGet(() -> new CodeableConcept().setText(reference.getDisplay()));
            }
            if (item != null) {
                item.getCoding().forEach(coding -> out.addCoding(coding.copy()));
                if (item.hasText()) {
                    texts.add(item.getText());
                }
            }
        }
        out.setText(texts.isEmpty() ? null : String.join(" | ", texts));
        return out;
    }

    /**
     * The reference's {@code Medication/id}, for a read on the client's FHIR server; empty when it is
     * not one, or when it is absolute and points to another server.
     */
    static Optional<String> readPath(MedicationRequest request, String fhirServer) {
        String target = request.getMedicationReference().getReference();
        if (target == null || target.startsWith("#") || target.startsWith("urn:")) {
            return Optional.empty();
        }
        if (target.contains("://") && (fhirServer == null || !target.startsWith(fhirServer + "/"))) {
            return Optional.empty();
        }
        IdType id = new IdType(target);
        if (!"Medication".equals(id.getResourceType())
                || !id.hasIdPart()
                || !HookRequestParser.FHIR_ID.matcher(id.getIdPart()).matches()) {
            return Optional.empty();
        }
        return Optional.of("Medication/" + id.getIdPart());
    }

    /** The reference's display, the last resort for name matching ("Erbitux 100 mg vial"). */
    static CodeableConcept displayOnly(MedicationRequest request) {
        return displayOnly(request.getMedication());
    }

    static CodeableConcept displayOnly(org.hl7.fhir.r4.model.Type medication) {
        CodeableConcept concept = new CodeableConcept();
        if (medication instanceof Reference reference && reference.hasDisplay()) {
            concept.setText(reference.getDisplay());
        }
        return concept;
    }

    private static boolean sameTypeAndId(String reference, Resource resource) {
        if (!resource.getIdElement().hasIdPart()) {
            return false;
        }
        IdType id = new IdType(reference);
        return resource.fhirType().equals(id.getResourceType())
                && resource.getIdElement().getIdPart().equals(id.getIdPart());
    }

    private static String stripHash(String id) {
        return id == null ? null : id.startsWith("#") ? id.substring(1) : id;
    }
}
