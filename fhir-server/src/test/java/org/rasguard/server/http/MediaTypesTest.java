package org.rasguard.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MediaTypesTest {

    @Test
    void onlyJsonMediaTypesAreJson() {
        assertThat(MediaTypes.isJson("application/json")).isTrue();
        assertThat(MediaTypes.isJson("application/json; charset=utf-8")).isTrue();
        assertThat(MediaTypes.isJson("Application/FHIR+JSON")).isTrue();
        assertThat(MediaTypes.isJson("text/plain;json")).isFalse();
        assertThat(MediaTypes.isJson("text/plain; charset=json")).isFalse();
        assertThat(MediaTypes.isJson("application/x-www-form-urlencoded")).isFalse();
        assertThat(MediaTypes.isJson("multipart/form-data; boundary=json")).isFalse();
        assertThat(MediaTypes.isJson("application/jsonp")).isFalse();
        assertThat(MediaTypes.isJson(null)).isFalse();
        assertThat(MediaTypes.isJson("")).isFalse();
    }

    @Test
    void charsetsAreReadAndOnlyTheAcceptedOnesKnown() {
        assertThat(MediaTypes.charsetName("application/json; charset=\"UTF-16\""))
                .isEqualTo("UTF-16");
        assertThat(MediaTypes.charsetName("application/json")).isNull();
        assertThat(MediaTypes.acceptedCharset("utf8")).isEqualTo(StandardCharsets.UTF_8);
        assertThat(MediaTypes.acceptedCharset("latin1")).isEqualTo(StandardCharsets.ISO_8859_1);
        assertThat(MediaTypes.acceptedCharset("UTF-16LE")).isEqualTo(StandardCharsets.UTF_16LE);
        assertThat(MediaTypes.acceptedCharset("IBM037")).isNull(); // EBCDIC: known to Java, not accepted
        assertThat(MediaTypes.acceptedCharset("bogus")).isNull();
        assertThat(MediaTypes.acceptedCharset("%%%")).isNull();
    }

    @Test
    void relabellingKeepsOtherParameters() {
        assertThat(MediaTypes.withUtf8("application/fhir+json; charset=UTF-16; fhirVersion=4.0"))
                .isEqualTo("application/fhir+json;fhirVersion=4.0;charset=utf-8");
    }
}
