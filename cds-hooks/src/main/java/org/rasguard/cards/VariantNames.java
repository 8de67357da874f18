package org.rasguard.cards;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.rasguard.ras.VariantFinding;

/**
 * Short variant names for card text: {@code NP_004976.2:p.(Gly12Asp)} becomes {@code p.G12D}, a
 * coding change loses its transcript ({@code c.35G>A}). Anything else is shown as reported.
 */
final class VariantNames {

    private static final Map<String, String> ONE_LETTER = Map.ofEntries(
            Map.entry("Ala", "A"),
            Map.entry("Arg", "R"),
            Map.entry("Asn", "N"),
            Map.entry("Asp", "D"),
            Map.entry("Cys", "C"),
            Map.entry("Gln", "Q"),
            Map.entry("Glu", "E"),
            Map.entry("Gly", "G"),
            Map.entry("His", "H"),
            Map.entry("Ile", "I"),
            Map.entry("Leu", "L"),
            Map.entry("Lys", "K"),
            Map.entry("Met", "M"),
            Map.entry("Phe", "F"),
            Map.entry("Pro", "P"),
            Map.entry("Ser", "S"),
            Map.entry("Thr", "T"),
            Map.entry("Trp", "W"),
            Map.entry("Tyr", "Y"),
            Map.entry("Val", "V"),
            Map.entry("Ter", "*"));
    private static final Pattern THREE_LETTER_MISSENSE =
            Pattern.compile("p\\.\\(?([A-Z][a-z]{2})(\\d+)([A-Z][a-z]{2}|=|\\*)\\)?");
    private static final Pattern ACCESSION = Pattern.compile("^[A-Za-z]{2,4}_[0-9.]+(\\([A-Za-z0-9-]+\\))?:");

    private VariantNames() {}

    /** True when the finding is written at protein level (preferred in a summary). */
    static boolean isProtein(VariantFinding finding) {
        return strip(finding.hgvs()).startsWith("p.");
    }

    static String shortName(VariantFinding finding) {
        String bare = strip(finding.hgvs());
        Matcher missense = THREE_LETTER_MISSENSE.matcher(bare);
        if (missense.matches() && ONE_LETTER.containsKey(missense.group(1))) {
            String alternate = missense.group(3).length() == 3 ? ONE_LETTER.get(missense.group(3)) : missense.group(3);
            if (alternate != null) {
                return "p." + ONE_LETTER.get(missense.group(1)) + missense.group(2) + alternate;
            }
        }
        if (bare.startsWith("p.(") && bare.endsWith(")")) {
            return "p." + bare.substring(3, bare.length() - 1);
        }
        return bare;
    }

    private static String strip(String hgvs) {
        String text = hgvs == null ? "" : hgvs.strip();
        return ACCESSION.matcher(text).replaceFirst("");
    }
}
