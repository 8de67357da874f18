package org.rasguard.cdshooks;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;

/**
 * Whether a search answer holds every match it announces. FHIR R4 §3.1.1.4.1 (Bundle.total): "the
 * total number of entries of type 'match' across all pages". A page that says {@code total: 30},
 * carries 10 matches and no {@code next} link was cut short (a proxy, a client's own page cap, an
 * export that kept the first page): reading it as the whole record could miss the one mutated result,
 * so such an answer is treated as not supplied, never as complete.
 *
 * <p>Matches are entries whose {@code search.mode} is {@code match} or absent (clients often leave it
 * out); {@code include} and {@code outcome} entries are not counted.
 */
public final class SearchCompleteness {

    private SearchCompleteness() {}

    /** The {@code total} a search Bundle announces, or null when it gives none (or is not a search). */
    public static Integer announcedTotal(Bundle bundle) {
        return bundle.hasTotalElement() && bundle.getTotalElement().getValue() != null ? bundle.getTotal() : null;
    }

    /** The entries of this page that count towards {@code total}. */
    public static int matches(Bundle bundle) {
        int matches = 0;
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            if (!entry.hasResource() || entry.getResource() instanceof OperationOutcome) {
                continue;
            }
            Bundle.SearchEntryMode mode = entry.hasSearch() ? entry.getSearch().getMode() : null;
            if (mode == null || mode == Bundle.SearchEntryMode.MATCH) {
                matches++;
            }
        }
        return matches;
    }

    /** Whether {@code matches} entries fall short of an announced {@code total} (null: nothing announced). */
    public static boolean shortOf(Integer total, int matches) {
        return total != null && matches < total;
    }
}
