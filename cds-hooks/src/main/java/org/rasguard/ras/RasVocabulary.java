package org.rasguard.ras;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ValueSet;
import org.rasguard.knowledge.Code;
import org.rasguard.knowledge.DrugCodes;
import org.rasguard.knowledge.DrugMatcher;
import org.rasguard.knowledge.KnowledgeBase;

/**
 * The clinical code lists of the RAS status engine, read from the ValueSets of the knowledge
 * package ({@code ig-resources/src/main/fhir}) so that there is one copy of each list and every
 * code carries its source there. Immutable and thread-safe.
 */
public final class RasVocabulary {

    private static final String VALUE_SET = KnowledgeBase.CANONICAL_BASE + "/ValueSet/";
    /**
     * Where an interpretation's words break into clauses that may each be an answer's display; '|' is
     * where {@code Fhir.words} joins a concept's text to its codings' displays.
     */
    private static final Pattern ANSWER_CLAUSE = Pattern.compile("\\s[-\u2013\u2014]\\s|[;,.:()|\\n]");

    public static final String GENES = VALUE_SET + "ras-genes";
    public static final String BRAF_GENE = VALUE_SET + "braf-gene";
    public static final String HRAS_GENE = VALUE_SET + "hras-gene";
    public static final String KRAS_TEST_CODES = VALUE_SET + "ras-test-codes-kras";
    public static final String BOTH_GENES_TEST_CODES = VALUE_SET + "ras-test-codes-both";
    public static final String FULL_GENE_CODES = VALUE_SET + "ras-full-gene-codes";
    public static final String TESTED_FOR_CODES = VALUE_SET + "ras-tested-for-codes";
    public static final String RESULT_POSITIVE = VALUE_SET + "ras-result-positive";
    public static final String RESULT_NEGATIVE = VALUE_SET + "ras-result-negative";
    public static final String RESULT_INDETERMINATE = VALUE_SET + "ras-result-indeterminate";
    public static final String SIGNIFICANCE_PATHOGENIC = VALUE_SET + "ras-significance-pathogenic";
    public static final String SIGNIFICANCE_BENIGN = VALUE_SET + "ras-significance-benign";
    public static final String SIGNIFICANCE_UNCERTAIN = VALUE_SET + "ras-significance-uncertain";
    public static final String THERAPEUTIC_RESISTANT = VALUE_SET + "ras-therapeutic-resistant";
    public static final String EXTENDED_COVERAGE_METHODS = VALUE_SET + "ras-extended-coverage-methods";
    public static final String LIQUID_BIOPSY_SPECIMENS = VALUE_SET + "ras-liquid-biopsy-specimens";
    /** Words of a test that mark a liquid biopsy (cfDNA, ctDNA, plasma assays); included in {@link #LIQUID_BIOPSY_SPECIMENS}. */
    public static final String LIQUID_BIOPSY_TERMS =
            KnowledgeBase.CANONICAL_BASE + "/CodeSystem/ras-liquid-biopsy-terms";
    /** Reference codons of the hotspots per gene (MANE Select numbering), only where a source confirms them. */
    public static final String REFERENCE_CODONS = KnowledgeBase.CANONICAL_BASE + "/CodeSystem/ras-reference-codons";
    /** The six hotspot codons by exon; must be {@link RasHotspots#CODONS_BY_EXON}, checked when the vocabulary is read. */
    public static final String HOTSPOT_CODONS = KnowledgeBase.CANONICAL_BASE + "/CodeSystem/ras-hotspot-codons";
    /** Owned by the drug knowledge: cetuximab and panitumumab, with brand names as designations. */
    public static final String ANTI_EGFR_ANTIBODIES = DrugMatcher.ANTI_EGFR_ANTIBODIES;

    /** A coded result's meaning. */
    enum Meaning {
        POSITIVE,
        NEGATIVE,
        INDETERMINATE
    }

    /** A variant's clinical significance, from the LOINC 53037-8 answers. */
    enum Significance {
        PATHOGENIC,
        UNCERTAIN,
        BENIGN
    }

    private final Map<Code, Gene> geneCodes;
    private final Map<Gene, List<String>> geneNames;
    private final Set<Code> brafCodes;
    private final List<String> brafNames;
    private final List<String> hrasNames;
    private final List<String> namesOutsideRasStatus;
    private final Set<Code> krasTests;
    private final Set<Code> bothGenesTests;
    private final Set<Code> fullGeneTests;
    private final Set<Code> testedFor;
    private final Map<Code, Meaning> meanings;
    /** The displays of the result ValueSets' answers, lower-case, each with its meaning (one meaning only). */
    private final Map<String, Meaning> answerWords;

