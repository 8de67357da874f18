package org.rasguard.ras;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.rasguard.ras.HgvsChange.Effect;
import org.rasguard.ras.HgvsChange.Level;

/**
 * Reads the HGVS expressions and assay shorthand that KRAS / NRAS results arrive in (genomics.md
 * §3.4): {@code NP_004976.2:p.(Gly12Asp)}, {@code p.Gly12Asp}, {@code p.G12D}, {@code G12D},
 * {@code G12X}, {@code c.35G>A}, {@code NM_033360.4:c.436G>A}, ClinVar titles such as
 * {@code NM_004985.5(KRAS):c.35G>A}, delins and other range changes, and "=" (no change).
 *
 * <p>A coding position n lies in codon floor((n-1)/3)+1. Intronic offsets ({@code c.111+45}) and
 * UTR positions ({@code c.-10}, {@code c.*5}) are outside the coding sequence; a range touches
 * every codon between its ends. Genomic (g.) positions are not mapped to codons.
 *
 * @see <a href="https://hgvs-nomenclature.org/stable/recommendations/general/">HGVS nomenclature</a>
 */
public final class Hgvs {

    private static final Map<String, String> THREE_TO_ONE = Map.ofEntries(
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
            Map.entry("Sec", "U"),
            Map.entry("Pyl", "O"),
            Map.entry("Ter", "*"),
            Map.entry("Xaa", "X"));

    private static final String RESIDUE =
            "(?:" + String.join("|", THREE_TO_ONE.keySet()) + "|[ACDEFGHIKLMNPQRSTVWYUOX*])";
    private static final String ACCESSION =
            "(?:(?<acc>(?:[A-Z]{2}_\\d+|LRG_\\d+(?:[tp]\\d+)?|ENS[TPG]\\d+)(?:\\.\\d+)?)(?:\\([A-Za-z0-9-]+\\))?:)?";

    private static final Pattern PROTEIN = Pattern.compile(ACCESSION + "(?<p>p\\.)?(?<open>\\()?" + "(?<r1>" + RESIDUE
            + ")(?<n1>\\d+)(?:_(?<r2>" + RESIDUE + ")(?<n2>\\d+))?(?<rest>[^()\\s]*)\\)?");
    private static final Pattern ALTERNATE = Pattern.compile("(?<r>" + RESIDUE + ")(?<tail>.*)");
    private static final Pattern PROTEIN_NO_CHANGE = Pattern.compile(ACCESSION + "p\\.\\(?=\\)?");
    private static final String CODING_POSITION = "[-*]?\\d+(?:[+-]\\d+)?";
    private static final Pattern CODING = Pattern.compile(
            ACCESSION + "c\\.\\(?(?<s>" + CODING_POSITION + ")(?:_(?<e>" + CODING_POSITION + "))?\\)?(?<rest>\\S*)");
    private static final Pattern GENOMIC = Pattern.compile(ACCESSION + "[gmnr]\\.\\S+");

    private static final Pattern CODING_SUBSTITUTION = Pattern.compile("[ACGT]>[ACGT]");
    private static final Pattern CODING_NO_CHANGE = Pattern.compile("[ACGT]*=");
    private static final Pattern CODING_EDIT = Pattern.compile("(?<op>delins|del|dup|ins|inv)[ACGTN\\d]*");
    private static final Pattern TOKEN_SEPARATOR = Pattern.compile("[\\s,;/]+");
    /** Quotes and brackets before a token, and closing ones or sentence punctuation after it. */
    private static final Pattern TOKEN_PUNCTUATION = Pattern.compile("^[\\[\"']+|[\\]\"'.:]+$");

    private static final Pattern DIGITS = Pattern.compile("\\d+");
    private static final Pattern INTRONIC_OFFSET = Pattern.compile("[+-]");
    /** Beyond the last codon of any RAS protein: a range into the 3' UTR runs to the end of the coding sequence. */
    private static final int PAST_CODING_END = 100_000;

    private Hgvs() {}

