package org.rasguard.ras;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Type;

/** Small readers over the R4 model that the classifiers share. */
final class Fhir {

    private Fhir() {}

    static boolean hasCode(CodeableConcept concept, String system, String code) {
        return concept != null
                && concept.getCoding().stream().anyMatch(c -> system.equals(c.getSystem()) && code.equals(c.getCode()));
    }

    static boolean hasLoinc(CodeableConcept concept, String code) {
        return hasCode(concept, GenomicsCodes.LOINC, code);
    }

    /**
     * A LOINC coding whose code is one of {@code codes}. A coding without a code matches none (and does not
     * throw: {@code Set.of(..).contains(null)} does).
     */
    static boolean hasLoincIn(CodeableConcept concept, Set<String> codes) {
        return loincIn(concept, codes).isPresent();
    }

    /** The first LOINC coding whose code is one of {@code codes} (null-safe as {@link #hasLoincIn}). */
    static Optional<Coding> loincIn(CodeableConcept concept, Set<String> codes) {
        return concept == null
                ? Optional.empty()
                : concept.getCoding().stream()
                        .filter(c -> GenomicsCodes.LOINC.equals(c.getSystem())
                                && c.getCode() != null
                                && codes.contains(c.getCode()))
                        .findFirst();
    }

    /** The human-readable words of a concept: its text and the displays of its codings. */
    static String words(CodeableConcept concept) {
        if (concept == null) {
            return "";
        }
        List<String> words = new ArrayList<>();
        if (concept.hasText()) {
            words.add(concept.getText());
        }
        concept.getCoding().stream().filter(Coding::hasDisplay).forEach(c -> words.add(c.getDisplay()));
        return String.join(" | ", words);
    }

    /** The strings a change may be written in: a coding's code and display, and the concept's text (deduplicated). */
    static Set<String> expressions(CodeableConcept concept) {
        Set<String> out = new LinkedHashSet<>();
        for (Coding coding : concept.getCoding()) {
            if (coding.hasCode()) {
                out.add(coding.getCode().trim());
            }
            if (coding.hasDisplay()) {
                out.add(coding.getDisplay().trim());
            }
        }
        if (concept.hasText()) {
            out.add(concept.getText().trim());
        }
        return out;
    }

    /** A value[x] as text: a string or other primitive, or a concept's words. */
    static String valueText(Type value) {
        if (value instanceof CodeableConcept concept) {
            return words(concept);
        }
        if (value instanceof PrimitiveType<?> primitive && primitive.hasValue()) {
            return primitive.getValueAsString();
        }
        return "";
    }

    /** The Observation's notes that may state coverage, joined: amendment notes are left out ({@link AmendmentNotes}). */
    static String notes(Observation observation) {
        List<String> notes = new ArrayList<>();
        observation.getNote().stream()
                .filter(n -> n.hasText() && !AmendmentNotes.isAdministrative(n.getText()))
                .forEach(n -> notes.add(n.getText()));
        return String.join(" | ", notes);
    }

    static List<Observation.ObservationComponentComponent> components(Observation observation, String loincCode) {
        return observation.getComponent().stream()
                .filter(c -> hasLoinc(c.getCode(), loincCode))
                .toList();
    }
}