    private final Map<Code, Significance> significances;
    private final Set<Code> resistant;
    private final Set<Code> extendedMethods;
    private final Set<Code> liquidBiopsySpecimens;
    private final List<String> liquidBiopsyTestWords;
    private final List<String> liquidBiopsySpecimenWords;
    private final DrugCodes antiEgfr;
    private final Map<Gene, Map<Integer, String>> referenceCodons;

    /** @param antiEgfr the drug matcher's reader of the anti-EGFR ValueSet, or null to read it here */
    private RasVocabulary(KnowledgeBase kb, DrugCodes antiEgfr) {
        this.geneCodes = geneCodes(kb);
        this.geneNames = geneNames(kb);
        requireHotspotsOfTheEngine(kb);
        this.brafCodes = kb.codes(BRAF_GENE);
        this.brafNames = brafCodes.stream().map(Code::display).distinct().toList();
        this.hrasNames =
                kb.codes(HRAS_GENE).stream().map(Code::display).distinct().toList();
        this.namesOutsideRasStatus = java.util.stream.Stream.concat(hrasNames.stream(), brafNames.stream())
                .toList();
        this.krasTests = kb.codes(KRAS_TEST_CODES);
        this.bothGenesTests = kb.codes(BOTH_GENES_TEST_CODES);
        this.fullGeneTests = kb.codes(FULL_GENE_CODES);
        this.testedFor = kb.codes(TESTED_FOR_CODES);
        Map<Code, Meaning> meaningMap = new HashMap<>();
        put(meaningMap, kb.codes(RESULT_POSITIVE), Meaning.POSITIVE);
        put(meaningMap, kb.codes(RESULT_NEGATIVE), Meaning.NEGATIVE);
        put(meaningMap, kb.codes(RESULT_INDETERMINATE), Meaning.INDETERMINATE);
        this.meanings = Collections.unmodifiableMap(meaningMap);
        this.answerWords = answerWords(meaningMap);
        Map<Code, Significance> significanceMap = new HashMap<>();
        put(significanceMap, kb.codes(SIGNIFICANCE_PATHOGENIC), Significance.PATHOGENIC);
        put(significanceMap, kb.codes(SIGNIFICANCE_UNCERTAIN), Significance.UNCERTAIN);
        put(significanceMap, kb.codes(SIGNIFICANCE_BENIGN), Significance.BENIGN);
        this.significances = Collections.unmodifiableMap(significanceMap);
        this.resistant = kb.codes(THERAPEUTIC_RESISTANT);
        this.extendedMethods = kb.codes(EXTENDED_COVERAGE_METHODS);
        this.liquidBiopsySpecimens = kb.codes(LIQUID_BIOPSY_SPECIMENS);
        this.liquidBiopsyTestWords = liquidBiopsyTestWords(kb);
        Set<String> specimenWords = new LinkedHashSet<>(designations(kb, LIQUID_BIOPSY_SPECIMENS));
        specimenWords.addAll(liquidBiopsyTestWords);
        this.liquidBiopsySpecimenWords = List.copyOf(specimenWords);
        this.antiEgfr = antiEgfr != null ? antiEgfr : DrugCodes.of(kb, ANTI_EGFR_ANTIBODIES);
        if (this.antiEgfr.names().isEmpty()) {
            throw new IllegalArgumentException(ANTI_EGFR_ANTIBODIES + " names no drug: give its concepts designations");
        }
        this.referenceCodons = referenceCodons(kb);
    }

    /** The designations of the liquid-biopsy terms CodeSystem: words that mark a test as a liquid biopsy wherever they occur. */
    private static List<String> liquidBiopsyTestWords(KnowledgeBase kb) {
        CodeSystem terms = kb.codeSystem(LIQUID_BIOPSY_TERMS)
                .orElseThrow(() -> new IllegalArgumentException("Unknown CodeSystem " + LIQUID_BIOPSY_TERMS));
        List<String> words = new java.util.ArrayList<>();
        terms.getConcept()
                .forEach(concept -> concept.getDesignation().forEach(designation -> words.add(designation.getValue())));
        if (words.isEmpty()) {
            throw new IllegalArgumentException(LIQUID_BIOPSY_TERMS + " has no designations");
        }
        return List.copyOf(words);
    }

