package org.rasguard.server.lateresults;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.hl7.fhir.r4.model.AuditEvent;
import org.junit.jupiter.api.Test;
import org.rasguard.cdshooks.Decision;
import org.rasguard.cdshooks.Hook;
import org.rasguard.server.audit.DecisionAuditEvents;

/** A decision found by a shared person identifier only is not the person's when another system disagrees. */
class DecisionHistoryTest {

    private static final String MRN = "urn:oid:2.16.840.1.113883.19.5";
    private static final String NATIONAL = "urn:oid:2.16.840.1.113883.4.1";

    private static AuditEvent decisionAbout(List<String> identifiers) {
        return DecisionAuditEvents.of(new Decision(
                "rasguard-anti-egfr-order-sign",
                Hook.ORDER_SIGN,
                "4e5f6a7b-8c9d-4e0f-9a1b-2c3d4e5f6a7b",
                "Practitioner/doc-1",
                "ehr-9",
                Instant.parse("2026-11-01T09:00:00Z"),
                1_000_000,
                1,
                List.of(),
                null,
                List.of(),
                List.of(),
                null,
                List.of(),
                identifiers));
    }

    @Test
    void anotherSystemWithAnotherValueDisagrees() {
        AuditEvent decision = decisionAbout(List.of(MRN + "|M-1", NATIONAL + "|123-45-6789"));

        assertThat(DecisionHistory.disagrees(decision, List.of(MRN + "|M-1", NATIONAL + "|987-65-4321")))
                .isTrue();
    }

    @Test
    void theSameValuesOrASystemOnlyOneSideHasAgree() {
        AuditEvent decision = decisionAbout(List.of(MRN + "|M-1", NATIONAL + "|123-45-6789"));

        assertThat(DecisionHistory.disagrees(decision, List.of(MRN + "|M-1"))).isFalse();
        assertThat(DecisionHistory.disagrees(decision, List.of(MRN + "|M-1", NATIONAL + "|123-45-6789")))
                .isFalse();
        assertThat(DecisionHistory.disagrees(
                        decisionAbout(List.of(MRN + "|M-1")), List.of(MRN + "|M-1", NATIONAL + "|1")))
                .isFalse();
    }
}
