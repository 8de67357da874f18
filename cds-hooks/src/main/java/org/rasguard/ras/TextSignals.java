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
    /**
     * What a report puts between "no" and "mutation" ("no evidence of KRAS or NRAS mutation", "no
     * pathogenic KRAS or NRAS mutation detected": a helper's wild-type reports, each read as a codon 12
     * mutation from their exon list). A closed list, not any words: "no loss of the KRAS mutation" must
     * not become a negative, and "other", "further", "additional" are left out: "no other KRAS or NRAS
     * mutations detected besides p.G12D" states a mutation.
     */
    private static final String NEGATED_QUALIFIERS =
            "(?:(?:evidence\\s+of|an?|any|(?:likely\\s+)?pathogenic|clinically\\s+(?:significant|relevant)"
                    + "|actionable|known|detectable|somatic|hotspot|activating|[KN]-?RAS2?|Ki-?ras|RAS"
                    + "|or|and|nor)[\\s/]+)*";

    /**
     * The negatives of German reports (a helper's wild-type "Keine Mutation in KRAS und NRAS nachgewiesen
     * (Exon 2, 3 und 4; Codons 12, 13, ...)" was read as a codon 12 mutation). "keine weiteren / anderen /
     * zus\u00e4tzlichen Mutationen" is left out, as "no other" is in English; the verb at the end of the
     * clause is part of the negative only across words without digits, so "Keine NRAS-Mutation und KRAS
     * p.G12D nachgewiesen" keeps its positive.
     */
    private static final String GERMAN_NEGATIVE =
            "|\\bkein(?:e|en)?\\s+(?!(?:weitere|andere|zus\\u00e4tzliche)n?\\b)(?:\\p{L}+[- ])?"
                    + "(?:Mutation(?:en)?|Variante(?:n)?|Ver\\u00e4nderung(?:en)?)\\b(?:[^.;,\\d]{0,60}?\\bnachgewiesen\\b)?"
                    + "|\\bkein(?:en)?\\s+Nachweis\\b|\\bnicht\\s+nachgewiesen\\b|\\bnegativ\\b|\\bwild[- ]?typ\\b";

    /**
     * The negatives of French, Spanish and Italian reports (atk22 w04: "Absence de mutation d\u00e9tect\u00e9e
     * dans les exons 2, 3 et 4" was read as a codon 12 mutation).
     */
    private static final String ROMANCE_NEGATIVE =
            "|\\b(?:aucune?|absence de|pas de)\\s+(?:\\p{L}+\\s+)?(?:mutations?|variants?)\\b(?:\\s+d\\u00e9tect\\u00e9e?s?)?"
                    + "|\\bnon d\\u00e9tect\\u00e9e?s?\\b"
                    + "|\\b(?:ninguna|ning\\u00fan|ausencia de|sin)\\s+(?:mutaci\\u00f3n|mutaciones|variantes?)\\b|\\bno se (?:detect|identific|encontr)\\p{L}*"
                    + "|\\b(?:nessuna|assenza di)\\s+(?:mutazion[ei]|variant[ei])\\b|\\bnon rilevat[aeio]\\b";

    private static final Pattern NEGATIVE = Pattern.compile(
            "\\b(?:not|none|never) (?:been )?(?:detected|found|identified|present)\\b"
                    + "|\\bno\\s+" + NEGATED_QUALIFIERS + "(?:\\w+ )?(?:mutations?|variants?|alterations?|changes?)"
                    + "(?: (?:were|was|is|are))?(?: (?:detected|found|identified|present))?\\b"
                    + "|\\b(?:mutations?|variants?|alterations?) (?:detected|found|identified)\\s*:\\s*(?:none|nil|no|0)\\b"
                    + "|\\bnegative\\b|\\bwild[- ]?type\\b|\\bWT\\b|\\babsent\\b"
                    + GERMAN_NEGATIVE
                    + ROMANCE_NEGATIVE,
            FLAGS);
    private static final Pattern POSITIVE = Pattern.compile(
            "\\b(?:detected|positive|mutated|mutant|present|identified|found"
                    + "|nachgewiesen|Nachweis|positiv|mutiert)\\b",
            FLAGS);
    private static final Pattern INDETERMINATE = Pattern.compile(
            "\\b(?:indeterminate|inconclusive|equivocal|fail(?:ed|ure)?|QNS"
                    + "|insufficient|no[- ]call|not (?:performed|evaluable|assessable|done)|unable|cannot be determined|invalid|uninterpretable"
                    + "|nicht (?:auswertbar|beurteilbar|bestimmbar|durchgef\\u00fchrt)|unzureichend|fehlgeschlagen)\\b",
            FLAGS);

    private static final Pattern SEQUENCING =
            Pattern.compile("\\b(?:sequencing|NGS|next[- ]generation|massively parallel)\\b", FLAGS);
    private static final Pattern FULL_GENE = Pattern.compile(
            "\\b(?:full|entire|whole|complete)(?: gene| coding(?: region| sequence)?| mutation analysis)\\b"
                    + "|\\ball (?:coding )?exons\\b",
            FLAGS);

    /** A list of 1-3 digit numbers, read whole ("2, 3, and 4", "2 through 4"); a number followed by more digits is no list item. */
    private static final String NUMBER_LIST =
            "(\\d{1,3}(?:\\s*(?:,|/|and|,\\s*and|&|\\+|or|-|–|to|through|thru|und|et|en|y|e|oder|ou|o)\\s*\\d{1,3})*)(?!\\d)";
    /** "codons 12/13", "Codons tested: 12/13/61", "exons analysed - 2, 3 and 4". */
    private static final String LIST_LABEL =
            "(?:\\s+(?:tested|analy[sz]ed|covered|assessed|examined|sequenced|interrogated))?\\s*[:\\-–]?\\s*";

    private static final Pattern CODON_LIST = Pattern.compile("\\bcodons?" + LIST_LABEL + NUMBER_LIST, FLAGS);
    private static final Pattern EXON_LIST = Pattern.compile("\\bexons?" + LIST_LABEL + NUMBER_LIST, FLAGS);
    private static final Pattern GENE_CODON_LIST = Pattern.compile("\\b[KN]-?RAS\\s+" + NUMBER_LIST + "\\b", FLAGS);
    private static final Pattern RESIDUE_POSITION =
            Pattern.compile("\\b(?:[ACDEFGHIKLMNPQRSTVWY]|Ala|Gly|Gln|Lys)(\\d{1,3})(?=[A-Z*]|\\b|_)");
    private static final Pattern NUMBER_OR_RANGE =
            Pattern.compile("(\\d{1,3})(?:\\s*(?:-|–|to|through|thru)\\s*(\\d{1,3}))?");

    /** A clause that limits what it names: "exon 4 was not analysed", "NRAS: not tested", "exon 3 failed QC". */
    private static final Pattern LIMITING = Pattern.compile(
            "\\bnot (?:\\w+ )?(?:analy[sz]ed|tested|covered|assessed|evaluated|sequenced|interrogated|included|examined|reported)\\b"
                    + "|\\b(?:excluded|failed|failure|QC fail\\w*|no coverage|low coverage|insufficient coverage|uncallable|no[- ]call|dropout|omitted)\\b",
            FLAGS);
    /**
     * The limit-of-detection sentence of every negative report ("Limit of detection 5 % VAF; mutations
     * present below this level cannot be excluded"): its "excluded" limits nothing. Only in a clause that
     * names no codon or exon ("mutations in codon 146 cannot be excluded" stays a limit), and too little
     * tumour is {@link #UNRELIABLE}'s to judge.
     */
    private static final Pattern DETECTION_LIMIT = Pattern.compile(
            "^(?=.*\\b(?:limits? of detection|detection limit|LoD|(?:below|under|beneath) (?:the |this |that |its |our )?"
                    + "(?:assay'?s? )?(?:level|threshold|limit|sensitivity|cut-?off)))"
                    + "(?=.*\\b(?:cannot|can not|could not|may not|not) (?:be )?(?:\\w+ )?exclu(?:ded|de)\\b)",
            FLAGS | Pattern.DOTALL);
    /** Scope words; one left over after the lists, residues and full-gene phrases are read is a scope the reader cannot account for. */
    private static final Pattern SCOPE_WORD = Pattern.compile("\\b(?:exons?|codons?|regions?|amplicons?)\\b", FLAGS);

    /** KRAS and NRAS are 189 residues long (KRAS 4B 188): a residue position past that is another gene's. */
    private static final int RAS_PROTEIN_LENGTH = 189;

    /**
     * Statements that a run passed its checks, or that a class of variants is not reported: they limit nothing
     * and are taken out before scope is read (a helper's wild-type reports: "All amplicons passed QC", "All
     * targeted regions covered", "No-call regions: none", "Variants of uncertain significance are not reported"
     * each made an extended negative partial).
     */
    private static final Pattern QUALITY_PASSED = Pattern.compile(
            "\\ball (?:targeted |coding )?(?:amplicons|regions|exons|targets)\\b[^.;:\\n]{0,60}?\\b(?:passed|covered|sequenced|met)\\b[^.;\\n]*"
                    + "|\\bno(?:ne of the)? (?:amplicons|regions|targets) (?:failed|were excluded)\\b"
                    + "|\\bno[- ]call regions?\\s*:\\s*(?:none|nil|0)\\b"
                    + "|\\b(?:variants of (?:uncertain|unknown) significance|VUS(?:es)?|(?:likely )?benign(?: and likely benign)? variants?|polymorphisms)"
                    + " (?:are|were|is) not reported\\b",
            FLAGS);

    private static final Pattern SCOPE_CLAUSE_SEPARATOR = Pattern.compile("[;\\n|]|\\.(?:\\s|$)");

    /**
     * What a stated coverage names; {@code stated} is false when the text says nothing about
     * coverage. {@code unaccounted} is true when the text holds exon, codon or region words (or a
     * limiting phrase) the reader could not turn into codons: such a negative is partial.
     */
    record Coverage(boolean stated, Set<Integer> hotspotCodons, boolean unaccounted) {
        Coverage(boolean stated, Set<Integer> hotspotCodons) {
            this(stated, hotspotCodons, false);
        }

        boolean extended() {
            return !unaccounted && hotspotCodons.containsAll(RasHotspots.CODONS);
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

    /**
     * How laboratories say a test gave no result, in English (an outside attack, atk20: each of these over
     * gene-level Absents by sequencing read wild-type): no result, did not pass QC, failed, not reportable,
     * unable to report, cannot be interpreted, sample rejected or unsatisfactory, DNA yield too low, below
     * the minimum tumour fraction, not completed, preliminary only, result to follow, repeat requested, pending
     * review, do not act on, superseded, see the amended report, mix-up, QNS, TNP, N/R, "inconcl.", and
     * the misspelling "insufficent". "Cannot be excluded" and "cannot be determined" are left out: the
     * limit-of-detection boilerplate of every negative says them.
     */
    private static final String ENGLISH_FAILURES = "|\\bno (?:result|amplification|(?:reportable|valid) result)s?\\b"
            + "(?!\\s+(?:was|were|is|are|fail\\w*|issues?|problems?|errors?|discrepanc\\w*)\\b)"
            + "|\\b(?:did not|didn't|does not|failed to) (?:pass|meet)\\b"
            + "|\\b(?:fail(?:ed|s)?|faild)\\s+(?:QC|quality|the run)\\b|\\b(?:QC|quality control)\\s+fail(?:ed|ure|s)?\\b"
            + "|\\b(?:test|testing|assay|run|sequencing|analysis|amplification|PCR)\\s+(?:has\\s+|was\\s+)?"
            + "(?:fail(?:ed|s)?|faild|unsuccessful)\\b"
            + "|\\bnot (?:reportable|analy[sz]able|completed)\\b"
            + "|\\bunable to (?:report|interpret|assess|analy[sz]e|sequence|amplify|obtain|call)\\b"
            + "|\\b(?:cannot|could not|couldn't|can not) be (?:interpreted|reported|assessed|evaluated|analy[sz]ed"
            + "|sequenced|amplified|completed|called)\\b"
            + "|\\b(?:sample|specimen)s? (?:was |were |is )?(?:rejected|unsatisfactory|unacceptable|not suitable)\\b"
            + "|\\bunsatisfactory\\b"
            + "|\\b(?:DNA|RNA) (?:yield|quantity|input|concentration|amount|quality) (?:was |is )?(?:too low|low|below|poor)\\b"
            + "|\\blow (?:DNA|RNA) (?:yield|input|quantity|concentration)\\b"
            + "|\\bbelow (?:the )?(?:minimum|required|validated) (?:tumou?r|neoplastic|DNA|cellularity|content|fraction"
            + "|threshold|input)"
            // not "cancelled": "a duplicate request was cancelled" (atk22); a cancelled test says "not completed"
            + "|\\bpreliminary only\\b|\\bresults? to follow\\b"
            + "|\\brepeat (?:testing |analysis |sequencing )?(?:is )?(?:requested|pending|ordered|in progress)\\b"
            + "|\\bpending (?:review|confirmation|verification|sign-?out)\\b|\\bdo not (?:act|use)\\b|\\bsuperseded\\b"
            + "|\\bsee (?:the )?(?:amended|corrected|revised|updated) report\\b|\\bmix-?up\\b|\\bsample swap\\b"
            + "|\\bunder investigation\\b|\\b(?:QNS|TNP|N/R|inconcl)\\b|\\binsuf+ic+i?ent\\b"
            // atk21: not sufficient, no DNA extracted, extraction or library failed, an invalid run, low
            // quality, interpret with caution, withheld, awaiting confirmation, labelled incorrectly,
            // ambiguous, borderline
            + "|\\bnot sufficient\\b|\\bno (?:DNA|RNA|material|tissue) (?:could be |was |were )?"
            + "(?:extracted|obtained|recovered|isolated)\\b"
            + "|\\b(?:extraction|library(?: preparation| prep)?|hybridi[sz]ation|capture)\\s+(?:has\\s+|was\\s+)?"
            + "(?:fail(?:ed|s)?|faild|unsuccessful)\\b"
            + "|\\binvalid (?:run|result|test|assay)\\b|\\blow[- ]quality (?:sequencing|sequence|DNA|RNA|sample|data|library)\\b"
            + "|\\binterpret(?:ed)? with caution\\b|\\bwithheld\\b|\\bawaiting (?:confirmation|review|repeat)\\b"
            + "|\\b(?:labell?ed incorrectly|incorrectly labell?ed|mis-?labell?ed|wrong(?:ly)? label+ed)\\b"
            + "|\\b(?:ambiguous|borderline)\\b";

    /** {@link #UNRELIABLE} in French, Spanish, Italian (atk20), Portuguese and Dutch (atk21) reports: not interpretable, failure, insufficient. */
    private static final String OTHER_LANGUAGES_UNRELIABLE =
            "|\\b(?:non|no)(?: (?:es|est|\\u00e8|\\u00e9|fue|era|\\u00e9tait|risulta))? (?:interpr\\u00e9table|interpretable|interpretabile|valorable|valutabile|evaluable|concluyente"
                    + "|conclusivo|contributi(?:f|vo)|analizable|analysable)\\b"
                    + "|\\binterpr\\u00e9ter avec prudence\\b|\\binterpretar con (?:precauci\\u00f3n|cautela)\\b|\\bininterpr\\u00e9table\\b|(?<!\\p{L})\\u00e9chec\\b|\\binsuffisant\\p{L}*|\\binsuficiente\\p{L}*"
                    + "|\\binsufficiente\\p{L}*"
                    + "|\\bn\\u00e3o interpret\\u00e1vel\\b|\\bniet (?:interpreteerbaar|beoordeelbaar)\\b|\\bmislukt\\b";

    /** {@link #UNRELIABLE} in German reports: not evaluable, too little tumour or DNA, unsuitable, withdrawn, a mix-up. */
    private static final String GERMAN_UNRELIABLE =
            "|\\b(?:nicht|eingeschr(?:\\u00e4|ae)nkt) (?:auswertbar|beurteilbar|bestimmbar|verwertbar)\\b"
                    + "|\\b(?:unzureichend|ungeeignet|zur(?:\\u00fc|ue)ckgezogen|\\p{L}*verwechslung)\\p{L}*"
                    + "|\\bzu gering\\p{L}* (?:Tumorzell|DNA)\\p{L}*|\\bTumorzell(?:gehalt|anteil)\\s+(?:zu gering|unzureichend)"
                    + "|\\bTumorzell(?:gehalt|anteil)\\b[^.;]{0,40}?\\b(?:unter|weniger als)\\b";

    /**
     * Words that say a negative cannot be relied on, whatever its coverage (an outside attack's notes and
     * conclusions, each once read as wild-type): too little tumour or an inadequate sample, a variant seen
     * at a low fraction (under 10 %) and reported as not detected, a result withdrawn, retracted or from a mislabelled
     * sample. Not the boilerplate of every negative ("cannot exclude mutations below the limit of detection").
     */
    private static final Pattern UNRELIABLE = Pattern.compile(
            "\\b(?:insufficient|inadequate|unsuitable|suboptimal|degraded|withdrawn|retracted|mislabel+ed|disregard(?:ed)?)\\b"
                    + "|\\blow (?:tumou?r|neoplastic)(?: cell)? (?:content|cellularity|fraction|purity|percentage)\\b"
                    + "|\\b(?:tumou?r|neoplastic)(?: cell)? (?:content|cellularity|fraction|purity)\\b[^.;]{0,40}?\\b(?:below|under|less than)\\b"
                    // below 10 %: the fraction of a variant under a limit of detection, not "BRAF V600E identified at
                    // 31 %"
                    + "|\\b(?:observed|seen|detected|identified) at (?:a )?(?:VAF (?:of )?)?\\d(?:[.,]\\d+)?\\s?%"
                    + "(?!\\s*(?:VAF\\s+)?(?:or|and)\\s+(?:more|greater|above|higher|over))"
                    + "|\\breported as (?:not detected|negative)\\b|\\bshould not be used\\b|\\bwrong (?:patient|sample|specimen)\\b"
                    + "|\\bre-?extraction\\b|\\bre-?test(?:ing)? (?:is )?(?:recommended|required|advised)\\b"
                    // a result that was no result: "Inconclusive." or "Result not evaluable." on a coded Absent
                    // read wild-type (session 15's own cases); not "equivocal", which HER2 IHC 2+ is beside RAS
                    // negatives in many colorectal reports (atk22)
                    + "|\\b(?:inconclusive|indeterminate(?!\\s+(?:clinical\\s+)?significance)|uninterpretable"
                    + "|not (?:evaluable|assessable|interpretable))\\b"
                    + ENGLISH_FAILURES
                    + GERMAN_UNRELIABLE
                    + OTHER_LANGUAGES_UNRELIABLE,
            FLAGS);

    /** A count of none just after the words: "Inconclusive calls: 0", "QNS samples: none" (atk22). */
    private static final Pattern COUNTED_NONE_AFTER =
            Pattern.compile("\\s*(?:\\p{L}+\\s*){0,2}[:=]\\s*(?:0|none|nil|no|zero)\\b", FLAGS);

    /** White space holding a line break followed by a lower-case letter, or a run of spaces and tabs. */
    private static final Pattern SOFT_BREAK = Pattern.compile("[ \\t\\u00a0]*\\R\\s*(?=\\p{Ll})|[ \\t\\u00a0]{2,}");

    /** An {@link #UNRELIABLE} phrase that holds its own negation ("not evaluable"): that "not" is no denial. */
    private static final Pattern NEGATED_IN_ITSELF = Pattern.compile("(?:not|nicht|no|non)\\b", FLAGS);

    /**
     * A negation just before an {@link #UNRELIABLE} phrase denies it: "No result was inconclusive", "no QC
     * failure", "Aucun \u00e9chec technique" (at most two words between).
     */
    private static final Pattern DENIED_JUST_BEFORE = Pattern.compile(
            "\\b(?:no|not|never|nor|without|zero|none|aucun|aucune|ning\\u00fan|ninguna|nessun|nessuna|kein|keine|keinen)"
                    + "\\s+(?:\\S+\\s+){0,2}$",
            FLAGS);

    /** Whether a text says a negative cannot be relied on ({@link #UNRELIABLE}). */
    static boolean saysUnreliable(String text) {
        if (text == null) {
            return false;
        }
        // A line broken inside a sentence ("not\nevaluable", "Wrong\nspecimen": atk21) and runs of spaces are
        // one space: the phrases are written with single spaces.
        String bounded = SOFT_BREAK.matcher(bounded(text)).replaceAll(" ");
        Matcher unreliable = UNRELIABLE.matcher(bounded);
        while (unreliable.find()) {
            // The clause the words start in decides: a condition, a denial or advice there undoes nothing.
            // What the clause says up to the words decides: a condition, a denial or advice before them undoes
            // nothing ("If tumour content is insufficient"); advice after them does not make them hypothetical
            // ("Low tumour content and a repeat is recommended").
            String before = bounded.substring(clauseStart(bounded, unreliable.start()), unreliable.start());
            String said = unreliable.group();
            String upToIt = before + (NEGATED_IN_ITSELF.matcher(said).lookingAt() ? " " : said);
            String after = bounded.substring(unreliable.end(), Math.min(bounded.length(), unreliable.end() + 40));
            if (!HYPOTHETICAL.matcher(upToIt).find()
                    && !DENIED_JUST_BEFORE.matcher(before).find()
                    && !COUNTED_NONE_AFTER.matcher(after).lookingAt()) {
                return true;
            }
        }
        return false;
    }

    /** Where the clause (between the separators {@link #meanings} splits on) holding a position starts. */
    private static int clauseStart(String text, int at) {
        int start = 0;
        Matcher separators = CLAUSE_SEPARATOR.matcher(text);
        while (separators.find() && separators.end() <= at) {
            start = separators.end();
        }
        return start;
    }

    /**
     * A clause that says what would or need not be, not what is: a condition ("If tumour content is
     * insufficient"), a denial ("DNA was not degraded", "Plasma testing is not required"), advice. Such a clause
     * undoes no negative and names no specimen (a helper's wild-type reports).
     */
    private static final Pattern HYPOTHETICAL = Pattern.compile(
            "^[^\\p{L}]*(?:if|when|where|unless|should|in case|falls|wenn|sofern)\\b"
                    + "|\\b(?:not|no|never|nor|without)\\s+(?:\\w+\\s+){0,2}?"
                    + "(?:insufficient|inadequate|unsuitable|suboptimal|degraded|withdrawn|retracted|mislabel+ed|required|indicated|needed|necessary|recommended|performed|low)\\b"
                    + "|\\b(?:is|was|were|are)\\s+not\\b"
                    + "|\\b(?:recommend\\w*|advis\\w*|consider(?!ed\\b)\\w*|suggest\\w*|may be|would be|could be|empf(?:ohlen|iehlt|ehlen))\\b",
            FLAGS);

    /** Whether a clause of the text states a fact about this sample, not a condition, denial or advice. */
    static boolean statesInFact(String clause) {
        return clause != null && !HYPOTHETICAL.matcher(clause).find();
    }

    /** The clauses of a text (as {@link #meanings} splits it). */
    static String[] clauses(String text) {
        return text == null ? new String[0] : CLAUSE_SEPARATOR.split(bounded(text));
    }

    /** The hotspot codons a text names by codon or residue, not through an exon list ("exons 2, 3 and 4"). */
    static Set<Integer> codonsNamedOutsideExonLists(String text) {
        return text == null
                ? Set.of()
                : coverage(EXON_LIST.matcher(text).replaceAll(" ")).hotspotCodons();
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
        Set<Integer> limited = new TreeSet<>();
        boolean stated = false;
        boolean unaccounted = false;
        if (text == null) {
            return new Coverage(false, codons, false);
        }
        for (String clause : SCOPE_CLAUSE_SEPARATOR.split(
                QUALITY_PASSED.matcher(bounded(text)).replaceAll(" "))) {
            Set<Integer> named = new TreeSet<>();
            StringBuilder rest = new StringBuilder(clause);
            boolean clauseStated = false;
            for (Pattern list : new Pattern[] {CODON_LIST, GENE_CODON_LIST}) {
                Matcher m = list.matcher(clause);
                while (m.find()) {
                    clauseStated = true;
                    named.addAll(numbers(m.group(1)));
                    blank(rest, m.start(), m.end());
                }
            }
            Matcher exons = EXON_LIST.matcher(clause);
            while (exons.find()) {
                clauseStated = true;
                for (int exon : numbers(exons.group(1))) {
                    named.addAll(RasHotspots.CODONS_BY_EXON.getOrDefault(exon, Set.of()));
                }
                blank(rest, exons.start(), exons.end());
            }
            Matcher residues = RESIDUE_POSITION.matcher(clause);
            while (residues.find()) {
                java.util.OptionalInt position = boundedInt(residues.group(1));
                // Past the end of KRAS and NRAS (189 residues): another gene's change ("BRAF V600E not detected").
                if (position.isPresent() && position.getAsInt() <= RAS_PROTEIN_LENGTH) {
                    clauseStated = true;
                    named.add(position.getAsInt());
                }
            }
            Matcher full = FULL_GENE.matcher(rest);
            while (full.find()) {
                blank(rest, full.start(), full.end());
            }
            if (SCOPE_WORD.matcher(rest).find()) {
                unaccounted = true;
            }
            if (!clauseStated && DETECTION_LIMIT.matcher(clause).find()) {
                continue; // the assay's sensitivity, said of every negative: it names no scope
            }
            if (LIMITING.matcher(clause).find()) {
                if (clauseStated) {
                    limited.addAll(named);
                } else {
                    unaccounted = true;
                }
                stated = true;
                continue;
            }
            stated |= clauseStated;
            codons.addAll(named);
        }
        codons.removeAll(limited);
        codons.retainAll(RasHotspots.CODONS);
        return new Coverage(stated || unaccounted, codons, unaccounted);
    }

    private static void blank(StringBuilder text, int from, int to) {
        for (int i = from; i < to && i < text.length(); i++) {
            text.setCharAt(i, ' ');
        }
    }

    /** Text is read up to a bounded length: a longer one is cut, never parsed whole (no regex over unbounded input). */
    static final int MAX_TEXT = 20_000;

    static String bounded(String text) {
        return text == null || text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT);
    }

    /** A non-negative number of at most 9 digits, else empty: digits in evidence never throw. */
    static java.util.OptionalInt boundedInt(String digits) {
        if (digits == null
                || digits.isEmpty()
                || digits.length() > 9
                || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return java.util.OptionalInt.empty();
        }
        return java.util.OptionalInt.of(Integer.parseInt(digits));
    }

    /** Numbers and ranges of a list such as "12/13", "2-4" or "59, 61 and 117". */
    private static Set<Integer> numbers(String list) {
        Set<Integer> out = new TreeSet<>();
        Matcher m = NUMBER_OR_RANGE.matcher(list);
        while (m.find()) {
            int from = boundedInt(m.group(1)).orElse(-1);
            int to = m.group(2) == null ? from : boundedInt(m.group(2)).orElse(-1);
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
        return text == null ? new ArrayList<>() : wordPositionsInLowerCase(text.toLowerCase(Locale.ROOT), word);
    }

    /**
     * {@link #wordPositions} over a text already in lower case ({@code toLowerCase(Locale.ROOT)}): for
     * many words looked for in one text, which is then lowered once instead of once per word.
     */
    static List<Integer> wordPositionsInLowerCase(String haystack, String word) {
        List<Integer> positions = new ArrayList<>();
        if (haystack == null || word == null || word.isBlank()) {
            return positions;
        }
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