    /**
     * The hotspot codons by exon as the knowledge package publishes them. The engine's own
     * ({@link RasHotspots}) are reviewed code, like the accessions: a package that lists others stops
     * the start, so the published list and the one applied cannot differ.
     */
    static Map<Integer, Set<Integer>> hotspotCodonsByExon(KnowledgeBase kb) {
        CodeSystem codons = kb.codeSystem(HOTSPOT_CODONS)
                .orElseThrow(() -> new IllegalArgumentException("Unknown CodeSystem " + HOTSPOT_CODONS));
        Map<Integer, Set<Integer>> byExon = new HashMap<>();
        for (CodeSystem.ConceptDefinitionComponent concept : codons.getConcept()) {
            Map<String, org.hl7.fhir.r4.model.Type> properties = new HashMap<>();
            concept.getProperty().forEach(p -> properties.put(p.getCode(), p.getValue()));
            if (!(properties.get("codon") instanceof org.hl7.fhir.r4.model.IntegerType codon)
                    || !(properties.get("exon") instanceof org.hl7.fhir.r4.model.IntegerType exon)) {
                throw new IllegalArgumentException(
                        HOTSPOT_CODONS + " " + concept.getCode() + " needs a codon and an exon");
            }
            byExon.computeIfAbsent(exon.getValue(), e -> new HashSet<>()).add(codon.getValue());
        }
        return byExon;
    }

    private static void requireHotspotsOfTheEngine(KnowledgeBase kb) {
        Map<Integer, Set<Integer>> published = hotspotCodonsByExon(kb);
        if (!published.equals(RasHotspots.CODONS_BY_EXON)) {
            throw new IllegalArgumentException(
                    HOTSPOT_CODONS + " lists the hotspot codons " + new java.util.TreeMap<>(published)
                            + " by exon, the engine applies " + new java.util.TreeMap<>(RasHotspots.CODONS_BY_EXON)
                            + ": a hotspot is a reviewed change of org.rasguard.ras.RasHotspots and the CodeSystem together");
        }
    }

    /** Gene, codon and reference codon of every concept of ras-reference-codons; checks each is three bases. */
    private static Map<Gene, Map<Integer, String>> referenceCodons(KnowledgeBase kb) {
        CodeSystem codons = kb.codeSystem(REFERENCE_CODONS)
                .orElseThrow(() -> new IllegalArgumentException("Unknown CodeSystem " + REFERENCE_CODONS));
        Map<Gene, Map<Integer, String>> out = new EnumMap<>(Gene.class);
        for (CodeSystem.ConceptDefinitionComponent concept : codons.getConcept()) {
            Map<String, org.hl7.fhir.r4.model.Type> properties = new HashMap<>();
            concept.getProperty().forEach(p -> properties.put(p.getCode(), p.getValue()));
            Gene gene = bySymbol(
                            properties.get("gene") instanceof org.hl7.fhir.r4.model.StringType symbol
                                    ? symbol.getValue()
                                    : "")
                    .orElseThrow(() -> new IllegalArgumentException(
                            REFERENCE_CODONS + " " + concept.getCode() + " names no RAS gene"));
            if (!(properties.get("codon") instanceof org.hl7.fhir.r4.model.IntegerType codon)
                    || !(properties.get("referenceCodon") instanceof org.hl7.fhir.r4.model.StringType bases)
                    || !bases.getValue().matches("[ACGT]{3}")) {
                throw new IllegalArgumentException(
                        REFERENCE_CODONS + " " + concept.getCode() + " needs a codon and three reference bases");
            }
            out.computeIfAbsent(gene, g -> new HashMap<>()).put(codon.getValue(), bases.getValue());
        }
        out.replaceAll((gene, byCodon) -> Map.copyOf(byCodon));
        return Collections.unmodifiableMap(out);
    }

    /**
     * Reads the vocabulary from a knowledge base.
     *
     * @throws IllegalArgumentException when a ValueSet is missing, or {@code ras-genes} disagrees
     *     with {@link Gene} about a gene's HGNC id
     */
    public static RasVocabulary from(KnowledgeBase kb) {
        return new RasVocabulary(kb, null);
    }

