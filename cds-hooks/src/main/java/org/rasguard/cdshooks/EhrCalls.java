package org.rasguard.cdshooks;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The client's FHIR server for one call, if it may be called (the request names it, it is on the
 * allowlist), and the one deadline every read of the call shares: the Medications of draft orders and
 * every prefetch key not sent, together at most the budget (3 s in fhir-server), whatever their number.
 */
final class EhrCalls {

    private final EhrFhirClient client;
    private final EhrServer server;
    private final String whyUnavailable;
    private final long deadlineNanos;
    /** The reads of this call by URL: a handful per call, gone with it. */
    private final java.util.Map<String, CompletableFuture<EhrFetch>> reads =
            new java.util.concurrent.ConcurrentHashMap<>();

    private EhrCalls(EhrFhirClient client, EhrServer server, String whyUnavailable, long deadlineNanos) {
        this.client = client;
        this.server = server;
        this.whyUnavailable = whyUnavailable;
        this.deadlineNanos = deadlineNanos;
    }

    /** Starts the call's deadline now. */
    static EhrCalls open(HookRequest request, FhirServerAllowlist allowlist, EhrFhirClient client, long budgetMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(budgetMillis);
        if (request.fhirServer() == null) {
            return new EhrCalls(client, null, "the request names no fhirServer", deadline);
        }
        if (!allowlist.allows(request.fhirServer())) {
            return new EhrCalls(client, null, "fhirServer is not on this service's allowlist", deadline);
        }
        return new EhrCalls(
                client,
                new EhrServer(request.fhirServer(), request.accessToken()),
                "fhirServer could not be read",
                deadline);
    }

    /** Whether the client's FHIR server may be called. */
    boolean available() {
        return server != null;
    }

    /** Why data the client did not send may be missing (for the 412 text): no fhirServer, not allowed, or unreadable. */
    String whyUnavailable() {
        return whyUnavailable;
    }

    /**
     * Starts a read, or returns the one this call already started for the same URL (a call that gathers
     * its record twice, deferred keys second, reads each URL once); only when {@link #available()}.
     */
    CompletableFuture<EhrFetch> get(String relativeOrAbsoluteUrl) {
        if (server == null) {
            throw new IllegalStateException("the client's FHIR server may not be called");
        }
        return reads.computeIfAbsent(relativeOrAbsoluteUrl, url -> client.get(server, url));
    }

    /** What is left of the call's budget, never negative. */
    long remainingNanos() {
        return Math.max(0, deadlineNanos - System.nanoTime());
    }
}
