package org.rasguard.server.http;

import java.math.BigDecimal;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The numbers this server accepts anywhere (bodies and queries): at most 1000 characters, magnitude
 * below 10^300 (a double holds it: HAPI indexes quantities as doubles, and an infinite one fails the
 * database write), at most 1000 digits after the point ({@code toPlainString()} stays small).
 */
public final class NumberLimits {

    static final int MAX_CHARS = 1000;
    static final int MAX_INTEGER_DIGITS = 300;
    static final int MAX_SCALE = 1000;
    private static final Pattern SEARCH_NUMBER = Pattern.compile("[-+]?\\d+(?:\\.\\d+)?(?:[eE][-+]?\\d+)?");
    /** FHIR search prefixes of number, quantity and date parameters. */
    private static final Pattern SEARCH_PREFIX = Pattern.compile("^(eq|ne|gt|lt|ge|le|sa|eb|ap)(?=[-+\\d])");

    private NumberLimits() {}

    /** Whether a JSON or FHIR decimal literal is within the limits. */
    public static boolean withinRange(String literal) {
        if (literal == null || literal.length() > MAX_CHARS) {
            return false;
        }
        try {
            BigDecimal value = new BigDecimal(literal.trim());
            return value.signum() == 0
                    || (value.precision() - value.scale() <= MAX_INTEGER_DIGITS && value.scale() <= MAX_SCALE);
        } catch (NumberFormatException | ArithmeticException e) {
            return true; // not a number: for the parser to refuse in its own words
        }
    }

    /**
     * Whether every number-valued search value in a query string is within the limits: a value that
     * is, as a whole, a number (after a search prefix such as {@code gt}, before a quantity's
     * {@code |system|code}). Numbers inside other values (a uuid's {@code 28e-8866}) are not numbers.
     */
    static boolean queryWithinRange(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return true;
        }
        for (String pair : rawQuery.split("&")) {
            String value;
            try {
                value = URLDecoder.decode(pair.substring(pair.indexOf('=') + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                continue; // a bad escape: Jetty or HAPI answer 400
            }
            for (String alternative : value.split(",")) {
                String candidate = SEARCH_PREFIX
                        .matcher(alternative.split("\\|", 2)[0].trim())
                        .replaceFirst("");
                if (SEARCH_NUMBER.matcher(candidate).matches() && !withinRange(candidate)) {
                    return false;
                }
            }
        }
        return true;
    }
}