    /**
     * Reads the vocabulary, matching anti-EGFR drugs with the drug matcher's own reader (one reading of
     * their codes, NDC normalisation included: {@link DrugMatcher#antiEgfrAntibodies()}).
     */
    public static RasVocabulary from(KnowledgeBase kb, DrugCodes antiEgfrAntibodies) {
        return new RasVocabulary(kb, antiEgfrAntibodies);
    }

    private static <V> void put(Map<Code, V> map, Set<Code> codes, V value) {
        for (Code code : codes) {
            V previous = map.put(code, value);
            if (previous != null && previous != value) {
                throw new IllegalArgumentException(
                        "Code " + code.system() + "|" + code.code() + " is both " + previous + " and " + value);
            }
        }
    }

    /** Maps every code of ras-genes to its gene by display (the HGNC symbol), and checks each gene's HGNC id is there. */
    private static Map<Code, Gene> geneCodes(KnowledgeBase kb) {
        Map<Code, Gene> byCode = new HashMap<>();
        for (Code code : kb.codes(GENES)) {
            Gene gene = bySymbol(code.display())
                    .orElseThrow(() -> new IllegalArgumentException(
                            GENES + " has " + code.code() + " for unknown gene " + code.display()));
            byCode.put(code, gene);
        }
        for (Gene gene : Gene.values()) {
            if (byCode.get(new Code(GenomicsCodes.HGNC, gene.hgncId(), null)) != gene) {
                throw new IllegalArgumentException(GENES + " lacks " + gene.hgncId() + " " + gene.symbol());
            }
        }
        return Collections.unmodifiableMap(byCode);
    }

    private static Map<Gene, List<String>> geneNames(KnowledgeBase kb) {
        Map<Gene, Set<String>> names = new EnumMap<>(Gene.class);
        for (Gene gene : Gene.values()) {
            names.put(gene, new LinkedHashSet<>(List.of(gene.symbol())));
        }
        ValueSet genes = kb.valueSet(GENES).orElseThrow();
        for (ValueSet.ConceptSetComponent include : genes.getCompose().getInclude()) {
            for (ValueSet.ConceptReferenceComponent concept : include.getConcept()) {
                bySymbol(concept.getDisplay())
                        .ifPresent(gene -> concept.getDesignation()
                                .forEach(designation -> names.get(gene).add(designation.getValue())));
            }
        }
        Map<Gene, List<String>> out = new EnumMap<>(Gene.class);
        names.forEach((gene, set) -> out.put(gene, List.copyOf(set)));
        return Collections.unmodifiableMap(out);
    }

    /**
     * The designations of a ValueSet and the ValueSets it includes: the names (ingredient and brand)
     * the drug knowledge tells matchers to look for in text.
     */
    private static Set<String> designations(KnowledgeBase kb, String valueSetUrl) {
        Set<String> names = new LinkedHashSet<>();
        collectDesignations(kb, valueSetUrl, names, new HashSet<>());
        if (names.isEmpty()) {
            throw new IllegalArgumentException(valueSetUrl + " names no drug: give its concepts designations");
        }
        return names;
    }

    private static void collectDesignations(KnowledgeBase kb, String url, Set<String> names, Set<String> visited) {
        if (!visited.add(url)) {
            return;
        }
        ValueSet valueSet = kb.valueSet(url).orElseThrow(() -> new IllegalArgumentException("Unknown ValueSet " + url));
        for (ValueSet.ConceptSetComponent include : valueSet.getCompose().getInclude()) {
            include.getValueSet().forEach(nested -> collectDesignations(kb, nested.getValue(), names, visited));
            for (ValueSet.ConceptReferenceComponent concept : include.getConcept()) {
                concept.getDesignation().forEach(designation -> names.add(designation.getValue()));
            }
        }
    }

    private static Optional<Gene> bySymbol(String symbol) {
        for (Gene gene : Gene.values()) {
            if (gene.symbol().equals(symbol)) {
                return Optional.of(gene);
            }
        }
        return Optional.empty();
    }

    Optional<Gene> geneOf(Code code) {
        return Optional.ofNullable(geneCodes.get(code));
    }

    /** Symbol first, then synonyms, for whole-word matching in displays and text. */
    Map<Gene, List<String>> geneNames() {
        return geneNames;
    }

    boolean isBraf(Code code) {
        return brafCodes.contains(code);
    }

    List<String> brafNames() {
        return brafNames;
    }

