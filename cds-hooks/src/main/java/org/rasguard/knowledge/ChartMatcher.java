package org.rasguard.knowledge;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.ServiceRequest;

/**
 * What the patient-view reminders read from a chart, with the knowledge package's code lists: a
 * metastatic diagnosis (ValueSet {@value #METASTATIC_DISEASE}, or its words), a TNM distant
 * metastasis Observation ({@value #TNM_DISTANT_METASTASIS}) valued M1, a stage IV, a specimen taken
 * from a metastasis (CodeSystem {@value #METASTATIC_SITE_TERMS}), and a ServiceRequest that orders a
 * RAS test (ValueSet {@value #RAS_TEST_ORDERS}, or RAS Guard's own extended RAS test).
 *
 * <p>Words are matched whole, ignoring case, and never when negated before or after them ("no evidence of
 * distant metastases", "non-metastatic", "liver metastases ruled out", "Distant metastasis: none") or in doubt
 * ("suspected", "R/O", "hemangioma vs metastasis", "metastasis cannot be excluded", "?metastases"): a reader
 * that is unsure says no, and a reminder then does not fire on words alone (clinical.md §2.3 point 2:
 * metastatic from C77-C79 codes, TNM M1 or stage IV). A chart that clearly says metastatic still does: the
 * words include clinicians' short forms ("liver mets", "mCRC") and stages written loosely ("STAGE-IV",
 * "stage four", "pT3N1bM1a").
 */
public final class ChartMatcher {

    public static final String METASTATIC_DISEASE = KnowledgeBase.CANONICAL_BASE + "/ValueSet/metastatic-disease";
    public static final String TNM_DISTANT_METASTASIS =
            KnowledgeBase.CANONICAL_BASE + "/ValueSet/tnm-distant-metastasis";
    public static final String METASTATIC_SITE_TERMS =
            KnowledgeBase.CANONICAL_BASE + "/CodeSystem/metastatic-site-terms";
    /** The ServiceRequest codes that order extended RAS testing (KRAS and NRAS). */
    public static final String RAS_TEST_ORDERS = KnowledgeBase.CANONICAL_BASE + "/ValueSet/ras-test-codes-both";

    public static final String EXTENDED_RAS_TESTING =
            KnowledgeBase.CANONICAL_BASE + "/ActivityDefinition/order-extended-ras-testing";
    /** The concept of {@value #METASTATIC_SITE_TERMS} whose words say a diagnosis is metastatic but not where a specimen came from ("mCRC"). */
    static final String DIAGNOSIS_ONLY = "metastatic-diagnosis";

