package org.rasguard.knowledge;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ServiceRequest;

/**
 * What the patient-view reminders read from a chart, with the knowledge package's code lists: a
 * metastatic diagnosis (ValueSet {@value #METASTATIC_DISEASE}, or its words), a TNM distant
 * metastasis Observation ({@value #TNM_DISTANT_METASTASIS}) valued M1, a stage IV, a specimen taken
 * from a metastasis (CodeSystem {@value #METASTATIC_SITE_TERMS}), and a ServiceRequest that orders a
 * RAS test (ValueSet {@value #RAS_TEST_ORDERS}, or RAS Guard's own extended RAS test).
 *
 * <p>Words are matched whole, ignoring case, and never when negated ("no metastasis", "non-metastatic",
 * "without metastases"): a reader that is unsure says no, and a reminder then does not fire on words
 * alone (clinical.md §2.3 point 2: metastatic from C77-C79 codes, TNM M1 or stage IV).
 */
public final class ChartMatcher {

    public static final String METASTATIC_DISEASE = KnowledgeBase.CANONICAL_BASE + "/ValueSet/metastatic-disease";
    public static final String TNM_DISTANT_METASTASIS = KnowledgeBase.CANONICAL_BASE + "/ValueSet/tnm-distant-metastasis";
    public static final String METASTATIC_SITE_TERMS = KnowledgeBase.CANONICAL_BASE + "/CodeSystem/metastatic-site-terms";
    /** The ServiceRequest codes that order extended RAS testing (KRAS and NRAS). */
    public static final String RAS_TEST_ORDERS = KnowledgeBase.CANONICAL_BASE + "/ValueSet/ras-test-codes-both";
    public static final String EXTENDED_RAS_TESTING = KnowledgeBase.CANONICAL_BASE + "/ActivityDefinition/order-extended-ras-testing";

