package org.rasguard.server.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class AuditRetentionTest {

    @Test
    void theCutOffIsExactlyNDaysOfTwentyFourHoursBeforeNow() {
        Instant now = Instant.parse("2026-03-29T01:30:00Z"); // the night clocks change in Europe: no effect in UTC
        assertThat(AuditRetention.cutoff(now, 1)).isEqualTo(Instant.parse("2026-03-28T01:30:00Z"));
        assertThat(AuditRetention.cutoff(now, 30)).isEqualTo(Instant.parse("2026-02-27T01:30:00Z"));
        assertThat(AuditRetention.cutoff(now, 3650)).isEqualTo(Instant.parse("2016-03-31T01:30:00Z"));
    }

    @Test
    void lessThanADayIsRefused() {
        assertThatThrownBy(() -> AuditRetention.cutoff(Instant.now(), 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