    private static final int FLAGS = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
    /**
     * Where a negation or a doubt stops reaching: the end of a sentence or clause (";", ":", ". "; not the dot
     * of "vs."), or a word that turns the sentence ("without perforation, with liver metastases").
     */
    private static final Pattern SCOPE_END = Pattern.compile(
            "[;!\\n:]|(?<!\\bvs)\\.(?=\\s|$)" + "|\\b(?:but|however|although|though|yet|except|with|which|whereas)\\b",
            FLAGS);
    /** A negation that reaches over a short list: "no liver, lung or bone metastases", "no evidence of distant metastases". */
    private static final Pattern NEGATED_BEFORE = Pattern.compile(
            "(?:\\bno\\s+(?:evidence|signs?|findings?)\\s+(?:of|for)|\\bnegative\\s+for"
                    + "|\\bfree\\s+of|\\babsence\\s+of|\\bwithout|\\bno)\\b[\\s,]*(?:[\\p{L}\\p{N}]+[\\s,/-]+){0,4}$",
            FLAGS);
    /** "not" and "non" reach only a word or two ("non-metastatic", "not metastatic"). */
    private static final Pattern NOT_BEFORE = Pattern.compile("\\b(?:not|non)[\\s-]*(?:\\p{L}+[\\s-]+){0,2}$", FLAGS);
    /** Words of doubt before: suspected, possible, rule out, a differential ("hemangioma vs metastasis"), a question mark. */
    private static final Pattern UNSURE_BEFORE = Pattern.compile(
            "(?:\\b(?:possibl[ey]|probabl[ey]|(?:un)?likely|presum(?:ed|ptive)"
                    + "|suspect(?:ed)?|suspicious|suspicion|query|questionable|equivocal|indeterminate|cannot\\s+(?:be\\s+)?(?:excluded?|ruled?\\s+out)"
                    + "|ruled?\\s+out|r/o|concern(?:ing)?\\s+for|worrisome\\s+for|differential|vs|versus|evaluat(?:e|ion)\\s+for)\\b\\.?|\\?)"
                    + "[\\s,]*(?:[\\p{L}\\p{N}]+[\\s,/-]+){0,3}$",
            FLAGS);
    /**
     * A negation or doubt right after the words, across only a few words that belong to them ("liver metastases ruled
     * out", "Distant metastasis: none", "Metastatic workup: negative", "metastasis cannot be excluded", "metastases?").
     * A gene or a test between stops it: "mCRC KRAS negative" is metastatic.
     */
    private static final Pattern DENIED_AFTER = Pattern.compile(
            "^[\\s:=(-]*"
                    + "(?:(?:disease|work-?up|lesions?|deposits?|spread|involvement|evaluation|survey|is|are|was|were|has|have|been|be)[\\s:=(-]+){0,3}"
                    + "(?:(?:ruled\\s+out|excluded|not\\s+(?:seen|present|identified|detected|found|evident|confirmed|excluded|ruled\\s+out)"
                    + "|cannot\\s+be\\s+(?:excluded|ruled\\s+out)|unlikely|suspected|possible|questionable|equivocal|unconfirmed|none|absent"
                    + "|negative(?!\\s+for))\\b|\\?)",
            FLAGS);
    /**
     * TNM M1, M1a-M1d, with an optional c/p/y/r prefix, alone or inside a TNM string, also right after an N or T
     * subcategory letter (T3N1M1a, pT3N1bM1a).
     */
    private static final Pattern M1 =
            Pattern.compile("(?:(?<![\\p{L}])|(?<=[TN][0-4X][a-d]))(?:[cpyr]{0,2})M1[a-d]?(?![\\p{L}\\p{N}])", FLAGS);
    /** Stage IV (IVA-IVC, 4, 4A-4C, four), written as "stage IV", "STAGE-IV", "Stage: 4", "stage four". */
    private static final Pattern STAGE_IV = Pattern.compile("\\bstage[\\s_:-]*(?:(?:IV|4)[ABC]?|four)\\b", FLAGS);
    /** A stage value alone: IV, IVB, IV-B, 4, 4A, four, with or without the word stage. */
    private static final Pattern STAGE_IV_VALUE =
            Pattern.compile("\\s*(?:stage[\\s_:-]*)?(?:(?:IV|4)(?:-?[ABC])?|four)\\s*", FLAGS);
    /** An Observation code that names a stage or the TNM M category (a code of another system, read by its words). */
    private static final Pattern STAGING = Pattern.compile(
            "\\bstag(?:e|es|ed|ing)\\b|\\bTNM\\b|\\bM[\\s-]*(?:category|stage|classification)\\b"
                    + "|\\bdistant\\s+metasta",
            FLAGS);
    /** A Condition.verificationStatus that does not make the Condition a documented fact: void, or unsure. */
    private static final Set<String> NOT_A_FACT =
            Set.of("entered-in-error", "refuted", "provisional", "differential", "unconfirmed");

    private static final String VERIFICATION = "http://terminology.hl7.org/CodeSystem/condition-ver-status";

    private final DiagnosisCodes metastaticDisease;
    private final Set<Code> distantMetastasisCodes;
    private final Set<Code> rasTestOrders;
    private final List<Pattern> metastasisWords;
    private final List<Pattern> siteWords;
    private final DiagnosisCodes colorectal;
    private final List<Pattern> colorectalSites;

