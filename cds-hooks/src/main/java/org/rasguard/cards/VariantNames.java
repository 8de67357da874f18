package org.rasguard.cards;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.rasguard.ras.Hgvs;
import org.rasguard.ras.VariantFinding;

/**
 * Short variant names for card text: {@code NP_004976.2:p.(Gly12Asp)} becomes {@code p.G12D}, a
 * coding change loses its transcript ({@code c.35G>A}). Anything else is shown as reported.
 */
final class VariantNames {

    private static final Pattern THREE_LETTER_MISSENSE =
            Pattern.compile("p\\.\\(?([A-Z][a-z]{2})(\\d+)([A-Z][a-z]{2}|=|\\*)\\)?");
    /**
     * Residues kept in three letters: Xaa's one-letter X is read by many clinicians as a stop codon
     * (the nomenclature before HGVS settled on *), and Sec (U) and Pyl (O) are rare enough to be
     * misread; a change naming one is shown as reported.
     */
    private static final java.util.Set<String> KEPT_AS_REPORTED = java.util.Set.of("Xaa", "Sec", "Pyl");

    private static final Pattern ACCESSION = Pattern.compile("^[A-Za-z]{2,4}_[0-9.]+(\\([A-Za-z0-9-]+\\))?:");

    private VariantNames() {}

    /** True when the finding is written at protein level (preferred in a summary). */
    static boolean isProtein(VariantFinding finding) {
        return strip(finding.hgvs()).startsWith("p.");
    }

    static String shortName(VariantFinding finding) {
        String bare = strip(finding.hgvs());
        Matcher missense = THREE_LETTER_MISSENSE.matcher(bare);
        if (missense.matches()
                && Hgvs.oneLetter(missense.group(1)) != null
                && !KEPT_AS_REPORTED.contains(missense.group(1))
                && !KEPT_AS_REPORTED.contains(missense.group(3))) {
            String alternate = missense.group(3).length() == 3 ? Hgvs.oneLetter(missense.group(3)) : missense.group(3);
            if (alternate != null) {
                return "p." + Hgvs.oneLetter(missense.group(1)) + missense.group(2) + alternate;
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
