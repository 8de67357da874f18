package org.rasguard.server.logs;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.List;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * Keeps the exception logging of the libraries that handle requests, HAPI FHIR ({@code ca.uhn.fhir}),
 * the HL7 validator it runs ({@code org.hl7.fhir}) and Jetty, out of the log (registered in
 * logback.xml). HAPI logs every exception an interceptor throws at ERROR with its stack trace and
 * message: each 401, 403 and validation 400 was some 6 KB of trace (issue 16, row 5), and parser
 * messages quote submitted values (row 14); the validator and Jetty log theirs the same way. Here:
 *
 * <ul>
 *   <li>a refusal (a 4xx exception, a parser error) is dropped: the request's one WARN line
 *       ({@code rasguard.request}) says it, with its stable code;
 *   <li>a client abort (the connection closed while the answer was written) is dropped: the request's
 *       one INFO line says it ({@link org.rasguard.server.http.ClientAborts});
 *   <li>anything else is replaced by one line of {@link SafeExceptions#summary}: classes and code
 *       locations, no message.
 * </ul>
 */
public final class LibraryExceptionLogFilter extends TurboFilter {

    private static final org.slf4j.Logger SUMMARY = LoggerFactory.getLogger("rasguard.library");
    private static final List<String> LIBRARIES = List.of("ca.uhn.fhir", "org.hl7.fhir", "org.eclipse.jetty");

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        // getEffectiveLevel, not isEnabledFor: that asks the turbo filters again, this one included.
        if (logger == null
                || level == null
                || LIBRARIES.stream().noneMatch(logger.getName()::startsWith)
                || !level.isGreaterOrEqual(logger.getEffectiveLevel())) {
            return FilterReply.NEUTRAL;
        }
        Throwable thrown = t != null
                ? t
                : params != null && params.length > 0 && params[params.length - 1] instanceof Throwable last
                        ? last
                        : null;
        if (thrown == null) {
            return FilterReply.NEUTRAL;
        }
        // A client that went away (HAPI-2544 logs it even when told not to answer): the request's own INFO line says
        // it.
        if (!SafeExceptions.isRefusal(thrown) && !SafeExceptions.isClientAbort(thrown)) {
            String where = logger.getName().substring(logger.getName().lastIndexOf('.') + 1);
            if (level.isGreaterOrEqual(Level.ERROR)) {
                SUMMARY.error("{}: {}", where, SafeExceptions.summary(thrown));
            } else {
                SUMMARY.warn("{}: {}", where, SafeExceptions.summary(thrown));
            }
        }
        return FilterReply.DENY;
    }
}
