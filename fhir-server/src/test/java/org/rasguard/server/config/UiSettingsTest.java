package org.rasguard.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class UiSettingsTest {

    private static final String JWKS = "https://ehr.example.org/jwks.json";

    @Test
    void thePageIsServedByDefaultWhileTheCdsServiceAndTheFhirApiAreOpen() {
        UiSettings ui = ServerConfig.from(Map.of()).ui();
        assertThat(ui.served()).isTrue();
        assertThat(ui.demoData()).isFalse();
    }

    @Test
    void thePageIsOffByDefaultOnceCdsClientJwtsAreRequired() {
        UiSettings ui = ServerConfig.from(Map.of("RASGUARD_CDS_ISSUERS", "https://ehr.example.org=" + JWKS))
                .ui();
        assertThat(ui.served()).isFalse();
        assertThat(ui.whyOff()).contains("RASGUARD_CDS_ISSUERS");
    }

    @Test
    void askingForThePageWhileAuthenticationIsRequiredStopsTheStart() {
        assertThatThrownBy(() -> ServerConfig.from(
                        Map.of("RASGUARD_UI", "true", "RASGUARD_CDS_ISSUERS", "https://ehr.example.org=" + JWKS)))
                .hasMessageContaining("RASGUARD_UI=true, but RASGUARD_CDS_ISSUERS is set");
    }

    @Test
    void thePageCanBeSwitchedOffAndDemoDataOn() {
        UiSettings ui = ServerConfig.from(Map.of("RASGUARD_UI", "false", "RASGUARD_DEMO_DATA", "TRUE"))
                .ui();
        assertThat(ui.served()).isFalse();
        assertThat(ui.demoData()).isTrue();
        assertThatThrownBy(() -> ServerConfig.from(Map.of("RASGUARD_DEMO_DATA", "yes")))
                .hasMessageContaining("RASGUARD_DEMO_DATA='yes' is not true or false");
        assertThatThrownBy(() -> ServerConfig.from(Map.of("RASGUARD_UI", "on")))
                .hasMessageContaining("RASGUARD_UI='on' is not true or false");
    }

    @Test
    void everyVariableIsListedInTheServerConfiguration() {
        assertThat(ServerConfig.VARIABLES).containsAll(UiSettings.VARIABLES);
    }
}
