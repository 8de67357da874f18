package org.rasguard.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonGuardFilterTest {

    private static String check(String json) {
        return JsonGuardFilter.check(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void ordinaryFhirJsonPasses() {
        assertThat(check("{\"resourceType\":\"Observation\",\"valueQuantity\":{\"value\":1.5e3},\"x\":[[[1]]]}"))
                .isNull();
        assertThat(check("[".repeat(200) + "]".repeat(200))).isNull();
    }

    @Test
    void nestingBeyond200IsTooDeep() {
        assertThat(check("[".repeat(201) + "]".repeat(201))).isEqualTo("json-too-deep");
        assertThat(check("{\"a\":".repeat(10_000))).isEqualTo("json-too-deep");
    }

    @Test
    void hugeExponentsAndLongNumbersAreOutOfRange() {
        assertThat(check("{\"v\":1e999999999}")).isEqualTo("number-out-of-range");
        assertThat(check("{\"v\":-1E-401}")).isEqualTo("number-out-of-range");
        assertThat(check("{\"v\":1e400}")).isEqualTo("number-out-of-range");
        assertThat(check("{\"v\":1e299}")).isNull();
        assertThat(check("{\"v\":" + "9".repeat(1_001) + "}")).isEqualTo("number-out-of-range");
    }

    @Test
    void malformedJsonIsLeftToTheEndpointsParser() {
        assertThat(check("{\"a\": nope")).isNull();
    }

    @Test
    void aDocumentTypeIsFoundInTheXmlPrologOnly() {
        assertThat(JsonGuardFilter.declaresDoctype(
                        "\ufeff<?xml version=\"1.0\"?>\n<!-- lab export -->\n<!DOCTYPE Observation [<!ENTITY x \"y\">]><a/>"
                                .getBytes(StandardCharsets.UTF_8)))
                .isTrue();
        assertThat(JsonGuardFilter.declaresDoctype("<!doctype a><a/>".getBytes(StandardCharsets.UTF_8)))
                .as("any spelling")
                .isTrue();
        assertThat(JsonGuardFilter.declaresDoctype(
                        "<?xml version=\"1.0\"?><Observation xmlns=\"http://hl7.org/fhir\"><!-- <!DOCTYPE x> -->"
                                .concat("<text><div>&lt;!DOCTYPE</div></text></Observation>")
                                .getBytes(StandardCharsets.UTF_8)))
                .as("after the root element it is only text or a comment")
                .isFalse();
        assertThat(JsonGuardFilter.declaresDoctype("{\"a\":\"<!DOCTYPE\"}".getBytes(StandardCharsets.UTF_8)))
                .isFalse();
        assertThat(JsonGuardFilter.declaresDoctype("<?xml version=\"1.0\"".getBytes(StandardCharsets.UTF_8)))
                .as("a prolog cut short")
                .isFalse();
    }

    @Test
    void xmlDepthCountsElementsNotAttributesCommentsOrCdata() {
        assertThat(JsonGuardFilter.xmlDepth("<a><b x=\"/>\"><c/></b></a>".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(3);
        assertThat(JsonGuardFilter.xmlDepth(
                        "<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY e \"x\">]><a><!-- <b><b> --><![CDATA[<c><c>]]></a>"
                                .getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(1);
        assertThat(JsonGuardFilter.xmlDepth(("<a>".repeat(5_000)).getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(5_000);
        assertThat(JsonGuardFilter.xmlDepth("{\"a\":1}".getBytes(StandardCharsets.UTF_8)))
                .isZero();
    }

    @Test
    void numbersOfAbsurdMagnitudeOrScaleAreOutOfRange() {
        assertThat(check("{\"v\":1" + "0".repeat(900) + ".5}")).isEqualTo("number-out-of-range");
        assertThat(check("{\"v\":" + "1".repeat(300) + "}")).isNull();
    }

    /** FHIR strings hold no character below U+0020 but tab, line feed and carriage return. */
    @Test
    void charactersFhirStringsCannotHoldAreRefusedTabNewlinesAndPairsPass() {
        assertThat(check("{\"resourceType\":\"Observation\",\"code\":{\"text\":\"a\\u0000b\"}}"))
                .isEqualTo(FhirCharacters.INVALID);
        assertThat(check("{\"criteria\":\"Observation?code=\\u202e\\u0001\"}")).isEqualTo(FhirCharacters.INVALID);
        assertThat(check("{\"x\\u001f\":1}")).isEqualTo(FhirCharacters.INVALID);
        assertThat(check("[\"\\u007f is DEL, not a control below 32\"]")).isNull();
        // Not XML characters either (outside attack: an XML answer with &#xfffe; no parser reads).
        assertThat(check("{\"text\":\"a\\ufffeb\"}")).isEqualTo(FhirCharacters.INVALID);
        assertThat(check("{\"text\":\"a\\uffff\"}")).isEqualTo(FhirCharacters.INVALID);
        assertThat(check("{\"text\":\"lone \\ud800 high\"}")).isEqualTo(FhirCharacters.INVALID);
        assertThat(check("{\"text\":\"lone \\udfff low\"}")).isEqualTo(FhirCharacters.INVALID);
        assertThat(check("{\"text\":\"a pair \\ud83e\\uddec and \u00e9\\u2028\"}"))
                .isNull();
        assertThat(check("{\"note\":[{\"text\":\"line one\\nline two\\r\\n\\tindented\"}]}"))
                .isNull();
    }
}
