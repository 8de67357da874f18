package org.rasguard.server.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.handler.DoSHandler;

/**
 * The per-client rate limit ({@code RASGUARD_RATE_LIMIT_PER_SECOND}): Jetty's {@link DoSHandler}, a
 * leaky bucket per client address with a burst of twice the rate; over it, 429.
 *
 * <p>One HTTP request can be many: a batch Bundle of GET entries is a search per entry (issue 16,
 * row 10: 2000 of them took 36 s of server time). {@link #charge} lets such a request draw its extra
 * requests from the same client's bucket. The buckets stay Jetty's; this only remembers, weakly, the
 * bucket Jetty made for each address, so it forgets one as soon as Jetty does.
 */
public final class RateLimit implements DoSHandler.Tracker.Factory {

    private final int perSecond;
    private final DoSHandler.Tracker.Factory buckets;
    private final Cache<String, DoSHandler.Tracker> byClient =
            Caffeine.newBuilder().weakValues().build();

    /** @param perSecond requests per second per client address; 0 for no limit */
    public RateLimit(int perSecond) {
        this.perSecond = perSecond;
        this.buckets = perSecond == 0
                ? null
                : new DoSHandler.LeakingBucketTrackerFactory(perSecond, 2 * perSecond, Duration.ofSeconds(10));
    }

    @Override
    public DoSHandler.Tracker newTracker(String id) {
        DoSHandler.Tracker tracker = buckets.newTracker(id);
        byClient.put(id, tracker);
        return tracker;
    }

    /** The application behind the limit; itself when there is none. */
    public Handler protect(Handler application) {
        if (perSecond == 0) {
            return application;
        }
        // By the client's address as the servlet API gives it (getRemoteAddr), which is what charge() is handed.
        return new DoSHandler(
                application,
                org.eclipse.jetty.server.Request::getRemoteAddr,
                this,
                new DoSHandler.StatusRejectHandler(429),
                100_000);
    }

    /**
     * Draws {@code requests} more requests from the bucket of the client at {@code address} (the one its
     * current request came through).
     *
     * @return false when the bucket overflows: the client is over its rate
     */
    public boolean charge(String address, int requests) {
        DoSHandler.Tracker tracker = perSecond == 0 || address == null ? null : byClient.getIfPresent(address);
        if (tracker == null) {
            return true;
        }
        long now = System.nanoTime();
        for (int i = 0; i < requests; i++) {
            if (!tracker.onRequest(now)) {
                return false;
            }
        }
        return true;
    }
}
