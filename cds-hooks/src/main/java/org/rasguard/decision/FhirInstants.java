package org.rasguard.decision;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.DateTimeType;

/**
 * The earliest and the latest instant a FHIR date or dateTime may mean, for comparisons that must not
 * be wrong: {@code 2026-03} may be any moment of March, and a value without a time zone any of the
 * zones from -14:00 to +14:00 (FHIR R4 §2.24.0.6 dateTime: "If hours and minutes are specified, a time
 * zone SHALL be populated"; dates have none).
 */
final class FhirInstants {

    private static final Duration ZONE_SLACK = Duration.ofHours(14);
    private static final Pattern ZONED = Pattern.compile(".*T.*(Z|[+-]\\d\\d:\\d\\d)$");

    private FhirInstants() {}

    /** The first instant the value may mean; empty when it has none. */
    static Optional<Instant> earliest(BaseDateTimeType value) {
        if (value == null || !value.hasValue()) {
            return Optional.empty();
        }
        Instant start = value.getValue().toInstant();
        return Optional.of(zoned(value) ? start : start.minus(ZONE_SLACK));
    }

    /** The last instant the value may mean; empty when it has none. */
    static Optional<Instant> latest(BaseDateTimeType value) {
        if (value == null || !value.hasValue()) {
            return Optional.empty();
        }
        BaseDateTimeType next = (BaseDateTimeType) value.copy();
        next.add(value.getPrecision().getCalendarConstant(), 1);
        Instant end = next.getValue().toInstant().minusMillis(1);
        return Optional.of(zoned(value) ? end : end.plus(ZONE_SLACK));
    }

    /** The first instant a dateTime written as text may mean; empty when it is missing or not a FHIR dateTime. */
    static Optional<Instant> earliest(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        try {
            return earliest(new DateTimeType(text));
        } catch (RuntimeException e) { // DataFormatException: not a dateTime, so the result is not dated
            return Optional.empty();
        }
    }

    private static boolean zoned(BaseDateTimeType value) {
        String text = value.getValueAsString();
        return text != null && ZONED.matcher(text).matches();
    }
}