    /**
     * Parses one expression, as found in an HGVS component. A protein position without a change
     * ({@code p.Gly12}) counts as an unspecified change there.
     */
    public static Optional<HgvsChange> parse(String expression) {
        if (expression == null || expression.isBlank()) {
            return Optional.empty();
        }
        String text = expression.trim();
        Matcher m;
        if ((m = CODING.matcher(text)).matches()) {
            return coding(text, m);
        }
        if ((m = PROTEIN_NO_CHANGE.matcher(text)).matches()) {
            return Optional.of(
                    new HgvsChange(text, m.group("acc"), Level.PROTEIN, null, null, Effect.SYNONYMOUS, null, null));
        }
        if ((m = PROTEIN.matcher(text)).matches()) {
            return protein(text, m, true);
        }
        if ((m = GENOMIC.matcher(text)).matches()) {
            return Optional.of(
                    new HgvsChange(text, m.group("acc"), Level.GENOMIC, null, null, Effect.SUBSTITUTION, null, null));
        }
        return Optional.empty();
    }

    private static final Pattern ANY_CASE_TOKEN = Pattern.compile("(?i)\\b([cp])\\.(\\(?[a-z0-9_>*=+\\-]+\\)?)");

    /**
     * Changes written in prose in any casing ("kras c.35g>a (p.g12d)"): the c. / p. tokens are
     * brought to HGVS casing (bases and one-letter residues upper, three-letter residues
     * capitalised) and parsed. Used only when the text as written names no change.
     */
    static List<HgvsChange> findAllAnyCase(String text) {
        if (text == null || text.isEmpty()) {
            return List.of();
        }
        Matcher m = ANY_CASE_TOKEN.matcher(TextSignals.bounded(text));
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String body = m.group(2).toUpperCase(java.util.Locale.ROOT);
            if (m.group(1).equalsIgnoreCase("p")) {
                for (String three : THREE_TO_ONE.keySet()) {
                    body = body.replace(three.toUpperCase(java.util.Locale.ROOT), three);
                }
            }
            m.appendReplacement(
                    out, Matcher.quoteReplacement(m.group(1).toLowerCase(java.util.Locale.ROOT) + "." + body));
        }
        m.appendTail(out);
        return findAll(out.toString());
    }

    /**
     * Finds the changes named in free text ("KRAS p.G12D detected", a ClinVar title, a tested-for
     * list). Unlike {@link #parse}, a bare position such as "G12" is not a change here.
     */
    public static List<HgvsChange> findAll(String text) {
        List<HgvsChange> found = new ArrayList<>();
        if (text == null) {
            return found;
        }
        for (String token : TOKEN_SEPARATOR.split(text)) {
            String trimmed = TOKEN_PUNCTUATION.matcher(token).replaceAll("");
            Optional<HgvsChange> change = parseToken(trimmed);
            if (change.isEmpty() && trimmed.startsWith("(") && trimmed.endsWith(")")) {
                change = parseToken(trimmed.substring(1, trimmed.length() - 1));
            }
            change.ifPresent(found::add);
        }
        return found;
    }

    private static Optional<HgvsChange> parseToken(String token) {
        Matcher m = PROTEIN.matcher(token);
        if (m.matches()) {
            return protein(token, m, false);
        }
        return parse(token);
    }

    private static Optional<HgvsChange> protein(String text, Matcher m, boolean positionAlone) {
        boolean bare = m.group("p") == null && m.group("acc") == null;
        String r1 = m.group("r1");
        java.util.OptionalInt firstNumber = TextSignals.boundedInt(m.group("n1"));
        java.util.OptionalInt lastNumber = m.group("n2") == null ? firstNumber : TextSignals.boundedInt(m.group("n2"));
        if (firstNumber.isEmpty() || lastNumber.isEmpty()) {
            return Optional.empty();
        }
        int first = firstNumber.getAsInt();
        int last = lastNumber.getAsInt();
        if (last < first) {
            return Optional.empty();
        }
        String reference = oneLetter(r1);
        String rest = m.group("rest");
        if (rest.isEmpty()) {
            return positionAlone && !bare
                    ? Optional.of(new HgvsChange(
                            text, m.group("acc"), Level.PROTEIN, first, last, Effect.UNSPECIFIED, null, null))
                    : Optional.empty();
        }
        Optional<Effect> keyword = proteinKeyword(rest);
        if (keyword.isPresent()) {
            return Optional.of(
                    new HgvsChange(text, m.group("acc"), Level.PROTEIN, first, last, keyword.get(), null, null));
        }
        Matcher alt = ALTERNATE.matcher(rest);
        if (!alt.matches() || first != last) {
            return Optional.empty();
        }
        String alternate = oneLetter(alt.group("r"));
        String tail = alt.group("tail");
        Effect effect;
        if (tail.startsWith("fs")) {
            effect = Effect.FRAMESHIFT;
        } else if (tail.startsWith("ext")) {
            effect = Effect.EXTENSION;
        } else if (!tail.isEmpty()) {
            return Optional.empty();
        } else if (alternate.equals("X")) {
            effect = Effect.UNSPECIFIED;
        } else if (alternate.equals("*")) {
            effect = Effect.NONSENSE;
        } else if (alternate.equals(reference)) {
            effect = Effect.SYNONYMOUS;
        } else {
            effect = Effect.MISSENSE;
        }
        return Optional.of(new HgvsChange(
                text,
                m.group("acc"),
                Level.PROTEIN,
                first,
                last,
                effect,
                effect == Effect.MISSENSE ? alternate : null,
                null));
    }

    private static Optional<Effect> proteinKeyword(String rest) {
        if (rest.equals("=")) {
            return Optional.of(Effect.SYNONYMOUS);
        }
        if (rest.startsWith("delins")) {
            return Optional.of(Effect.DELINS);
        }
        if (rest.startsWith("del")) {
            return Optional.of(Effect.DELETION);
        }
        if (rest.startsWith("dup")) {
            return Optional.of(Effect.DUPLICATION);
        }
        if (rest.startsWith("ins")) {
            return Optional.of(Effect.INSERTION);
        }
        if (rest.startsWith("fs")) {
            return Optional.of(Effect.FRAMESHIFT);
        }
        return Optional.empty();
    }

    private static Optional<HgvsChange> coding(String text, Matcher m) {
        String start = m.group("s");
        String end = m.group("e");
        String rest = m.group("rest");
        Effect effect;
        String substitution = null;
        Matcher edit = CODING_EDIT.matcher(rest);
        if (CODING_SUBSTITUTION.matcher(rest).matches() && end == null) {
            effect = Effect.SUBSTITUTION;
            substitution = start + rest;
        } else if (CODING_NO_CHANGE.matcher(rest).matches()) {
            effect = Effect.SYNONYMOUS;
        } else if (edit.matches()) {
            effect = switch (edit.group("op")) {
                case "delins" -> Effect.DELINS;
                case "del" -> Effect.DELETION;
                case "dup" -> Effect.DUPLICATION;
                case "ins" -> Effect.INSERTION;
                default -> Effect.INVERSION;
            };
        } else {
            return Optional.empty();
        }
        Integer[] codons = codonSpan(start, end == null ? start : end);
        return Optional.of(
                new HgvsChange(text, m.group("acc"), Level.CODING, codons[0], codons[1], effect, null, substitution));
    }

    /**
     * The codons between two coding positions, or {nulls} when the change lies wholly outside the
     * coding sequence. A position with an intronic offset stands for its anchor base when it ends a
     * range that reaches into the exon; a lone intronic or UTR position touches no codon.
     */
    private static Integer[] codonSpan(String start, String end) {
        boolean single = start.equals(end);
        if (!isExonic(start) && (single || (!isExonic(end) && anchor(start) == anchor(end)))) {
            return new Integer[] {null, null};
        }
        int from = Math.max(1, anchor(start));
        int to = anchor(end);
        if (to < 1 || from > to) {
            return new Integer[] {null, null};
        }
        return new Integer[] {codonOf(from), codonOf(to)};
    }

    private static boolean isExonic(String position) {
        return DIGITS.matcher(position).matches();
    }

    /** The exonic base a position refers to: 0 before the coding start, past the end for 3' UTR. */
    private static int anchor(String position) {
        if (position.startsWith("-")) {
            return 0;
        }
        if (position.startsWith("*")) {
            return PAST_CODING_END;
        }
        return TextSignals.boundedInt(INTRONIC_OFFSET.split(position)[0]).orElse(PAST_CODING_END);
    }

    private static int codonOf(int codingPosition) {
        return Math.min((codingPosition - 1) / 3 + 1, PAST_CODING_END);
    }

    /**
     * A residue in one letter: a three-letter amino acid converted ({@code Gly} → {@code G}, {@code Ter} →
     * {@code *}; null if unknown), anything else ({@code G}, {@code *}, {@code =}) as given.
     */
    public static String oneLetter(String residue) {
        return residue.length() == 3 ? THREE_TO_ONE.get(residue) : residue;
    }
}
