package org.rasguard.cdshooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class FhirServerAllowlistTest {

    @Test
    void onlyAnExactBaseIsAllowedAndAnEntryWithoutSchemeIsHttps() {
        FhirServerAllowlist allowlist = FhirServerAllowlist.of(List.of("ehr.example.org/fhir", "http://127.0.0.1:8080/fhir/"));
        assertThat(allowlist.allows("https://EHR.example.org/fhir/")).isTrue();
        assertThat(allowlist.allows("https://ehr.example.org:443/fhir")).isTrue();
        assertThat(allowlist.allows("http://ehr.example.org/fhir")).as("https required").isFalse();
        assertThat(allowlist.allows("https://ehr.example.org/fhir/other")).isFalse();
        assertThat(allowlist.allows("https://ehr.example.org.evil.com/fhir")).isFalse();
        assertThat(allowlist.allows("http://127.0.0.1:8080/fhir")).isTrue();
        assertThat(allowlist.allows("http://127.0.0.1:8081/fhir")).isFalse();
        assertThat(allowlist.allows(null)).isFalse();
    }

    @Test
    void emptyMeansNeverAndGarbageIsRefused() {
        assertThat(FhirServerAllowlist.of(List.of()).allows("https://ehr.example.org/fhir")).isFalse();
        assertThatThrownBy(() -> FhirServerAllowlist.of(List.of("ftp://x/fhir"))).hasMessageContaining("ftp://x/fhir");
    }
}
