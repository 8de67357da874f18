package org.rasguard.decision;

import java.util.List;

/**
 * One patient-view card to show, with what its text names.
 *
 * @param kind {@link CardKind#LATE_RAS_RESULT}, {@link CardKind#RAS_TESTING_METASTATIC} or {@link CardKind#METASTASIS_RAS_TESTING}
 * @param lateResult the open DetectedIssue, for the late-result card; else null
 * @param metastasis how metastatic disease is documented (the reminders), in words; else empty
 * @param newestResult the newest RAS result's date as reported, for the metastasis card; else null
 * @param origin where that result's specimen came from, for the metastasis card; else null
 * @param later the metastases documented after that result, in words, for the metastasis card; else empty
 */
public record ChartCard(
        CardKind kind,
        LateResult lateResult,
        List<String> metastasis,
        String newestResult,
        Origin origin,
        List<String> later) {

    public ChartCard {
        metastasis = List.copyOf(metastasis);
        later = List.copyOf(later);
    }

    /** Where the newest RAS result's specimen was taken from, as its body site, type or description say. */
    public enum Origin {
        PRIMARY,
        METASTASIS,
        NOT_STATED
    }

    static ChartCard late(LateResult result) {
        return new ChartCard(CardKind.LATE_RAS_RESULT, result, List.of(), null, null, List.of());
    }
}
