package org.rasguard.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IngestValidationInterceptorTest {

    @Test
    void xmlIsMalformedOnlyWhenHapisOwnReaderCannotReadIt() {
        assertThat(IngestValidationInterceptor.isMalformedXml(
                        "<Observation xmlns=\"http://hl7.org/fhir\"><text><div xmlns=\"http://www.w3.org/1999/xhtml\">"
                                + "KRAS&nbsp;G12D</div></text><status value=\"final\"/></Observation>"))
                .as("an HTML entity in a narrative, which HAPI's reader knows")
                .isFalse();
        assertThat(IngestValidationInterceptor.isMalformedXml(
                        "  <Observation xmlns=\"http://hl7.org/fhir\"><status value=\"final\"/>"))
                .as("cut short")
                .isTrue();
        assertThat(IngestValidationInterceptor.isMalformedXml(
                        "<Observation xmlns=\"http://hl7.org/fhir\"></Observation>trailing"))
                .isTrue();
        assertThat(IngestValidationInterceptor.isMalformedXml("{\"resourceType\":\"Observation\",\"x\":1}"))
                .as("not XML: the JSON path decides")
                .isFalse();
    }
}
