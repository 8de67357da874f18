package org.rasguard.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.time.Instant;
import java.util.List;
import org.hl7.fhir.r4.model.AuditEvent;
import org.junit.jupiter.api.Test;
import org.rasguard.cdshooks.Decision;
import org.rasguard.cdshooks.Hook;
import org.rasguard.decision.CardKind;
import org.rasguard.ras.RasStatus;

class DecisionAuditEventsTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    private static Decision decision(String errorCode) {
        return new Decision(
                "rasguard-anti-egfr-order-sign",
                Hook.ORDER_SIGN,
                "0b0e7a1c-7c2d-4c6e-9d6c-2a3c8f1e5b11",
                "Practitioner/doc-7",
                "pat-1",
                Instant.parse("2026-03-01T08:00:00.123Z"),
                12_345_678,
                2,
                List.of(new Decision.Order("MedicationRequest/mr-1", "cetuximab")),
                new Decision.Verdict(RasStatus.UNKNOWN, List.of("kras-only"), false, List.of()),
                List.of(new Decision.Card(
                        "9d1f3c55-0000-4000-8000-000000000001", CardKind.RAS_UNKNOWN, "MedicationRequest/mr-1")),
                List.of(new Decision.Evidence("Observation/12", "KRAS", "negative")),
                errorCode);
    }

    @Test
    void aDecisionBecomesAnAuditEventWithEveryFieldAndReadsBack() {
        AuditEvent event = DecisionAuditEvents.of(decision(null));
        String json = FHIR.newJsonParser().encodeResourceToString(event);
        AuditEvent parsed = FHIR.newJsonParser().parseResource(AuditEvent.class, json);

        assertThat(parsed.getType().getCode()).isEqualTo(DecisionAuditEvents.DECISION);
        assertThat(parsed.getSubtypeFirstRep().getCode()).isEqualTo("order-sign");
        assertThat(parsed.getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._0);
        assertThat(parsed.getRecorded().toInstant()).isEqualTo(Instant.parse("2026-03-01T08:00:00.135Z"));
        assertThat(parsed.getPeriod().getStartElement().getValueAsString()).isEqualTo("2026-03-01T08:00:00.123+00:00");
        assertThat(parsed.getAgentFirstRep().getAltId()).isEqualTo("Practitioner/doc-7");
        assertThat(parsed.getEntity())
                .extracting(AuditEvent.AuditEventEntityComponent::getDescription)
                .containsExactly("patient", "hookInstance", "order", "card", "evidence");
        assertThat(parsed.getEntityFirstRep().getName()).isEqualTo("Patient/pat-1");
        assertThat(json)
                .contains(
                        "\"kras-only\"",
                        "\"12.346\"",
                        "MedicationRequest/mr-1",
                        "Observation/12",
                        "\"RasUnknown\"",
                        "\"warning\"")
                .doesNotContain("\"reference\"");

        AuditRecords.DecisionRecord record = AuditRecords.decision(parsed).orElseThrow();
        assertThat(record.hookInstance()).isEqualTo("0b0e7a1c-7c2d-4c6e-9d6c-2a3c8f1e5b11");
        assertThat(record.durationMs()).isEqualTo(12.346);
        assertThat(record.verdict()).isEqualTo("unknown");
        assertThat(record.cards())
                .containsExactly(
                        new AuditRecords.CardRecord("9d1f3c55-0000-4000-8000-000000000001", "RasUnknown", "warning"));
        assertThat(AuditRecords.feedback(parsed)).isEmpty();
    }

    @Test
    void theStoreRecordsTheDecisionReadAreNamedSoTheLateResultCheckFindsThem() {
        Decision base = decision(null);
        Decision withStore = new Decision(
                base.serviceId(),
                base.hook(),
                base.hookInstance(),
                base.userId(),
                base.patientId(),
                base.started(),
                base.durationNanos(),
                base.draftOrders(),
                base.orders(),
                base.verdict(),
                base.cards(),
                base.evidence(),
                null,
                List.of("1033", "1040"),
                List.of("urn:oid:2.16.840.1.113883.19.5|MRN-77"));
        AuditEvent event = DecisionAuditEvents.of(withStore);
        assertThat(event.getEntity())
                .extracting(AuditEvent.AuditEventEntityComponent::getDescription)
                .containsExactly(
                        "patient",
                        "storePatient",
                        "storePatient",
                        "personIdentifier",
                        "hookInstance",
                        "order",
                        "card",
                        "evidence");
        assertThat(event.getEntity().get(3).getName()).isEqualTo("person:urn:oid:2.16.840.1.113883.19.5|MRN-77");
        assertThat(event.getEntity().get(3).getWhat().getIdentifier().getSystem())
                .isEqualTo("urn:oid:2.16.840.1.113883.19.5");
        assertThat(event.getEntity().get(3).getWhat().getIdentifier().getValue())
                .isEqualTo("MRN-77");
        assertThat(event.getEntity().get(1).getName()).isEqualTo("store:Patient/1033");
        assertThat(event.getEntity().get(2).getWhat().getIdentifier().getSystem())
                .isEqualTo(DecisionAuditEvents.STORE_PATIENT_SYSTEM);
        assertThat(event.getEntity().get(2).getWhat().getIdentifier().getValue())
                .isEqualTo("1040");
        assertThat(event.getEntity().get(2).getWhat().hasReference()).isFalse();
    }

    @Test
    void aFailedCallIsRecordedWithItsErrorCodeAndNoCards() {
        AuditEvent event = DecisionAuditEvents.of(decision("data-unavailable"));
        assertThat(event.getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._4);
        assertThat(event.getOutcomeDesc()).isEqualTo("data-unavailable");
        assertThat(AuditRecords.decision(event).orElseThrow().verdict()).isEqualTo("error");
    }

    @Test
    void millisecondsKeepMicroseconds() {
        assertThat(DecisionAuditEvents.millis(1_500)).isEqualTo("0.002");
        assertThat(DecisionAuditEvents.millis(2_000_000_000L)).isEqualTo("2000.000");
    }
}