    private ChartMatcher(KnowledgeBase knowledge) {
        this.metastaticDisease = DiagnosisCodes.of(knowledge, METASTATIC_DISEASE);
        this.distantMetastasisCodes = knowledge.codes(TNM_DISTANT_METASTASIS);
        this.rasTestOrders = knowledge.codes(RAS_TEST_ORDERS);
        CodeSystem terms = knowledge
                .codeSystem(METASTATIC_SITE_TERMS)
                .orElseThrow(() -> new IllegalArgumentException("Unknown CodeSystem " + METASTATIC_SITE_TERMS));
        List<Pattern> metastasis = new ArrayList<>();
        List<Pattern> sites = new ArrayList<>();
        for (CodeSystem.ConceptDefinitionComponent concept : terms.getConcept()) {
            for (CodeSystem.ConceptDefinitionDesignationComponent designation : concept.getDesignation()) {
                Pattern word = word(designation.getValue());
                if (!concept.getCode().equals(DIAGNOSIS_ONLY)) {
                    sites.add(word);
                }
                if (concept.getCode().equals("metastasis") || concept.getCode().equals(DIAGNOSIS_ONLY)) {
                    metastasis.add(word);
                }
            }
        }
        if (metastasis.isEmpty()) {
            throw new IllegalArgumentException(
                    "CodeSystem " + METASTATIC_SITE_TERMS + " has no words for the concept metastasis");
        }
        this.metastasisWords = List.copyOf(metastasis);
        this.siteWords = List.copyOf(sites);
        this.colorectal = DiagnosisCodes.of(knowledge, IndicationMatcher.COLORECTAL_CANCER);
        this.colorectalSites =
                colorectal.designations().stream().map(ChartMatcher::word).toList();
    }

    /** Reads the ValueSets and the CodeSystem; fails fast when one is missing. */
    public static ChartMatcher from(KnowledgeBase knowledge) {
        return new ChartMatcher(knowledge);
    }

    /** A diagnosis of metastatic disease: a C77-C79 code, or words that say metastasis (not negated, not in doubt). */
    public boolean isMetastaticDiagnosis(CodeableConcept diagnosis) {
        return diagnosis != null
                && (metastaticDisease.matches(diagnosis)
                        || words(diagnosis).stream().anyMatch(w -> names(w, metastasisWords)));
    }

    /**
     * A diagnosis whose own words say stage IV or M1 ("Stage IVA adenocarcinoma of sigmoid colon", "rectal cancer
     * pT3N1bM1a"); only the words, as a bare code "4" or "IV" of a diagnosis is no stage. The caller asks it of a
     * cancer diagnosis only ("Chronic kidney disease, stage 4" is not a cancer stage).
     */
    public boolean saysStageIvOrM1InWords(CodeableConcept diagnosis) {
        return diagnosis != null && words(diagnosis).stream().anyMatch(w -> stated(w, STAGE_IV) || stated(w, M1));
    }

