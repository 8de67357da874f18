package org.rasguard.server.audit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventEntityComponent;
import org.hl7.fhir.r4.model.Coding;

/**
 * Reads back what the report needs from our decision and feedback AuditEvents (layouts in
 * {@link DecisionAuditEvents} and {@code AuditEventFeedbackStore}). Anything else reads as empty.
 */
final class AuditRecords {

    /** A decision: its hookInstance, when, how long it took (ms), and its cards. */
    record DecisionRecord(
            String hookInstance, Instant recorded, double durationMs, String verdict, List<CardRecord> cards) {}

    record CardRecord(String uuid, String topic, String indicator) {}

    /** Feedback on a card: the outcome, the coded reason (may be null), when the clinician acted. */
    record FeedbackRecord(String cardUuid, String outcome, Reason reason, String outcomeTimestamp, Instant recorded) {}

    record Reason(String system, String code, String display) {}

    private AuditRecords() {}

    static Optional<DecisionRecord> decision(AuditEvent event) {
        if (!isType(event, DecisionAuditEvents.DECISION)) {
            return Optional.empty();
        }
        String hookInstance = null;
        double duration = Double.NaN;
        String verdict = null;
        List<CardRecord> cards = new ArrayList<>();
        for (AuditEventEntityComponent entity : event.getEntity()) {
            if ("hookInstance".equals(entity.getDescription())) {
                hookInstance = entity.getName();
                String ms = detail(entity, "durationMs");
                duration = ms == null ? Double.NaN : Double.parseDouble(ms);
                verdict = detail(entity, "verdict");
            } else if ("card".equals(entity.getDescription())) {
                cards.add(new CardRecord(entity.getName(), detail(entity, "topic"), detail(entity, "indicator")));
            }
        }
        return Optional.of(new DecisionRecord(hookInstance, instant(event), duration, verdict, cards));
    }

    static Optional<FeedbackRecord> feedback(AuditEvent event) {
        if (!isType(event, DecisionAuditEvents.FEEDBACK)) {
            return Optional.empty();
        }
        for (AuditEventEntityComponent entity : event.getEntity()) {
            if ("card".equals(entity.getDescription())) {
                String reason = detail(entity, "overrideReason");
                Reason coded = null;
                if (reason != null) {
                    int bar = reason.lastIndexOf('|');
                    String system = bar < 0 ? null : reason.substring(0, bar);
                    coded = new Reason(
                            "null".equals(system) ? null : system,
                            bar < 0 ? reason : reason.substring(bar + 1),
                            detail(entity, "overrideReasonDisplay"));
                }
                return Optional.of(new FeedbackRecord(
                        entity.getName(),
                        detail(entity, "outcome"),
                        coded,
                        detail(entity, "outcomeTimestamp"),
                        instant(event)));
            }
        }
        return Optional.empty();
    }

    private static boolean isType(AuditEvent event, String code) {
        Coding type = event.getType();
        return DecisionAuditEvents.TYPE_SYSTEM.equals(type.getSystem()) && code.equals(type.getCode());
    }

    private static Instant instant(AuditEvent event) {
        return event.getRecorded() == null ? null : event.getRecorded().toInstant();
    }

    static String detail(AuditEventEntityComponent entity, String type) {
        for (AuditEvent.AuditEventEntityDetailComponent detail : entity.getDetail()) {
            if (type.equals(detail.getType()) && detail.hasValueStringType()) {
                return detail.getValueStringType().getValue();
            }
        }
        return null;
    }
}
