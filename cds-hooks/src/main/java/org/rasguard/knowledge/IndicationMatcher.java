package org.rasguard.knowledge;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;

/**
 * Tells whether a diagnosis (a Condition's code) is colorectal cancer, for which an anti-EGFR
 * antibody needs a RAS result, head and neck squamous cell carcinoma, for which cetuximab has no
 * RAS requirement, or a cancer that cannot be placed and so could be colorectal. The codes come from
 * the ValueSets of the knowledge package. Immutable and thread-safe.
 *
 * <p>ICD codes also match by category and without the dot, as {@code DiagnosisCodes} explains. A
 * diagnosis written in words is colorectal cancer when the words name a colorectal site (the
 * designations of the colorectal ValueSet) and a malignancy, and not the colon as a secondary site.
 */
public final class IndicationMatcher {

    public static final String COLORECTAL_CANCER = KnowledgeBase.CANONICAL_BASE + "/ValueSet/colorectal-cancer";
    public static final String HEAD_NECK_SCC = KnowledgeBase.CANONICAL_BASE + "/ValueSet/head-neck-scc";
    public static final String CANCER_SITE_UNPLACED = KnowledgeBase.CANONICAL_BASE + "/ValueSet/cancer-site-unplaced";

    private static final int FLAGS = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
    /** Words that say a diagnosis is a malignancy (a keyword table, like the text readers of the RAS engine). */
    private static final Pattern MALIGNANCY = Pattern.compile(
            "\\b(?:cancers?|carcinomas?|adenocarcinomas?|malignan(?:t|cy|cies)"
                    + "|sarcomas?|carcinomatosis|metasta(?:sis|ses|tic)|mets|neoplasm,? malignant|ca)\\b",
            FLAGS);
    /**
     * Words before a site, in its clause, that make it where the cancer spread to, not where it began ("secondary
     * malignant neoplasm of large intestine and rectum", "metastatic to sigmoid colon"). They reach only the sites
     * after them up to a comma or "from": "Adenocarcinoma of descending colon, metastatic to liver" and "liver
     * metastases from sigmoid colon" began in the colon.
     */
    private static final Pattern SECONDARY = Pattern.compile(
            "\\bsecondary\\b|\\bmetasta(?:sis|ses|tic)\\s+(?:to|in|into)\\b" + "|\\bmets\\s+to\\b", FLAGS);

    private static final Pattern CLAUSE_END = Pattern.compile("[,;:.]|\\bfrom\\b|\\bprimary\\b", FLAGS);
    private static final Pattern BENIGN = Pattern.compile("\\bbenign\\b", FLAGS);

    /** Where a diagnosis stands for the RAS rule. */
    public enum Placement {
        COLORECTAL,
        HEAD_AND_NECK,
        /** A cancer whose site is ill-defined, secondary, unspecified or unreadable: it could be colorectal. */
        UNPLACED_CANCER,
        /** Placed, and not colorectal (another site, or no cancer). */
        NOT_COLORECTAL
    }

    private final DiagnosisCodes colorectalCancer;
    private final DiagnosisCodes headAndNeckScc;
    private final DiagnosisCodes unplacedSites;
    private final List<Pattern> colorectalSites;

    private IndicationMatcher(
            DiagnosisCodes colorectalCancer, DiagnosisCodes headAndNeckScc, DiagnosisCodes unplacedSites) {
        this.colorectalCancer = colorectalCancer;
        this.headAndNeckScc = headAndNeckScc;
        this.unplacedSites = unplacedSites;
        this.colorectalSites = colorectalCancer.designations().stream()
                .map(word -> Pattern.compile("(?<![\\p{L}\\p{N}])" + Pattern.quote(word) + "(?![\\p{L}\\p{N}])", FLAGS))
                .toList();
    }

    /** Reads the diagnosis ValueSets; fails fast if one is missing. */
    public static IndicationMatcher from(KnowledgeBase knowledge) {
        return new IndicationMatcher(
                DiagnosisCodes.of(knowledge, COLORECTAL_CANCER),
                DiagnosisCodes.of(knowledge, HEAD_NECK_SCC),
                DiagnosisCodes.of(knowledge, CANCER_SITE_UNPLACED));
    }

    public boolean isColorectalCancer(CodeableConcept diagnosis) {
        return place(diagnosis) == Placement.COLORECTAL;
    }

    public boolean isHeadAndNeckScc(CodeableConcept diagnosis) {
        return headAndNeckScc.matches(diagnosis);
    }

    /**
     * Places a diagnosis. Colorectal by code or words first; then head and neck SCC; then an ICD code
     * places it (an ill-defined, secondary or unspecified site is unplaced, any other ICD code is not
     * colorectal); a code of another system (SNOMED CT descendants are not expanded here) places it
     * only by its words: no words, or words of a malignancy without a colorectal site, leave it unplaced.
     */
    public Placement place(CodeableConcept diagnosis) {
        if (diagnosis == null) {
            return Placement.UNPLACED_CANCER;
        }
        List<String> words = new ArrayList<>();
        if (diagnosis.hasText()) {
            words.add(diagnosis.getText());
        }
        diagnosis.getCoding().stream().filter(Coding::hasDisplay).forEach(c -> words.add(c.getDisplay()));
        if (colorectalCancer.matches(diagnosis) || words.stream().anyMatch(this::namesColorectalCancer)) {
            return Placement.COLORECTAL;
        }
        if (headAndNeckScc.matches(diagnosis)) {
            return Placement.HEAD_AND_NECK;
        }
        if (unplacedSites.matches(diagnosis)) {
            return Placement.UNPLACED_CANCER;
        }
        if (diagnosis.getCoding().stream().anyMatch(DiagnosisCodes::isIcd)) {
            return Placement.NOT_COLORECTAL;
        }
        boolean saysSomething = words.stream().anyMatch(w -> !w.isBlank());
        boolean malignant = words.stream().anyMatch(w -> MALIGNANCY.matcher(w).find());
        return !saysSomething || malignant ? Placement.UNPLACED_CANCER : Placement.NOT_COLORECTAL;
    }

    /** A malignancy, not benign, and a colorectal site named as where it began (not as a secondary site). */
    private boolean namesColorectalCancer(String text) {
        if (!MALIGNANCY.matcher(text).find() || BENIGN.matcher(text).find()) {
            return false;
        }
        for (Pattern site : colorectalSites) {
            java.util.regex.Matcher matcher = site.matcher(text);
            while (matcher.find()) {
                String before = text.substring(0, matcher.start());
                java.util.regex.Matcher end = CLAUSE_END.matcher(before);
                int from = 0;
                while (end.find()) {
                    from = end.end();
                }
                if (!SECONDARY.matcher(before.substring(from)).find()) {
                    return true;
                }
            }
        }
        return false;
    }
}
