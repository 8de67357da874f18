package org.rasguard.server.http;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.slf4j.MDC;

/**
 * The correlation id of one request: the client's {@code X-Request-ID} when well-formed, else a new
 * UUID; for a CDS Hooks call, the hookInstance once the request is read. It is in the logging MDC
 * ({@value #MDC_KEY}) while the request runs, so every line the request produces carries it, and it
 * is echoed in the {@code X-Request-ID} response header.
 */
public final class Correlation {

    public static final String MDC_KEY = "correlationId";
    public static final String HEADER = "X-Request-ID";
    static final String ATTRIBUTE = Correlation.class.getName();
    private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9._:-]{8,100}");

    private volatile String id;

    Correlation(String id) {
        this.id = id;
    }

    /** The client's id if it is 8-100 letters, digits or {@code . _ : -}; otherwise a new UUID. */
    static Correlation from(String requestIdHeader) {
        return new Correlation(
                requestIdHeader != null && WELL_FORMED.matcher(requestIdHeader).matches() ? requestIdHeader : newId());
    }

    /**
     * A random version-4 UUID from {@link ThreadLocalRandom}, not {@link UUID#randomUUID()}: a correlation
     * id only has to tell one request's log lines from another's, and it is no secret (the response
     * echoes it, clients choose their own). {@code UUID.randomUUID()} takes the JVM's one SecureRandom
     * behind a lock for each request, and under load the answering threads queued on it (issue 19).
     */
    static String newId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long most = (random.nextLong() & ~0xf000L) | 0x4000L; // version 4
        long least = (random.nextLong() & ~(0xc000L << 48)) | (0x8000L << 48); // IETF variant
        return new UUID(most, least).toString();
    }

    public String id() {
        return id;
    }

    /**
     * Makes {@code id} (a hookInstance) this request's correlation id from here on: in the MDC, in
     * the request log line and in the response header (when the response is not committed yet).
     */
    public static void replace(HttpServletRequest request, HttpServletResponse response, String id) {
        if (id == null || !WELL_FORMED.matcher(id).matches()) {
            return;
        }
        MDC.put(MDC_KEY, id);
        if (request.getAttribute(ATTRIBUTE) instanceof Correlation correlation) {
            correlation.id = id;
        }
        if (!response.isCommitted()) {
            response.setHeader(HEADER, id);
        }
    }
}
