package org.rasguard.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rasguard.server.auth.SmartScopes.Grant;
import org.rasguard.server.auth.SmartScopes.Level;

class SmartScopesTest {

    @Test
    void v1ReadWriteAndStar() {
        assertThat(SmartScopes.parse(List.of("system/Observation.write", "system/*.read", "patient/Patient.*")))
                .containsExactly(
                        new Grant(Level.SYSTEM, "Observation", false, true, true, true),
                        new Grant(Level.SYSTEM, "*", true, false, false, false),
                        new Grant(Level.PATIENT, "Patient", true, true, true, true));
    }

    @Test
    void v2LettersMapToTheirPermissions() {
        assertThat(SmartScopes.parse(List.of(
                        "system/*.cruds",
                        "user/Observation.rs",
                        "patient/Observation.s",
                        "system/Bundle.c",
                        "system/DiagnosticReport.d")))
                .containsExactly(
                        new Grant(Level.SYSTEM, "*", true, true, true, true),
                        new Grant(Level.USER, "Observation", true, false, false, false),
                        new Grant(Level.PATIENT, "Observation", true, false, false, false),
                        new Grant(Level.SYSTEM, "Bundle", false, true, false, false),
                        new Grant(Level.SYSTEM, "DiagnosticReport", false, false, false, true));
    }

    @Test
    void updateWithoutCreateGrantsNoUpdate() {
        assertThat(SmartScopes.parse(List.of("system/Observation.u"))).isEmpty();
        assertThat(SmartScopes.parse(List.of("system/Observation.ru")))
                .containsExactly(new Grant(Level.SYSTEM, "Observation", true, false, false, false));
    }

    @Test
    void whatCannotBeEnforcedExactlyGrantsNothing() {
        assertThat(SmartScopes.parse(List.of(
                        "openid",
                        "launch/patient",
                        "offline_access",
                        "fhirUser",
                        "patient/Observation.rs?category=laboratory",
                        "system/Observation.rsx",
                        "system/Observation.sr",
                        "system/Observation.",
                        "admin/*.read",
                        "system/Observation.READ",
                        "system/../Observation.read")))
                .isEmpty();
    }
}
