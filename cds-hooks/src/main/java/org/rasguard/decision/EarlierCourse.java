package org.rasguard.decision;

import java.time.Instant;
import org.rasguard.knowledge.AntiEgfrDrug;

/**
 * An earlier course of an anti-EGFR antibody found in the medication history, ending last of all
 * such courses.
 *
 * @param drug the antibody
 * @param reference the record that shows it ({@code MedicationStatement/12}), or null when it has no id
 * @param end the latest instant the course may have ended (a partial date stands for its last
 *     moment); null when its end is not recorded or it is still going on: then it counts as going on
 *     until now (fail safe)
 * @param endText the end as recorded ({@code 2026-03}), or null
 */
public record EarlierCourse(AntiEgfrDrug drug, String reference, Instant end, String endText) {

    /** The course is still going on, or its end is not recorded. */
    public boolean possiblyOngoing() {
        return end == null;
    }
}
