package org.rasguard.decision;

import java.util.List;
import org.rasguard.ras.RasAssessment;

/**
 * The decision of one patient-view call.
 *
 * @param assessment the RAS assessment over all the evidence
 * @param cards the cards to show: the late results first (oldest first), then at most one testing reminder
 * @param reminder what became of the testing reminder
 * @param cautions shown with the reasons of an unknown status
 */
public record ChartDecision(RasAssessment assessment, List<ChartCard> cards, Reminder reminder, List<String> cautions) {

    public ChartDecision {
        cards = List.copyOf(cards);
        cautions = List.copyOf(cautions);
    }

    /** Whether a testing reminder is due, and if not shown, why. */
    public enum Reminder {
        /** No reminder applies (not colorectal, not metastatic, RAS known, no later metastasis). */
        NONE,
        SHOWN,
        /** A RAS test is already ordered (an active ServiceRequest for it). */
        SUPPRESSED_TEST_ORDERED,
        /** A reminder was shown for this patient within the reminder window. */
        SUPPRESSED_SHOWN_RECENTLY
    }
}