    /**
     * Whether a Condition is a documented fact for the reminders: not entered in error or refuted, nor only
     * provisional, a differential or unconfirmed (unsure). Read by code with HL7's system or none, or by its text,
     * so that a sender's loose verificationStatus does not turn a refuted metastasis into one.
     */
    public boolean isDocumentedFact(Condition condition) {
        CodeableConcept status = condition.getVerificationStatus();
        boolean coded = status.getCoding().stream()
                .anyMatch(c -> c.hasCode()
                        && (!c.hasSystem() || VERIFICATION.equals(c.getSystem().trim()))
                        && NOT_A_FACT.contains(c.getCode().trim().toLowerCase(Locale.ROOT)));
        boolean written = status.hasText()
                && NOT_A_FACT.contains(
                        status.getText().trim().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}]+", "-"));
        return !coded && !written;
    }

    /** The code of an Observation that stages the cancer: a TNM M category code, or words naming a stage, TNM or the M category. */
    public boolean isStagingCode(CodeableConcept code) {
        return isDistantMetastasisCode(code)
                || code != null
                        && words(code).stream().anyMatch(w -> STAGING.matcher(w).find());
    }

    /** The code of a TNM distant metastasis (M category) Observation. */
    public boolean isDistantMetastasisCode(CodeableConcept code) {
        return code != null
                && code.getCoding().stream()
                        .anyMatch(coding -> coding.hasSystem()
                                && coding.hasCode()
                                && distantMetastasisCodes.contains(new Code(
                                        coding.getSystem().trim(),
                                        coding.getCode().trim(),
                                        null)));
    }

    /** An M category value M1 (M1a-M1c, cM1, pM1), by code, display or text; M0 and MX are not. */
    public boolean saysM1(CodeableConcept value) {
        return value != null
                && texts(value).stream().anyMatch(text -> M1.matcher(text).find());
    }

    /** A TNM string or stage written as text that says M1 ("T3 N1 M1a", "pT4N2M1"), not negated or in doubt. */
    public boolean saysM1(String text) {
        return text != null && stated(text, M1);
    }

    /** A stage IV (IVA-IVC): "stage IV" in words, or a stage value that is IV or 4 alone. */
    public boolean saysStageIv(CodeableConcept stage) {
        return stage != null && texts(stage).stream().anyMatch(this::saysStageIv);
    }

    public boolean saysStageIv(String text) {
        return text != null
                && (stated(text, STAGE_IV) || STAGE_IV_VALUE.matcher(text).matches());
    }

    /** Words (a specimen's body site, type or description) that name a metastasis or a metastatic site, not negated. */
    public boolean namesMetastaticSite(String text) {
        return text != null && names(text, siteWords);
    }

    /** A code (a body site) in the metastatic-disease ValueSet, or words naming a metastatic site. */
    public boolean namesMetastaticSite(CodeableConcept concept) {
        return concept != null
                && (metastaticDisease.matches(concept)
                        || words(concept).stream().anyMatch(this::namesMetastaticSite));
    }

    /** A body site of the colon or rectum: a code of the colorectal ValueSet (ICD-O-3 topography C18-C20) or its site words. */
    public boolean namesColorectalSite(CodeableConcept concept) {
        return concept != null
                && (colorectal.matches(concept) || words(concept).stream().anyMatch(this::namesColorectalSite));
    }

    public boolean namesColorectalSite(String text) {
        return text != null && names(text, colorectalSites);
    }

    /**
     * A ServiceRequest that orders extended RAS testing: a code of {@value #RAS_TEST_ORDERS}, or RAS
     * Guard's own suggestion ({@code instantiatesCanonical} {@value #EXTENDED_RAS_TESTING}). A KRAS-only
     * order does not count: it would not give a RAS status.
     */
    public boolean ordersRasTest(ServiceRequest request) {
        if (request.getInstantiatesCanonical().stream()
                .anyMatch(c -> EXTENDED_RAS_TESTING.equals(stripVersion(c.getValue())))) {
            return true;
        }
        return request.getCode().getCoding().stream()
                .anyMatch(coding -> coding.hasSystem()
                        && coding.hasCode()
                        && rasTestOrders.contains(new Code(
                                coding.getSystem().trim(), coding.getCode().trim(), null)));
    }

    private static String stripVersion(String canonical) {
        if (canonical == null) {
            return null;
        }
        int bar = canonical.indexOf('|');
        return bar < 0 ? canonical : canonical.substring(0, bar);
    }

    private static boolean names(String text, List<Pattern> words) {
        return words.stream().anyMatch(word -> stated(text, word));
    }

    /** Whether the pattern occurs in the text at least once neither negated nor in doubt. */
    private static boolean stated(String text, Pattern pattern) {
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            if (!negatedOrUnsure(text, matcher.start(), matcher.end())) {
                return true;
            }
        }
        return false;
    }

    /**
     * A negation or a doubt before the words, within their clause ({@link #SCOPE_END}), or right after them.
     * A reader that is unsure says no: words that do not clearly say metastatic do not make a reminder.
     */
    static boolean negatedOrUnsure(String text, int start, int end) {
        String before = text.substring(0, start);
        Matcher scope = SCOPE_END.matcher(before);
        int from = 0;
        while (scope.find()) {
            from = scope.end();
        }
        String clause = before.substring(from);
        return NEGATED_BEFORE.matcher(clause).find()
                || NOT_BEFORE.matcher(clause).find()
                || UNSURE_BEFORE.matcher(clause).find()
                || DENIED_AFTER.matcher(text.substring(end)).find();
    }

    private static Pattern word(String word) {
        return Pattern.compile(
                "(?<![\\p{L}\\p{N}])" + Pattern.quote(word.toLowerCase(Locale.ROOT)) + "(?![\\p{L}\\p{N}])", FLAGS);
    }

    private static List<String> words(CodeableConcept concept) {
        List<String> out = new ArrayList<>();
        if (concept.hasText()) {
            out.add(concept.getText());
        }
        concept.getCoding().stream().filter(Coding::hasDisplay).forEach(coding -> out.add(coding.getDisplay()));
        return out;
    }

    private static List<String> texts(CodeableConcept concept) {
        List<String> out = words(concept);
        concept.getCoding().stream().filter(Coding::hasCode).forEach(coding -> out.add(coding.getCode()));
        return out;
    }
}