    /**
     * HRAS's names: a RAS gene whose variants are written like KRAS's ("HRAS c.35G>T (p.Gly12Val)") but
     * that never sets RAS status (genomics.md §3.2).
     */
    List<String> hrasNames() {
        return hrasNames;
    }

    /** HRAS's and BRAF's names: genes a report names beside KRAS and NRAS that never set RAS status. */
    List<String> namesOutsideRasStatus() {
        return namesOutsideRasStatus;
    }

    /** The genes one result of this test code speaks about; empty when the code is no RAS test code. */
    Set<Gene> genesTestedBy(Coding coding) {
        Code code = code(coding);
        if (bothGenesTests.contains(code)) {
            return Set.of(Gene.KRAS, Gene.NRAS);
        }
        return krasTests.contains(code) ? Set.of(Gene.KRAS) : Set.of();
    }

    boolean isFullGeneTest(Coding coding) {
        return fullGeneTests.contains(code(coding));
    }

    boolean isTestedFor(Coding coding) {
        return testedFor.contains(code(coding));
    }

    Optional<Meaning> meaningOf(Coding coding) {
        return Optional.ofNullable(meanings.get(code(coding)));
    }

    /**
     * The meanings of words that are, clause by clause, the display of a result answer ("Abnormal - see
     * comment": Abnormal, v3 ObservationInterpretation A, positive): an interpretation sent in words only
     * says what its code would. A clause that is anything more ("not abnormal") means nothing here.
     */
    Set<Meaning> meaningsOfAnswerWords(String words) {
        Set<Meaning> out = EnumSet.noneOf(Meaning.class);
        if (words == null) {
            return out;
        }
        for (String clause : ANSWER_CLAUSE.split(words)) {
            Meaning meaning = answerWords.get(clause.trim().toLowerCase(Locale.ROOT));
            if (meaning != null) {
                out.add(meaning);
            }
        }
        return out;
    }

    private static Map<String, Meaning> answerWords(Map<Code, Meaning> meanings) {
        Map<String, Meaning> words = new HashMap<>();
        Set<String> ambiguous = new HashSet<>();
        meanings.forEach((code, meaning) -> {
            if (code.display() != null && !code.display().isBlank()) {
                String word = code.display().trim().toLowerCase(Locale.ROOT);
                Meaning before = words.putIfAbsent(word, meaning);
                if (before != null && before != meaning) {
                    ambiguous.add(word);
                }
            }
        });
        ambiguous.forEach(words::remove);
        return Collections.unmodifiableMap(words);
    }

    Optional<Significance> significanceOf(Coding coding) {
        return Optional.ofNullable(significances.get(code(coding)));
    }

    boolean isResistant(Coding coding) {
        return resistant.contains(code(coding));
    }

    boolean isExtendedCoverageMethod(Coding coding) {
        return extendedMethods.contains(code(coding));
    }

    boolean isLiquidBiopsySpecimen(Coding coding) {
        return liquidBiopsySpecimens.contains(code(coding));
    }

    /** A test's own words (code text and displays, method, report code) name a liquid biopsy: cfDNA, ctDNA, a plasma assay. */
    boolean namesLiquidBiopsyTest(String text) {
        return liquidBiopsyTestWords.stream().anyMatch(word -> TextSignals.containsWord(text, word));
    }

    /** A specimen's words (type text, reference display) name blood, plasma or serum, or a liquid-biopsy test word. */
    boolean namesLiquidBiopsySpecimen(String text) {
        return liquidBiopsySpecimenWords.stream().anyMatch(word -> TextSignals.containsWord(text, word));
    }

    /** The reference codon (three bases, coding strand) of a gene's codon, when a source confirms it. */
    Optional<String> referenceCodon(Gene gene, int codon) {
        return Optional.ofNullable(referenceCodons.getOrDefault(gene, Map.of()).get(codon));
    }

    /** Cetuximab or panitumumab by code, an NDC in any hyphenation of the same product ({@link DrugCodes}). */
    boolean isAntiEgfr(Coding coding) {
        return antiEgfr.matchesCode(coding);
    }

    /** Drug names (ingredient and brand) to look for, as whole words, in a medication's display or text. */
    List<String> antiEgfrNames() {
        return antiEgfr.names();
    }

    static Code code(Coding coding) {
        return new Code(String.valueOf(coding.getSystem()), String.valueOf(coding.getCode()), coding.getDisplay());
    }
}
