package org.rasguard.cdshooks;

import java.util.List;
import org.hl7.fhir.r4.model.Resource;

/** What a read or search on the client's FHIR server gave. */
public sealed interface EhrFetch {

    /**
     * The resource read, or every entry of every page of the search; {@code total} is what the
     * search announced (null: nothing announced) and {@code matches} how many of its entries count
     * towards it, so the caller can tell an answer cut short ({@link SearchCompleteness}).
     */
    record Found(List<Resource> resources, Integer total, int matches) implements EhrFetch {
        public Found {
            resources = List.copyOf(resources);
        }

        /** A read, or a search that announced no total. */
        public Found(List<Resource> resources) {
            this(resources, null, resources.size());
        }

        /** Whether the pages hold fewer matches than the search announced (with {@code before} matches on earlier pages). */
        boolean shortOfTotal(int before) {
            return SearchCompleteness.shortOf(total, before + matches);
        }
    }

    /** A read answered 404 / 410: there is no such resource (for the Patient: no data). */
    record NotFound() implements EhrFetch {}

    /** The server could not be asked or did not answer usefully; the reason names no data. */
    record Failed(String reason) implements EhrFetch {}
}
