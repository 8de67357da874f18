package org.rasguard.ras;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Observation;
import org.rasguard.ras.EvidenceGraph.Node;
import org.rasguard.ras.EvidenceGraph.Usability;
import org.rasguard.ras.RasVocabulary.Meaning;

/**
 * Reads what a DiagnosticReport says in words: its conclusion, conclusionCode, text/* presentedForm
 * and narrative (issue 13 family 8, "reports with narrative only"). Many interfaces send a molecular
 * report as a document with no coded results at all.
 *
 * <p>A mutation counts wherever it is written: in any report, a sentence that names a RAS gene, a
 * protein-changing change or codon at a hotspot, and a mutation word (not negated) is a mutation of
 * that gene. Words are never read as a negative: a report with no results that names a RAS gene and
 * no such sentence makes that gene indeterminate ("narrative only"), so it can never count toward
 * wild-type, whatever it says ("no mutations detected" in prose has no stated method or coverage we
 * could check). A report with results is decided by them; its words only add mutations.
 */
final class NarrativeReportReader {

    /** Sentences: the text's own clause separator keeps "KRAS, codon 12 (p.G12D)" together, unlike commas. */
    static final Pattern SENTENCE = Pattern.compile("[;\\n|]|\\.(?:\\s|$)");

    private static final Pattern MUTATION_WORD = Pattern.compile(
            "\\b(?:mutations?|mutant|mutated|variants?|alterations?|pathogenic|detected|positive|present|identified|found"
                    + "|Mutationen|Varianten?|nachgewiesen|Nachweis|positiv|mutiert)\\b",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    private static final Pattern TAG = Pattern.compile("<[^>]{0,2000}>");
    /** A presentedForm larger than this is read only up to it (text is bounded everywhere). */
    private static final int MAX_ATTACHMENT_BYTES = 200_000;

    private final RasVocabulary vocabulary;
    private final GeneResolver genes;

    NarrativeReportReader(RasVocabulary vocabulary, GeneResolver genes) {
        this.vocabulary = vocabulary;
        this.genes = genes;
    }

    void classify(DiagnosticReport report, String reference, boolean hasResults, Findings out) {
        Usability usability = EvidenceGraph.usabilityOf(report);
        if (usability == Usability.DROPPED || usability == Usability.PENDING) {
            return;
        }
        String words = withoutSentencesAboutHrasAlone(TextSignals.bounded(wordsOf(report)));
        Set<Gene> named = genes.genesNamedIn(words);
        Set<Gene> coded = codedGenes(report.getCode());
        if (named.isEmpty() && coded.isEmpty()) {
            return;
        }
        Node node = nodeFor(report, reference, usability);
        Set<Gene> about = EnumSet.copyOf(named.isEmpty() ? coded : named);
        if (!named.isEmpty()) {
            about.addAll(coded);
        }
        for (Gene gene : about) {
            String part = named.contains(gene) ? genes.partAbout(words, gene) : words;
            Optional<Mutation> mutation = mutationIn(part);
            if (mutation.isPresent()) {
                Mutation found = mutation.get();
                out.add(node, gene, EvidenceCall.MUTATED, "report text: " + found.detail());
                // A report with results names its variants through them; its words only add the call.
                if (found.change() != null && !hasResults) {
                    out.variant(node, gene, found.change(), found.change().text(), EvidenceCall.MUTATED);
                }
            } else if (!hasResults) {
                out.add(
                        node,
                        gene,
                        EvidenceCall.INDETERMINATE,
                        "report with narrative only: its words are not read as a negative");
            }
        }
    }

    /**
     * The genes the report's words say are negative and nothing else about: each sentence that names
     * such a gene reads negative only (no positive, indeterminate or limited-scope words), and one does.
     * What a positive conclusion is about when its results show nothing positive: "MSI-H tumour. KRAS,
     * NRAS and BRAF: no clinically significant variants" puts it on another biomarker.
     */
    Set<Gene> genesSaidNegative(DiagnosticReport report) {
        Set<Gene> negative = EnumSet.noneOf(Gene.class);
        Set<Gene> otherwise = EnumSet.noneOf(Gene.class);
        for (String sentence : SENTENCE.split(TextSignals.bounded(wordsOf(report)))) {
            Set<Gene> named = genes.genesNamedIn(sentence);
            if (named.isEmpty()) {
                continue;
            }
            Set<Meaning> meanings = TextSignals.meanings(sentence);
            TextSignals.Coverage scope = TextSignals.coverage(sentence);
            if (meanings.contains(Meaning.POSITIVE)
                    || meanings.contains(Meaning.INDETERMINATE)
                    || (scope.stated() && !scope.extended())) {
                otherwise.addAll(named);
            } else if (meanings.contains(Meaning.NEGATIVE)) {
                negative.addAll(named);
            }
        }
        negative.removeAll(otherwise);
        return negative;
    }

    /**
     * The words without the sentences that name HRAS and neither KRAS nor NRAS: such a sentence is about
     * HRAS, which never sets RAS status, and its change ("HRAS c.35G>T (p.Gly12Val) detected. No KRAS or
     * NRAS mutation detected") was read as a codon 12 mutation of both (atk17 w01). A sentence naming HRAS
     * and a RAS gene stays: what it says is read for the RAS gene, as before.
     */
    private String withoutSentencesAboutHrasAlone(String words) {
        return genes.withoutSentencesAboutOnly(words, vocabulary.hrasNames());
    }

    private record Mutation(String detail, HgvsChange change) {}

    /** The first sentence that states a mutation at a hotspot: a change or codon, and a mutation word not negated. */
    private static Optional<Mutation> mutationIn(String text) {
        for (String sentence : SENTENCE.split(text)) {
            Set<Meaning> meanings = TextSignals.meanings(sentence);
            if (meanings.contains(Meaning.INDETERMINATE)
                    || !MUTATION_WORD.matcher(sentence).find()) {
                continue;
            }
            List<HgvsChange> changes = new ArrayList<>(Hgvs.findAll(sentence));
            if (changes.isEmpty()) {
                changes.addAll(Hgvs.findAllAnyCase(sentence));
            }
            Optional<HgvsChange> hotspot = changes.stream()
                    .filter(HgvsChange::hitsHotspot)
                    .min(java.util.Comparator.comparing(change -> change.level() != HgvsChange.Level.PROTEIN));
            boolean negative = meanings.contains(Meaning.NEGATIVE);
            if (hotspot.isPresent() && (!negative || meanings.contains(Meaning.POSITIVE))) {
                return Optional.of(new Mutation("mutation " + hotspot.get().text(), hotspot.get()));
            }
            // A codon without a change ("codon 12 mutation detected") counts only in a sentence with no negative at
            // all:
            // "no mutation in codons 12, 13 and 61 detected" names codons too.
            // An exon list counts as the place of a mutation only beside a positive word: "KRAS and NRAS mutation
            // testing of exons 2, 3 and 4 was performed", a test's title, named no mutation (atk22 w07).
            Set<Integer> codons = meanings.contains(Meaning.POSITIVE)
                    ? TextSignals.coverage(sentence).hotspotCodons()
                    : TextSignals.codonsNamedOutsideExonLists(sentence);
            if (!negative && !codons.isEmpty() && changes.stream().allMatch(HgvsChange::changesProtein)) {
                return Optional.of(
                        new Mutation("mutation at codon " + codons.iterator().next(), null));
            }
        }
        return Optional.empty();
    }

    private Set<Gene> codedGenes(CodeableConcept code) {
        Set<Gene> coded = EnumSet.noneOf(Gene.class);
        for (Coding coding : code.getCoding()) {
            coded.addAll(vocabulary.genesTestedBy(coding));
        }
        coded.addAll(genes.genesNamedIn(Fhir.words(code)));
        return coded;
    }

    /** The report's words: conclusion, conclusionCode, text presentedForms and narrative, in that order. */
    static String wordsOf(DiagnosticReport report) {
        List<String> words = new ArrayList<>();
        if (report.hasConclusion()) {
            words.add(report.getConclusion());
        }
        report.getConclusionCode().forEach(concept -> words.add(Fhir.words(concept)));
        for (Attachment form : report.getPresentedForm()) {
            text(form).ifPresent(words::add);
        }
        if (report.hasText() && report.getText().hasDiv()) {
            words.add(report.getText().getDiv().allText());
        }
        return String.join("\n", words);
    }

    /** A text/* attachment's words (HTML tags removed); other content types and URLs are not read. */
    private static Optional<String> text(Attachment form) {
        String type = form.hasContentType() ? form.getContentType().toLowerCase(Locale.ROOT) : "";
        if (!form.hasData() || !type.startsWith("text/")) {
            return Optional.empty();
        }
        byte[] data = form.getData();
        String text = new String(data, 0, Math.min(data.length, MAX_ATTACHMENT_BYTES), StandardCharsets.UTF_8);
        if (type.startsWith("text/html")) {
            text = TAG.matcher(text)
                    .replaceAll(" ")
                    .replace("&gt;", ">")
                    .replace("&lt;", "<")
                    .replace("&nbsp;", " ")
                    .replace("&quot;", "\"")
                    .replace("&amp;", "&");
        }
        return Optional.of(text);
    }

    /** The report as a result node, so the finding carries its reference, dates and specimen. */
    static Node nodeFor(DiagnosticReport report, String reference, Usability usability) {
        Observation words = new Observation();
        words.setCode(report.getCode());
        Node node = new Node(words, reference, null);
        node.reports.add(report);
        node.usability = usability;
        return node;
    }
}
