package org.rasguard.server.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 16 row 11: the EHR's token goes only to URLs under its FHIR base as the EHR will resolve them
 * ({@link HttpEhrFhirClient#underBase}): encoded dot segments are decoded and removed before the check,
 * encoded slashes and other tricks are refused, and what is sent is the normalized URL.
 */
class NextLinkCheckTest {

    private static final String BASE = "https://ehr.example.org/fhir";

    @ParameterizedTest
    @ValueSource(
            strings = {
                "https://ehr.example.org/fhir/%2e%2e/elsewhere",
                "https://ehr.example.org/fhir/%2E%2E/elsewhere",
                "https://ehr.example.org/fhir/.%2e/elsewhere",
                "https://ehr.example.org/fhir/%2e./elsewhere",
                "https://ehr.example.org/fhir/../elsewhere",
                "https://ehr.example.org/fhir/Observation/../../elsewhere",
                "https://ehr.example.org/fhir/%2e%2e%2felsewhere",
                "https://ehr.example.org/fhir%2f..%2felsewhere",
                "https://ehr.example.org/fhir/..%5celsewhere",
                "https://ehr.example.org/fhir/%252e%252e/elsewhere",
                "https://ehr.example.org/fhir/..;/elsewhere",
                "https://ehr.example.org/fhirx/Observation",
                "https://ehr.example.org/fhir",
                "https://ehr.example.org/",
                "https://ehr.example.org/../fhir/Observation",
                "http://ehr.example.org/fhir/Observation",
                "https://ehr.example.org:8443/fhir/Observation",
                "https://ehr.example.org.attacker.test/fhir/Observation",
                "https://attacker.test/fhir/Observation",
                "https://user@ehr.example.org/fhir/Observation",
                "ftp://ehr.example.org/fhir/Observation",
                "//ehr.example.org/fhir/Observation",
                "not a url",
            })
    void linksThatLeaveTheBaseAreRefused(String link) {
        assertThat(HttpEhrFhirClient.underBase(BASE, link)).as(link).isNull();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "https://ehr.example.org/fhir/Observation?patient=1&_page=2",
                "https://EHR.example.org/fhir/Observation",
                "HTTPS://ehr.example.org:443/fhir/Observation",
                "https://ehr.example.org/fhir?_getpages=abc&_getpagesoffset=20",
                "https://ehr.example.org/fhir/./Observation",
                "https://ehr.example.org/fhir/Observation/%2e%2e/Condition",
            })
    void linksUnderTheBaseAreFollowed(String link) {
        assertThat(HttpEhrFhirClient.underBase(BASE, link)).as(link).isNotNull();
    }

    @org.junit.jupiter.api.Test
    void theNormalizedUrlIsTheOneSent() {
        assertThat(HttpEhrFhirClient.underBase(
                        BASE, "https://ehr.example.org/fhir/Observation/%2e%2e/Condition?patient=%2e"))
                .isEqualTo(URI.create("https://ehr.example.org/fhir/Condition?patient=%2e"));
        assertThat(HttpEhrFhirClient.underBase(BASE, "https://ehr.example.org/fhir/Patient/a%2Db"))
                .isEqualTo(URI.create("https://ehr.example.org/fhir/Patient/a-b"));
        assertThat(HttpEhrFhirClient.underBase(BASE + "/", "https://ehr.example.org/fhir/Observation"))
                .isNotNull();
    }
}
