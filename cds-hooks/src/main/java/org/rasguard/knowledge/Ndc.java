package org.rasguard.knowledge;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A US National Drug Code in its unambiguous 11-digit 5-4-2 form, or a 9-digit 5-4 product code.
 *
 * <p>NDCs are printed with 10 digits in three hyphenated layouts (4-4-2, 5-3-2, 5-4-1) and exchanged
 * with 11 digits (5-4-2, the short segment padded with a zero). A hyphenated code is normalised by
 * padding each segment; an 11-digit or 9-digit code without hyphens is already 5-4-2 or 5-4. A
 * 10-digit code without hyphens cannot be normalised, because the padded segment is unknown: it does
 * not parse, and the matcher compares it as given.
 *
 * <p>Two codes of the same product match when either of them names only the product (labeler and
 * product segments), so that a ValueSet listing a product accepts all of its packages.
 *
 * @see <a href="https://terminology.hl7.org/NDC.html">Using NDC with HL7 standards</a>
 */
record Ndc(String labelerAndProduct, String packageCode) {

    private static final Pattern HYPHENATED = Pattern.compile("(\\d{4,5})-(\\d{3,4})(?:-(\\d{1,2}))?");
    private static final Pattern ELEVEN_DIGITS = Pattern.compile("(\\d{9})(\\d{2})");
    private static final Pattern NINE_DIGITS = Pattern.compile("\\d{9}");

    static Optional<Ndc> parse(String code) {
        String trimmed = code.trim();
        Matcher hyphenated = HYPHENATED.matcher(trimmed);
        if (hyphenated.matches()) {
            return fromSegments(hyphenated.group(1), hyphenated.group(2), hyphenated.group(3));
        }
        Matcher eleven = ELEVEN_DIGITS.matcher(trimmed);
        if (eleven.matches()) {
            return Optional.of(new Ndc(eleven.group(1), eleven.group(2)));
        }
        if (NINE_DIGITS.matcher(trimmed).matches()) {
            return Optional.of(new Ndc(trimmed, null));
        }
        return Optional.empty();
    }

    /** Only the layouts that exist: 10 digits (4-4-2, 5-3-2, 5-4-1) or 11 (5-4-2); products 8 or 9. */
    private static Optional<Ndc> fromSegments(String labeler, String product, String packageCode) {
        int digits = labeler.length() + product.length() + (packageCode == null ? 0 : packageCode.length());
        int tenDigitForm = packageCode == null ? 8 : 10;
        boolean elevenDigitForm =
                labeler.length() == 5 && product.length() == 4 && (packageCode == null || packageCode.length() == 2);
        if (digits != tenDigitForm && !elevenDigitForm) {
            return Optional.empty();
        }
        String labelerAndProduct = pad(labeler, 5) + pad(product, 4);
        return Optional.of(new Ndc(labelerAndProduct, packageCode == null ? null : pad(packageCode, 2)));
    }

    private static String pad(String segment, int length) {
        return "0".repeat(length - segment.length()) + segment;
    }

    boolean sameProductAs(Ndc other) {
        if (!labelerAndProduct.equals(other.labelerAndProduct)) {
            return false;
        }
        return packageCode == null || other.packageCode == null || packageCode.equals(other.packageCode);
    }
}
