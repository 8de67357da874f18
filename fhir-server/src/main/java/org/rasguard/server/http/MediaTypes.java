package org.rasguard.server.http;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * Reading a {@code Content-Type} header (RFC 9110 8.3): its media type and its {@code charset}
 * parameter, and which of them this server accepts.
 */
public final class MediaTypes {

    /**
     * The charsets a body may be written in. JSON is UTF-8 (RFC 8259 8.1), the UTF-16 and UTF-32 forms are
     * what RFC 4627 3 still allowed and JSON and XML parsers detect; US-ASCII and ISO-8859-1 are what old
     * clients label forms and XML with. Everything else is refused with 415 rather than guessed at.
     */
    static final Set<Charset> ACCEPTED_CHARSETS = Set.of(
            StandardCharsets.UTF_8,
            StandardCharsets.US_ASCII,
            StandardCharsets.ISO_8859_1,
            StandardCharsets.UTF_16,
            StandardCharsets.UTF_16BE,
            StandardCharsets.UTF_16LE,
            Charset.forName("UTF-32"),
            Charset.forName("UTF-32BE"),
            Charset.forName("UTF-32LE"));

    private MediaTypes() {}

    /** {@code type/subtype} in lower case, without parameters; null when the header is absent or empty. */
    public static String mediaType(String contentType) {
        if (contentType == null) {
            return null;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
                .trim()
                .toLowerCase(Locale.ROOT);
        return type.isEmpty() ? null : type;
    }

    /** {@code application/json} or a structured {@code +json} type (RFC 6839 3.1), such as {@code application/fhir+json}. */
    public static boolean isJson(String contentType) {
        String type = mediaType(contentType);
        if (type == null) {
            return false;
        }
        int slash = type.indexOf('/');
        return type.equals("application/json")
                || (slash > 0 && type.endsWith("+json") && type.indexOf('/', slash + 1) < 0);
    }

    /** XML or text: bodies whose bytes are characters, which a charset decodes. */
    static boolean isText(String contentType) {
        String type = mediaType(contentType);
        return type != null
                && (isJson(contentType)
                        || type.equals("application/xml")
                        || type.endsWith("+xml")
                        || type.startsWith("text/"));
    }

    /** The value of the {@code charset} parameter, unquoted; null when there is none. */
    static String charsetName(String contentType) {
        if (contentType == null) {
            return null;
        }
        String[] parts = contentType.split(";");
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].trim();
            if (parameter.regionMatches(true, 0, "charset=", 0, 8)) {
                return parameter.substring(8).replace("\"", "").trim();
            }
        }
        return null;
    }

    /** The named charset when it is one of {@link #ACCEPTED_CHARSETS}; null otherwise (unknown, unsupported, malformed). */
    static Charset acceptedCharset(String name) {
        try {
            Charset charset = Charset.forName(name);
            return ACCEPTED_CHARSETS.contains(charset) ? charset : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The same header with its charset parameter set to {@code utf-8}. */
    static String withUtf8(String contentType) {
        StringBuilder rewritten =
                new StringBuilder(mediaType(contentType) == null ? "application/octet-stream" : mediaType(contentType));
        String[] parts = contentType == null ? new String[0] : contentType.split(";");
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].trim();
            if (!parameter.isEmpty() && !parameter.regionMatches(true, 0, "charset=", 0, 8)) {
                rewritten.append(';').append(parameter);
            }
        }
        return rewritten.append(";charset=utf-8").toString();
    }
}