    private static final int FLAGS = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
    private static final Pattern NEGATION = Pattern.compile("(?:\\bno|\\bnon|\\bnot|\\bwithout|\\bnegative\\s+for|\\bfree\\s+of|\\bruled\\s+out)"
            + "[\\s-]*(?:\\p{L}+[\\s-]+){0,2}$", FLAGS);
    /** TNM M1, M1a-M1c, with an optional c/p/y/r prefix, alone or inside a TNM string (T3N1M1a). */
    private static final Pattern M1 = Pattern.compile("(?<![\\p{L}])(?:[cpyr]{0,2})M1[a-d]?(?![\\p{L}\\p{N}])", FLAGS);
    /** Stage IV (IVA-IVC, 4, 4A-4C), written as "stage IV", or a stage value alone. */
    private static final Pattern STAGE_IV = Pattern.compile("\\bstage\\s*(?:IV|4)[ABC]?\\b", FLAGS);
    private static final Pattern STAGE_IV_VALUE = Pattern.compile("\\s*(?:stage\\s*)?(?:IV|4)[ABC]?\\s*", FLAGS);

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
        CodeSystem terms = knowledge.codeSystem(METASTATIC_SITE_TERMS)
                .orElseThrow(() -> new IllegalArgumentException("Unknown CodeSystem " + METASTATIC_SITE_TERMS));
        List<Pattern> metastasis = new ArrayList<>();
        List<Pattern> sites = new ArrayList<>();
        for (CodeSystem.ConceptDefinitionComponent concept : terms.getConcept()) {
            for (CodeSystem.ConceptDefinitionDesignationComponent designation : concept.getDesignation()) {
                Pattern word = word(designation.getValue());
                sites.add(word);
                if (concept.getCode().equals("metastasis")) {
                    metastasis.add(word);
                }
            }
        }
        if (metastasis.isEmpty()) {
            throw new IllegalArgumentException("CodeSystem " + METASTATIC_SITE_TERMS + " has no words for the concept metastasis");
        }
        this.metastasisWords = List.copyOf(metastasis);
        this.siteWords = List.copyOf(sites);
        this.colorectal = DiagnosisCodes.of(knowledge, IndicationMatcher.COLORECTAL_CANCER);
        this.colorectalSites = colorectal.designations().stream().map(ChartMatcher::word).toList();
    }

    /** Reads the ValueSets and the CodeSystem; fails fast when one is missing. */
    public static ChartMatcher from(KnowledgeBase knowledge) {
        return new ChartMatcher(knowledge);
    }

    /** A diagnosis of metastatic disease: a C77-C79 code, or words that say metastasis (not negated). */
    public boolean isMetastaticDiagnosis(CodeableConcept diagnosis) {
        return diagnosis != null && (metastaticDisease.matches(diagnosis) || words(diagnosis).stream().anyMatch(w -> names(w, metastasisWords)));
    }

    /** The code of a TNM distant metastasis (M category) Observation. */
    public boolean isDistantMetastasisCode(CodeableConcept code) {
        return code != null && code.getCoding().stream().anyMatch(coding -> coding.hasSystem() && coding.hasCode()
                && distantMetastasisCodes.contains(new Code(coding.getSystem().trim(), coding.getCode().trim(), null)));
    }

    /** An M category value M1 (M1a-M1c, cM1, pM1), by code, display or text; M0 and MX are not. */
    public boolean saysM1(CodeableConcept value) {
        return value != null && texts(value).stream().anyMatch(text -> M1.matcher(text).find());
    }

    /** A TNM string or stage written as text that says M1 ("T3 N1 M1a", "pT4N2M1"). */
    public boolean saysM1(String text) {
        return text != null && M1.matcher(text).find();
    }

    /** A stage IV (IVA-IVC): "stage IV" in words, or a stage value that is IV or 4 alone. */
    public boolean saysStageIv(CodeableConcept stage) {
        return stage != null && texts(stage).stream().anyMatch(this::saysStageIv);
    }

    public boolean saysStageIv(String text) {
        return text != null && (STAGE_IV.matcher(text).find() || STAGE_IV_VALUE.matcher(text).matches());
    }

    /** Words (a specimen's body site, type or description) that name a metastasis or a metastatic site, not negated. */
    public boolean namesMetastaticSite(String text) {
        return text != null && names(text, siteWords);
    }

    /** A code (a body site) in the metastatic-disease ValueSet, or words naming a metastatic site. */
    public boolean namesMetastaticSite(CodeableConcept concept) {
        return concept != null && (metastaticDisease.matches(concept) || words(concept).stream().anyMatch(this::namesMetastaticSite));
    }

    /** A body site of the colon or rectum: a code of the colorectal ValueSet (ICD-O-3 topography C18-C20) or its site words. */
    public boolean namesColorectalSite(CodeableConcept concept) {
        return concept != null && (colorectal.matches(concept) || words(concept).stream().anyMatch(this::namesColorectalSite));
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
        if (request.getInstantiatesCanonical().stream().anyMatch(c -> EXTENDED_RAS_TESTING.equals(stripVersion(c.getValue())))) {
            return true;
        }
        return request.getCode().getCoding().stream().anyMatch(coding -> coding.hasSystem() && coding.hasCode()
                && rasTestOrders.contains(new Code(coding.getSystem().trim(), coding.getCode().trim(), null)));
    }

    private static String stripVersion(String canonical) {
        if (canonical == null) {
            return null;
        }
        int bar = canonical.indexOf('|');
        return bar < 0 ? canonical : canonical.substring(0, bar);
    }

    private static boolean names(String text, List<Pattern> words) {
        for (Pattern word : words) {
            var matcher = word.matcher(text);
            while (matcher.find()) {
                if (!NEGATION.matcher(text.substring(0, matcher.start())).find()) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Pattern word(String word) {
        return Pattern.compile("(?<![\\p{L}\\p{N}])" + Pattern.quote(word.toLowerCase(Locale.ROOT)) + "(?![\\p{L}\\p{N}])", FLAGS);
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
