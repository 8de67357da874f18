package org.rasguard.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** FHIR's XML namespace rule: every element in http://hl7.org/fhir, a narrative's div in XHTML's. */
class FhirXmlNamespaceTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "<Patient><gender value=\"male\"/></Patient>",
                "<Patient xmlns=\"http://example.org/other\"><gender value=\"male\"/></Patient>",
                "<Patient xmlns=\"http://hl7.org/fhir/\"><gender value=\"male\"/></Patient>", // a trailing slash
                "<Patient xmlns=\"http://hl7.org/fhir\"><gender xmlns=\"\" value=\"male\"/></Patient>",
                "<Bundle xmlns=\"http://hl7.org/fhir\"><type value=\"batch\"/><entry><resource>"
                        + "<Patient xmlns=\"urn:x\"/></resource></entry></Bundle>",
                "<Observation xmlns=\"http://hl7.org/fhir\"><text><div xmlns=\"http://www.w3.org/1999/xhtml\">x</div>"
                        + "</text><status xmlns=\"urn:elsewhere\" value=\"final\"/></Observation>"
            })
    void anElementOutsideTheFhirNamespaceIsFound(String xml) {
        assertThat(FhirXmlNamespace.hasElementOutsideFhir(xml.getBytes(StandardCharsets.UTF_8)))
                .as(xml)
                .isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "<Patient xmlns=\"http://hl7.org/fhir\"><gender value=\"male\"/></Patient>",
                "<f:Patient xmlns:f=\"http://hl7.org/fhir\"><f:gender value=\"male\"/></f:Patient>",
                "<?xml version=\"1.0\"?><!-- c --><Observation xmlns=\"http://hl7.org/fhir\"><text><status value=\"generated\"/>"
                        + "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>KRAS <b>G12D</b></p></div></text>"
                        + "<status value=\"final\"/></Observation>",
                "<Patient xmlns=\"http://hl7.org/fhir\"><gender value=\"male\"></Patient>" // malformed: the parser says
                // so
            })
    void fhirXmlAndMalformedXmlAreNotJudgedHere(String xml) {
        assertThat(FhirXmlNamespace.hasElementOutsideFhir(xml.getBytes(StandardCharsets.UTF_8)))
                .as(xml)
                .isFalse();
    }
}
