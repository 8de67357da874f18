package org.rasguard.ras;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Type;
import org.rasguard.ras.RasVocabulary.Meaning;

/**
 * Reads what a result value says, from its codes first and its words second, with the
 * interpretation as a secondary signal (genomics.md §4.3). A coded answer whose display or text
 * says the opposite (one code base has Detected and Not detected swapped), two codes that disagree,
 * or an interpretation that contradicts the value, is a conflict: never wild-type.
 */
final class ResultReader {

    /** What a value said. */
    enum Reading {
        POSITIVE,
        NEGATIVE,
        INDETERMINATE,
        CONFLICT,
        /** Nothing recognisable: no value, or words that match no keyword. */
        NONE
    }

    private final RasVocabulary vocabulary;

    ResultReader(RasVocabulary vocabulary) {
        this.vocabulary = vocabulary;
    }

    /**
     * @param value the value[x]
     * @param interpretations Observation(.component).interpretation
     * @param dataAbsent true when a dataAbsentReason is present
     * @param shapeCodes codes the shape itself defines (the Variant's Present / Absent), read before the ValueSets
     */
    Reading read(
            Type value,
            List<CodeableConcept> interpretations,
            boolean dataAbsent,
            Function<Coding, Optional<Meaning>> shapeCodes) {
        if (dataAbsent) {
            return Reading.INDETERMINATE;
        }
        Reading fromValue = fromValue(value, shapeCodes);
        Reading fromInterpretation = fromInterpretations(interpretations);
        if (fromValue == Reading.NONE || fromValue == Reading.CONFLICT) {
            return fromValue == Reading.NONE ? fromInterpretation : fromValue;
        }
        boolean contradicts = (fromValue == Reading.POSITIVE && fromInterpretation == Reading.NEGATIVE)
                || (fromValue == Reading.NEGATIVE && fromInterpretation == Reading.POSITIVE)
                || (fromValue != Reading.INDETERMINATE && fromInterpretation == Reading.CONFLICT);
        return contradicts ? Reading.CONFLICT : fromValue;
    }

    private Reading fromValue(Type value, Function<Coding, Optional<Meaning>> shapeCodes) {
        if (value instanceof CodeableConcept concept) {
            Set<Meaning> coded = EnumSet.noneOf(Meaning.class);
            for (Coding coding : concept.getCoding()) {
                Optional<Meaning> meaning = shapeCodes.apply(coding).or(() -> vocabulary.meaningOf(coding));
                if (meaning.isPresent()) {
                    coded.add(meaning.get());
                    if (contradicts(meaning.get(), TextSignals.meanings(coding.getDisplay()))) {
                        return Reading.CONFLICT;
                    }
                }
            }
            if (coded.size() > 1) {
                return Reading.CONFLICT;
            }
            if (coded.size() == 1) {
                Meaning meaning = coded.iterator().next();
                return contradicts(meaning, TextSignals.meanings(concept.getText())) ? Reading.CONFLICT : of(meaning);
            }
            return fromWords(TextSignals.meanings(Fhir.words(concept)));
        }
        String text = Fhir.valueText(value);
        return text.isBlank() ? Reading.NONE : fromWords(TextSignals.meanings(text));
    }

    private Reading fromInterpretations(List<CodeableConcept> interpretations) {
        Set<Meaning> coded = EnumSet.noneOf(Meaning.class);
        for (CodeableConcept interpretation : interpretations) {
            Set<Meaning> ofThisOne = EnumSet.noneOf(Meaning.class);
            for (Coding coding : interpretation.getCoding()) {
                vocabulary.meaningOf(coding).ifPresent(ofThisOne::add);
            }
            if (ofThisOne.isEmpty()) {
                // In words only ("Abnormal - see comment"): the answer its display would be.
                ofThisOne.addAll(vocabulary.meaningsOfAnswerWords(Fhir.words(interpretation)));
            }
            coded.addAll(ofThisOne);
        }
        if (coded.size() > 1) {
            return Reading.CONFLICT;
        }
        return coded.isEmpty() ? Reading.NONE : of(coded.iterator().next());
    }

    /**
     * Words: a positive clause wins (a mutation named anywhere is a mutation); otherwise an
     * indeterminate clause beats a negative one.
     */
    private static Reading fromWords(Set<Meaning> words) {
        if (words.contains(Meaning.POSITIVE)) {
            return Reading.POSITIVE;
        }
        if (words.contains(Meaning.INDETERMINATE)) {
            return Reading.INDETERMINATE;
        }
        return words.contains(Meaning.NEGATIVE) ? Reading.NEGATIVE : Reading.NONE;
    }

    /** Words contradict a code when they state a meaning and not the code's one. */
    private static boolean contradicts(Meaning coded, Set<Meaning> words) {
        return !words.isEmpty() && !words.contains(coded);
    }

    private static Reading of(Meaning meaning) {
        return switch (meaning) {
            case POSITIVE -> Reading.POSITIVE;
            case NEGATIVE -> Reading.NEGATIVE;
            case INDETERMINATE -> Reading.INDETERMINATE;
        };
    }
}
