package org.rasguard.cdshooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class FhirServerAllowlistTest {

    @Test
    void onlyAnExactBaseIsAllowedAndAnEntryWithoutSchemeIsHttps() {
        FhirServerAllowlist allowlist =
                FhirServerAllowlist.of(List.of("ehr.example.org/fhir", "http://127.0.0.1:8080/fhir/"));
        assertThat(allowlist.allows("https://EHR.example.org/fhir/")).isTrue();
        assertThat(allowlist.allows("https://ehr.example.org:443/fhir")).isTrue();
        assertThat(allowlist.allows("http://ehr.example.org/fhir"))
                .as("https required")
                .isFalse();
        assertThat(allowlist.allows("https://ehr.example.org/fhir/other")).isFalse();
        assertThat(allowlist.allows("https://ehr.example.org.evil.com/fhir")).isFalse();
        assertThat(allowlist.allows("http://127.0.0.1:8080/fhir")).isTrue();
        assertThat(allowlist.allows("http://127.0.0.1:8081/fhir")).isFalse();
        assertThat(allowlist.allows(null)).isFalse();
    }

    @Test
    void asPrefixesAnEntryAllowsWhatLiesUnderItAndNothingThatOnlyLooksSo() {
        FhirServerAllowlist prefixes =
                FhirServerAllowlist.of(List.of("ehr.example.org/hooks", "http://127.0.0.1:9000/ehr"));
        assertThat(prefixes.allowsUnder("https://ehr.example.org/hooks")).isTrue();
        assertThat(prefixes.allowsUnder("https://EHR.example.org:443/hooks/rasguard/DetectedIssue"))
                .isTrue();
        assertThat(prefixes.allowsUnder("http://127.0.0.1:9000/ehr/late")).isTrue();
        assertThat(prefixes.allowsUnder("http://ehr.example.org/hooks/x"))
                .as("https unless listed as http")
                .isFalse();
        assertThat(prefixes.allowsUnder("https://127.0.0.1:9000/ehr/late"))
                .as("listed as http only")
                .isFalse();
        assertThat(prefixes.allowsUnder("https://ehr.example.org/hooks-admin")).isFalse();
        assertThat(prefixes.allowsUnder("https://ehr.example.org/hooks/../admin"))
                .isFalse();
        assertThat(prefixes.allowsUnder("https://ehr.example.org/hooks/%2e%2e/admin"))
                .isFalse();
        assertThat(prefixes.allowsUnder("https://ehr.example.org/hooks%2F..%2Fadmin"))
                .isFalse();
        assertThat(prefixes.allowsUnder("https://ehr.example.org/hooks/..\\admin"))
                .isFalse();
        assertThat(prefixes.allowsUnder("https://ehr.example.org/hooks/%252e%252e/admin"))
                .as("a dot after a second decoding")
                .isFalse();
        assertThat(prefixes.allowsUnder("https://ehr.example.org/hooks/x;jsessionid=1"))
                .as("a path parameter")
                .isFalse();
        assertThat(prefixes.allowsUnder("https://user@ehr.example.org/hooks/x")).isFalse();
        assertThat(prefixes.allowsUnder("https://ehr.example.org/hooks/x?to=elsewhere"))
                .isFalse();
        assertThat(prefixes.allowsUnder("https://ehr.example.org:8443/hooks/x")).isFalse();
        assertThat(prefixes.allowsUnder("https://ehr.example.org.evil.test/hooks/x"))
                .isFalse();
        assertThat(prefixes.allowsUnder(null)).isFalse();
        assertThat(FhirServerAllowlist.of(List.of()).allowsUnder("https://ehr.example.org/hooks"))
                .isFalse();
    }

    @Test
    void emptyMeansNeverAndGarbageIsRefused() {
        assertThat(FhirServerAllowlist.of(List.of()).allows("https://ehr.example.org/fhir"))
                .isFalse();
        assertThatThrownBy(() -> FhirServerAllowlist.of(List.of("ftp://x/fhir")))
                .hasMessageContaining("ftp://x/fhir");
    }
}
