package org.rasguard.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RoutesTest {

    @Test
    void idsBecomePlaceholdersAndKnownNamesStay() {
        assertThat(Routes.of("/fhir/Observation/123")).isEqualTo("/fhir/Observation/{id}");
        assertThat(Routes.of("/fhir/Observation/123/_history/2")).isEqualTo("/fhir/Observation/{id}/_history/{vid}");
        assertThat(Routes.of("/fhir/Patient/abc/$ras-status")).isEqualTo("/fhir/Patient/{id}/$ras-status");
        assertThat(Routes.of("/fhir/Observation")).isEqualTo("/fhir/Observation");
        assertThat(Routes.of("/fhir/Observation/_search")).isEqualTo("/fhir/Observation/_search");
        assertThat(Routes.of("/fhir/$cds-report")).isEqualTo("/fhir/$cds-report");
        assertThat(Routes.of("/fhir/metadata")).isEqualTo("/fhir/metadata");
        assertThat(Routes.of("/fhir")).isEqualTo("/fhir");
        assertThat(Routes.of("/cds-services")).isEqualTo("/cds-services");
        assertThat(Routes.of("/cds-services/rasguard-anti-egfr-order-sign")).isEqualTo("/cds-services/{id}");
        assertThat(Routes.of("/cds-services/rasguard-anti-egfr-order-select/feedback"))
                .isEqualTo("/cds-services/{id}/feedback");
        assertThat(Routes.of("/health")).isEqualTo("/health");
        assertThat(Routes.of("/metrics")).isEqualTo("/metrics");
        assertThat(Routes.of("/")).isEqualTo("/");
    }

    @Test
    void whateverAClientMakesUpFoldsIntoOneValue() {
        assertThat(Routes.of("/fhir/NotAType/1")).isEqualTo("/fhir/{other}");
        assertThat(Routes.of("/fhir/Patient/1/$made-up")).isEqualTo("/fhir/Patient/{id}/{other}");
        assertThat(Routes.of("/cds-services/someone-else")).isEqualTo("/cds-services/{other}");
        assertThat(Routes.of("/cds-services/rasguard-anti-egfr-order-sign/x/y")).isEqualTo("/cds-services/{other}");
        assertThat(Routes.of("/wp-login.php")).isEqualTo("/{other}");
    }
}
