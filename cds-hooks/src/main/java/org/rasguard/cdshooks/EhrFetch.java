package org.rasguard.cdshooks;

import java.util.List;
import org.hl7.fhir.r4.model.Resource;

/** What a read or search on the client's FHIR server gave. */
public sealed interface EhrFetch {

    /** The resource read, or every entry of every page of the search. */
    record Found(List<Resource> resources) implements EhrFetch {
        public Found {
            resources = List.copyOf(resources);
        }
    }

    /** A read answered 404 / 410: there is no such resource (for the Patient: no data). */
    record NotFound() implements EhrFetch {}

    /** The server could not be asked or did not answer usefully; the reason names no data. */
    record Failed(String reason) implements EhrFetch {}
}
