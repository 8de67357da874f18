package org.rasguard.ras;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.rasguard.ras.RasVocabulary.Meaning;

/**
 * What free text says: a result ("Not detected", "KRAS G12D detected", "QNS"), a coverage
 * ("codons 12/13", "exons 2-4", a tested-for list), a method ("NGS") or a specimen ("plasma
 * cfDNA"). These are keyword tables, not codes (genomics.md §4.2: "Map with a keyword table plus an
 * HGVS parse. Anything not confidently matched → unknown").
 */
final class TextSignals {

    private static final int FLAGS = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
    private static final Pattern CLAUSE_SEPARATOR = Pattern.compile("[;,\\n]|\\. ");
    private static final Pattern NEGATIVE = Pattern.compile("\\b(?:not|none|never) (?:been )?(?:detected|found|identified|present)\\b"
            + "|\\bno (?:\\w+ )?(?:mutations?|variants?|alterations?|changes?)(?: (?:were|was|is|are))?(?: (?:detected|found|identified|present))?\\b"
            + "|\\bnegative\\b|\\bwild[- ]?type\\b|\\bWT\\b|\\babsent\\b", FLAGS);
    private static final Pattern POSITIVE = Pattern.compile("\\b(?:detected|positive|mutated|mutant|present|identified|found)\\b", FLAGS);
    private static final Pattern INDETERMINATE = Pattern.compile("\\b(?:indeterminate|inconclusive|equivocal|fail(?:ed|ure)?|QNS"
            + "|insufficient|no[- ]call|not (?:performed|evaluable|assessable|done)|unable|cannot be determined|invalid|uninterpretable)\\b", FLAGS);

    private static final Pattern SEQUENCING = Pattern.compile("\\b(?:sequencing|NGS|next[- ]generation|massively parallel)\\b", FLAGS);
    private static final Pattern FULL_GENE = Pattern.compile("\\b(?:full|entire|whole|complete)(?: gene| coding(?: region| sequence)?| mutation analysis)\\b"
            + "|\\ball (?:coding )?exons\\b", FLAGS);

    private static final String NUMBER_LIST = "(\\d{1,3}(?:\\s*(?:,|/|and|&|\\+|or|-|–|to)\\s*\\d{1,3})*)";
    private static final Pattern CODON_LIST = Pattern.compile("\\bcodons?\\s*" + NUMBER_LIST, FLAGS);
    private static final Pattern EXON_LIST = Pattern.compile("\\bexons?\\s*" + NUMBER_LIST, FLAGS);
    private static final Pattern GENE_CODON_LIST = Pattern.compile("\\b[KN]-?RAS\\s+" + NUMBER_LIST + "\\b", FLAGS);
    private static final Pattern RESIDUE_POSITION = Pattern.compile("\\b(?:[ACDEFGHIKLMNPQRSTVWY]|Ala|Gly|Gln|Lys)(\\d{1,3})(?=[A-Z*]|\\b|_)");
    private static final Pattern NUMBER_OR_RANGE = Pattern.compile("(\\d{1,3})(?:\\s*(?:-|–|to)\\s*(\\d{1,3}))?");

    /** What a stated coverage names; {@code stated} is false when the text says nothing about coverage. */
    record Coverage(boolean stated, Set<Integer> hotspotCodons) {
        boolean extended() {
            return hotspotCodons.containsAll(RasHotspots.CODONS);
        }
    }

    private TextSignals() {}

    /**
     * The result meanings a text states, clause by clause. A clause can be negative ("KRAS 12
     * mutation: Not Detected"), positive ("G13D detected") or indeterminate ("insufficient DNA");
     * words of a negative phrase are not read again as positive.
     */
    static Set<Meaning> meanings(String text) {
        Set<Meaning> out = EnumSet.noneOf(Meaning.class);
        if (text == null) {
            return out;
        }
        for (String clause : CLAUSE_SEPARATOR.split(text)) {
            if (INDETERMINATE.matcher(clause).find()) {
                out.add(Meaning.INDETERMINATE);
                continue;
            }
            Matcher negative = NEGATIVE.matcher(clause);
            if (negative.find()) {
                out.add(Meaning.NEGATIVE);
                clause = negative.replaceAll(" ");
            }
            if (POSITIVE.matcher(clause).find()) {
                out.add(Meaning.POSITIVE);
            }
        }
        return out;
    }

    static boolean mentionsSequencing(String text) {
        return text != null && SEQUENCING.matcher(text).find();
    }

    static boolean mentionsFullGene(String text) {
        return text != null && FULL_GENE.matcher(text).find();
    }

    /**
     * The hotspot codons a coverage text names: codon lists ("codons 12/13/61"), exon lists ("exon
     * 2", "exons 2-4", clinical numbering), a gene followed by codons ("KRAS 12 mutation") and
     * residue positions ("G12", "Q61H", "A146T").
     */
    static Coverage coverage(String text) {
        Set<Integer> codons = new TreeSet<>();
        boolean stated = false;
        if (text == null) {
            return new Coverage(false, codons);
        }
        for (Pattern list : new Pattern[] {CODON_LIST, GENE_CODON_LIST}) {
            Matcher m = list.matcher(text);
            while (m.find()) {
                stated = true;
                codons.addAll(numbers(m.group(1)));
            }
        }
        Matcher exons = EXON_LIST.matcher(text);
        while (exons.find()) {
            stated = true;
            for (int exon : numbers(exons.group(1))) {
                codons.addAll(RasHotspots.CODONS_BY_EXON.getOrDefault(exon, Set.of()));
            }
        }
        Matcher residues = RESIDUE_POSITION.matcher(text);
        while (residues.find()) {
            stated = true;
            codons.add(Integer.parseInt(residues.group(1)));
        }
        codons.retainAll(RasHotspots.CODONS);
        return new Coverage(stated, codons);
    }

    /** Numbers and ranges of a list such as "12/13", "2-4" or "59, 61 and 117". */
    private static Set<Integer> numbers(String list) {
        Set<Integer> out = new TreeSet<>();
        Matcher m = NUMBER_OR_RANGE.matcher(list);
        while (m.find()) {
            int from = Integer.parseInt(m.group(1));
            int to = m.group(2) == null ? from : Integer.parseInt(m.group(2));
            for (int n = from; n <= Math.min(to, from + 200); n++) {
                out.add(n);
            }
        }
        return out;
    }

    /** Whole-word, case-insensitive match: "KRAS" is in "KRAS-mutant" but not in "KRAS2" or "HKRAS". */
    static boolean containsWord(String text, String word) {
        return !wordPositions(text, word).isEmpty();
    }

    /** Where a word occurs as a whole word (case-insensitive). */
    static List<Integer> wordPositions(String text, String word) {
        List<Integer> positions = new ArrayList<>();
        if (text == null || word == null || word.isBlank()) {
            return positions;
        }
        String haystack = text.toLowerCase(Locale.ROOT);
        String needle = word.toLowerCase(Locale.ROOT);
        int at = haystack.indexOf(needle);
        while (at >= 0) {
            if (isBoundary(haystack, at - 1) && isBoundary(haystack, at + needle.length())) {
                positions.add(at);
            }
            at = haystack.indexOf(needle, at + 1);
        }
        return positions;
    }

    private static boolean isBoundary(String text, int index) {
        if (index < 0 || index >= text.length()) {
            return true;
        }
        char c = text.charAt(index);
        return !Character.isLetterOrDigit(c);
    }
}
