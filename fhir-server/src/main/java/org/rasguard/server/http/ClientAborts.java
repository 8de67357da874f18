package org.rasguard.server.http;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.eclipse.jetty.io.EofException;
import org.rasguard.server.logs.SafeExceptions;

/**
 * A client that goes away while its answer is being written: a browser's aborted {@code fetch()}, a
 * closed tab, a CDS Hooks sandbox that cancels a slow call. Nothing failed on our side, and there is
 * no one left to answer; but HAPI took the write failure for a server error, tried to write an
 * OperationOutcome onto the committed response (which fails again) and rethrew, so each abort was a
 * 500 with three error lines and Jetty's stack trace.
 *
 * <p>Here an abort is recognised once (Jetty's {@link EofException}, or an {@link IOException} saying
 * the peer reset or closed the connection, however wrapped), marked on the request, and kept quiet:
 * HAPI is told not to answer it ({@code BadInputExceptionMapper}), a servlet's rethrown write failure
 * ends in {@link Filter}, and {@link RequestLogHandler} writes the request's one line at INFO
 * ({@code GET /fhir/Patient aborted by the client}), counted in the metrics as status 499 (the
 * "client closed request" of common proxies), never 500.
 */
public final class ClientAborts {

    static final String ATTRIBUTE = ClientAborts.class.getName() + ".aborted";
    /** The status an aborted request is counted under in the metrics; no client ever sees it. */
    public static final int STATUS = 499;

    private ClientAborts() {}

    /** Whether the failure, or anything it wraps, is the client's connection going away ({@link SafeExceptions#isClientAbort}). */
    public static boolean isAbort(Throwable failure) {
        return SafeExceptions.isClientAbort(failure);
    }

    /** Marks the request as aborted by its client. */
    public static void record(ServletRequest request) {
        if (request != null) {
            request.setAttribute(ATTRIBUTE, Boolean.TRUE);
        }
    }

    public static boolean recorded(ServletRequest request) {
        return request != null && Boolean.TRUE.equals(request.getAttribute(ATTRIBUTE));
    }

    static boolean recorded(Object attribute) {
        return Boolean.TRUE.equals(attribute);
    }

    /**
     * First in the servlet chain: a write failure that is an abort, rethrown by whatever was writing
     * (a servlet, HAPI), ends here instead of in Jetty's error handling (a WARN with a stack trace and
     * an attempt at an error page on a dead connection).
     */
    public static final class Filter extends HttpFilter {

        @Override
        protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            try {
                chain.doFilter(request, response);
            } catch (IOException | ServletException | RuntimeException e) {
                if (!isAbort(e)) {
                    throw e;
                }
                record(request);
            }
        }
    }
}
