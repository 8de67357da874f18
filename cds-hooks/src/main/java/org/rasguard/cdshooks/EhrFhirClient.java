package org.rasguard.cdshooks;

import java.util.concurrent.CompletableFuture;

/**
 * Reads from the CDS client's FHIR server, for data the client did not prefetch. Implementations
 * present the bearer token, parse FHIR JSON, follow a searchset's {@code next} links only while they
 * stay under the server's base URL, stop at a page cap (answering {@link EhrFetch.Failed}: a
 * truncated search must not pass for a complete one), enforce hard timeouts and never log the token
 * or any data.
 */
public interface EhrFhirClient {

    /**
     * GETs a read ({@code Patient/123}), a search ({@code Condition?patient=123}) or an absolute
     * {@code next} link under {@code server.baseUrl()}. Never completes exceptionally.
     */
    CompletableFuture<EhrFetch> get(EhrServer server, String relativeOrAbsoluteUrl);
}
