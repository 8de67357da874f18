package org.rasguard.server.logs;

import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import java.util.ArrayList;
import java.util.List;
import org.xml.sax.SAXParseException;

/**
 * An exception as one log line may show it: the classes of its cause chain and where the innermost
 * was thrown, never a message. Messages of parsers, HAPI and the JDK quote what they choke on
 * ({@code For input string: "…"}, {@code HAPI-1821: … "Smith"}), and that is submitted data (issue 16,
 * row 14); the classes and code locations are enough to find a bug.
 */
public final class SafeExceptions {

    private static final int FRAMES = 3;

    private SafeExceptions() {}

    /** {@code InternalErrorException <- OutOfMemoryError at a.B.c(B.java:12) < …}. */
    public static String summary(Throwable failure) {
        List<String> classes = new ArrayList<>();
        Throwable innermost = failure;
        for (Throwable cause = failure;
                cause != null && classes.size() < 8;
                cause = cause.getCause() == cause ? null : cause.getCause()) {
            classes.add(cause.getClass().getSimpleName());
            innermost = cause;
        }
        StringBuilder line = new StringBuilder(String.join(" <- ", classes));
        int shown = 0;
        for (StackTraceElement frame : innermost.getStackTrace()) {
            String where = frame.getClassName();
            if (shown < FRAMES && !where.startsWith("jdk.internal.") && !where.startsWith("java.lang.reflect.")) {
                line.append(shown++ == 0 ? " at " : " < ").append(frame);
            }
        }
        return line.toString();
    }

    /**
     * Whether the exception is a client's fault that HAPI answers with a 4xx (a refusal, logged by the
     * request's own line): a 4xx response exception, or a parser error (HAPI answers it 400; the
     * validator's XML parse of a {@code $validate} body answers it as an error issue).
     */
    public static boolean isRefusal(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof BaseServerResponseException response) {
                return response.getStatusCode() < 500;
            }
            if (cause instanceof DataFormatException || cause instanceof SAXParseException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the failure, or anything it wraps, is the client's connection going away (Jetty's
     * org.eclipse.jetty.io.EofException, a closed channel, a reset or broken pipe): logged as one INFO line, never as an error
     * (org.rasguard.server.http.ClientAborts).
     */
    public static boolean isClientAbort(Throwable failure) {
        int depth = 0;
        for (Throwable cause = failure;
                cause != null && depth++ < 16;
                cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof org.eclipse.jetty.io.EofException
                    || cause instanceof java.nio.channels.ClosedChannelException) {
                return true;
            }
            if (cause instanceof java.io.IOException && cause.getMessage() != null) {
                String message = cause.getMessage().toLowerCase(java.util.Locale.ROOT);
                if (message.contains("broken pipe")
                        || message.contains("connection reset")
                        || message.contains("connection abort")) {
                    return true;
                }
            }
        }
        return false;
    }
}
