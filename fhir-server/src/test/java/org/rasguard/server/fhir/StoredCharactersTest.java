package org.rasguard.server.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import org.hl7.fhir.r4.model.Basic;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Test;

/** What a patch can build (an outside attack: a JSON Patch in a transaction's Binary stored U+0001). */
class StoredCharactersTest {

    private static final StoredCharacters GUARD = new StoredCharacters(FhirContext.forR4Cached());

    private static Observation observation(String text) {
        Observation observation = new Observation();
        observation.setCode(new CodeableConcept().setText(text));
        return observation;
    }

    @Test
    void aResourceHoldingACharacterFhirStringsCannotIsRefusedWhereverItSits() {
        for (Observation bad : new Observation[] {
            observation("a\u0001b"), observation("KRAS \uFFFE"), observation("lone \uD800 surrogate"),
        }) {
            assertThat(GUARD.holdsInvalidCharacter(bad))
                    .as(bad.getCode().getText())
                    .isTrue();
        }
        Observation inExtension = observation("fine");
        inExtension.addExtension("http://example.org/x", new StringType("x\u0000"));
        assertThat(GUARD.holdsInvalidCharacter(inExtension)).isTrue();
        Observation inContained = observation("fine");
        inContained.addContained(new Basic().setCode(new CodeableConcept().setText("\u001b[31m")));
        assertThat(GUARD.holdsInvalidCharacter(inContained)).isTrue();
        assertThatThrownBy(() -> GUARD.check(observation("a\u0001b"), new ServletRequestDetails()))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("U+FFFE");
    }

    @Test
    void ordinaryTextPassesAndTheServersOwnWritesAreNotChecked() {
        Observation fine = observation("KRAS p.(Gly12Asp)\tc.35G>A\r\nnext line \u00e9 \uD83E\uDDEC \u2028");
        assertThat(GUARD.holdsInvalidCharacter(fine)).isFalse();
        assertThatCode(() -> GUARD.check(fine, new ServletRequestDetails())).doesNotThrowAnyException();
        assertThatCode(() -> GUARD.check(observation("a\u0001b"), new SystemRequestDetails()))
                .doesNotThrowAnyException();
    }
}
