package org.rasguard.ras;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Observation;
import org.rasguard.ras.EvidenceGraph.Node;

/**
 * Derives a patient's RAS (KRAS and NRAS) status from their genomic results, so that cetuximab and
 * panitumumab are kept away from RAS-mutant and RAS-unknown colorectal cancer.
 *
 * <p>Pure and thread-safe: no I/O, no logging, no state between calls; the vocabulary and policy
 * are immutable. Work is linear in the number of resources and links, and every walk over
 * hasMember / derivedFrom keeps a visited set, so reference cycles cannot loop.
 *
 * <p>Steps: build the evidence graph (Bundles walked, urn:uuid and contained references resolved,
 * newest versions kept, entered-in-error, cancelled and superseded dropped); classify each
 * Observation per gene (Variant, single-gene test, therapeutic implication, HL7 v2 split panel,
 * optionally regions studied); read what reports say in words ({@link NarrativeReportReader});
 * combine per gene and into a status.
 */
public final class RasStatusEngine {

    private final RasVocabulary vocabulary;
    private final RasPolicy policy;
    /**
     * Built once: it compiles each gene's names into a whole-word pattern, which per assessment was a
     * tenth of what a CDS call allocated (issue 19); immutable, so shared by all calls.
     */
    private final GeneResolver genes;

    public RasStatusEngine(RasVocabulary vocabulary, RasPolicy policy) {
        this.vocabulary = Objects.requireNonNull(vocabulary, "vocabulary");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.genes = new GeneResolver(vocabulary);
    }

    /**
     * Assesses ONE patient's evidence: Observations, DiagnosticReports, Specimens and Bundles of
     * them, in any order. Other resource types are ignored.
     */
    public RasAssessment assess(Collection<? extends IBaseResource> evidence) {
        EvidenceGraph graph = EvidenceGraph.of(evidence);
        ResultReader results = new ResultReader(vocabulary);
        VariantReader variantReader = new VariantReader(genes);
        VariantClassifier variants = new VariantClassifier(vocabulary, policy, variantReader, results);
        SingleGeneTestClassifier singleGeneTests = new SingleGeneTestClassifier(vocabulary, policy, genes, results);
        TherapeuticImplicationClassifier implications =
                new TherapeuticImplicationClassifier(vocabulary, genes, variantReader);
        NegativeCoverage negatives = new NegativeCoverage(vocabulary, policy, genes, graph);
        Findings findings = new Findings(graph);

        SplitPanelReader splitPanels = new SplitPanelReader(genes, results);

        List<Node> regionsStudied = new ArrayList<>();
        for (Node node : graph.nodes()) {
            if (node.usability == EvidenceGraph.Usability.DROPPED
                    || node.usability == EvidenceGraph.Usability.PENDING) {
                continue;
            }
            try {
                if (Fhir.hasLoinc(node.observation.getCode(), GenomicsCodes.COPY_NUMBER)) {
                    copyNumber(node, variantReader, findings);
                    continue;
                }
                classify(node, graph, variants, implications, singleGeneTests, negatives, findings, regionsStudied);
                splitPanels.classify(node, variants, negatives, findings);
            } catch (RuntimeException unreadable) {
                unreadable(node, findings);
            }
        }
        NarrativeReportReader narratives = new NarrativeReportReader(vocabulary, genes);
        for (DiagnosticReport report : graph.reports()) {
            String reference = graph.referenceOf(report);
            try {
                narratives.classify(report, reference, !graph.resultsOf(report).isEmpty(), findings);
                positiveConclusionWithoutAPositiveResult(report, reference, graph, results, narratives, findings);
            } catch (RuntimeException unreadable) {
                unreadable(
                        NarrativeReportReader.nodeFor(report, reference, EvidenceGraph.Usability.PRELIMINARY),
                        findings);
            }
        }
        if (policy.inferNegativesFromRegionsStudied()) {
            RegionStudiedClassifier regions = new RegionStudiedClassifier(genes);
            List<EvidenceItem> earlier = findings.items();
            for (Node node : regionsStudied) {
                try {
                    regions.classify(node, graph, earlier, negatives, findings);
                } catch (RuntimeException unreadable) {
                    unreadable(node, findings);
                }
            }
        }

        List<EvidenceItem> items = findings.items();
        Map<Gene, GeneVerdict> verdicts = VerdictCombiner.verdicts(items);
        RasStatus status = VerdictCombiner.status(verdicts);
        List<VariantFinding> found = findings.variants();
        boolean krasG12c = found.stream()
                .anyMatch(v -> v.gene() == Gene.KRAS
                        && v.g12c()
                        && v.call() == EvidenceCall.MUTATED
                        && isFinal(items, v.evidence()));
        List<String> braf = findings.brafV600eEvidence();
        return new RasAssessment(
                status,
                VerdictCombiner.reasons(status, verdicts),
                verdicts,
                found,
                krasG12c,
                !braf.isEmpty(),
                braf,
                items);
    }

    private static void classify(
            Node node,
            EvidenceGraph graph,
            VariantClassifier variants,
            TherapeuticImplicationClassifier implications,
            SingleGeneTestClassifier singleGeneTests,
            NegativeCoverage negatives,
            Findings findings,
            List<Node> regionsStudied) {
        Observation observation = node.observation;
        if (VariantReader.isVariant(observation)) {
            variants.classify(node, negatives, findings);
        } else if (TherapeuticImplicationClassifier.isTherapeuticImplication(observation)) {
            implications.classify(node, findings);
        } else if (RegionStudiedClassifier.isRegionStudied(observation)) {
            regionsStudied.add(node);
        } else if (isOverallInterpretation(node)) {
            overallInterpretation(node, findings);
        } else if (singleGeneTests.applies(observation)) {
            singleGeneTests.classify(node, negatives, findings);
        } else if (observation.hasHasMember() && observation.hasValue()) {
            overallInterpretation(node, findings);
        }
    }

    /**
     * A copy-number result (82155-3) on a RAS gene other than two copies: an amplification or a loss the RAS
     * rules do not read, so that gene cannot be wild-type (an outside attack's KRAS copy number 18 beside two
     * negatives was wild-type). Two copies, or no number, say nothing.
     */
    private static void copyNumber(Node node, VariantReader reader, Findings findings) {
        org.hl7.fhir.r4.model.Type value = node.observation.getValue();
        java.math.BigDecimal copies = value instanceof org.hl7.fhir.r4.model.Quantity quantity && quantity.hasValue()
                ? quantity.getValue()
                : value instanceof org.hl7.fhir.r4.model.IntegerType integer && integer.hasValue()
                        ? java.math.BigDecimal.valueOf(integer.getValue())
                        : null;
        if (copies == null || copies.compareTo(java.math.BigDecimal.valueOf(2)) == 0) {
            return;
        }
        for (Gene gene : reader.read(node).genes().keySet()) {
            findings.add(
                    node, gene, EvidenceCall.INDETERMINATE, "copy number " + copies.toPlainString() + " (not two)");
        }
    }

    /**
     * A GR overall interpretation, or a panel (grouper) that carries a value of its own, read as inconclusive
     * or failed (its answer's words, or a dataAbsentReason; an outside attack's grouper valued Indeterminate
     * over two negatives):
     * the test as a whole gave no usable answer, so it is indeterminate for KRAS and NRAS (an outside attack:
     * "Failure" and "Inconclusive" beside two gene-level negatives used to leave them standing). A positive
     * or negative overall answer says nothing about which gene, and is left to the results (a positive one
     * that no other result of its report accounts for: {@link #positiveConclusionWithoutAPositiveResult}).
     */
    private static void overallInterpretation(Node node, Findings findings) {
        Observation observation = node.observation;
        boolean noAnswer = observation.hasDataAbsentReason()
                || TextSignals.meanings(Fhir.valueText(observation.getValue()))
                        .contains(RasVocabulary.Meaning.INDETERMINATE);
        if (noAnswer) {
            for (Gene gene : Gene.values()) {
                findings.add(node, gene, EvidenceCall.INDETERMINATE, "overall interpretation inconclusive or failed");
            }
        }
    }

    /**
     * A report with results whose {@code conclusionCode} (or overall interpretation, 51968-6) is positive
     * (ValueSet ras-result-positive, or the word), while none of its other results (members of its panels
     * included), of any gene, reads positive: the
     * report found something its results do not show, which may be a RAS mutation, so neither gene can be
     * wild-type on the strength of those results (an outside attack's "Positive" report over a KRAS and an
     * NRAS Absent was wild-type). A positive result of another gene (BRAF V600E, TP53) accounts for the
     * conclusion and leaves the RAS negatives standing, and so do the report's own words where they say
     * this gene is negative over its whole hotspot range and nothing else about it ("MSI-H. KRAS and NRAS
     * wild-type": the positive is the other biomarker; a helper's MSI-high, TMB-high and ERBB2 reports each
     * read unknown). A conclusionCode read inconclusive or failed makes both genes indeterminate, as an
     * overall interpretation so valued does.
     */
    private static void positiveConclusionWithoutAPositiveResult(
            DiagnosticReport report,
            String reference,
            EvidenceGraph graph,
            ResultReader results,
            NarrativeReportReader narratives,
            Findings findings) {
        List<Node> listed = graph.resultsOf(report);
        EvidenceGraph.Usability usability = EvidenceGraph.usabilityOf(report);
        if (listed.isEmpty()
                || usability == EvidenceGraph.Usability.DROPPED
                || usability == EvidenceGraph.Usability.PENDING) {
            return;
        }
        List<ResultReader.Reading> conclusions = report.getConclusionCode().stream()
                .map(concept -> results.read(concept, List.of(), false, coding -> Optional.empty()))
                .toList();
        Node node = NarrativeReportReader.nodeFor(report, reference, usability);
        if (conclusions.contains(ResultReader.Reading.INDETERMINATE)
                || conclusions.contains(ResultReader.Reading.CONFLICT)) {
            // "Inconclusive" or "Failed" as the report's own conclusion: its negatives are no answer.
            for (Gene gene : Gene.values()) {
                findings.add(node, gene, EvidenceCall.INDETERMINATE, "report concluded inconclusive or failed");
            }
            return;
        }
        // The report's overall interpretation Observation (51968-6) says the same as a conclusionCode.
        boolean concludedPositive = conclusions.contains(ResultReader.Reading.POSITIVE)
                || listed.stream()
                        .filter(RasStatusEngine::isOverallInterpretation)
                        .anyMatch(overall -> readsPositive(overall.observation, results));
        boolean aResultIsPositive = listed.stream()
                .filter(result -> !isOverallInterpretation(result))
                .anyMatch(result -> readsPositive(result.observation, results));
        if (!concludedPositive || aResultIsPositive) {
            return;
        }
        Set<Gene> saidNegative = narratives.genesSaidNegative(report);
        for (Gene gene : Gene.values()) {
            if (!saidNegative.contains(gene)) {
                findings.add(
                        node, gene, EvidenceCall.INDETERMINATE, "report concluded positive; none of its results is");
            }
        }
    }

    private static boolean isOverallInterpretation(Node node) {
        return Fhir.hasLoinc(node.observation.getCode(), GenomicsCodes.OVERALL_INTERPRETATION);
    }

    /** Its value, interpretation or a component's value reads positive or conflicting (Present counts). */
    private static boolean readsPositive(Observation observation, ResultReader results) {
        return positiveOrConflicting(observation.getValue(), observation.getInterpretation(), results)
                || observation.getComponent().stream()
                        .anyMatch(component ->
                                positiveOrConflicting(component.getValue(), component.getInterpretation(), results));
    }

    private static boolean positiveOrConflicting(
            org.hl7.fhir.r4.model.Type value,
            List<org.hl7.fhir.r4.model.CodeableConcept> interpretations,
            ResultReader results) {
        ResultReader.Reading reading = results.read(value, interpretations, false, VariantClassifier::presentOrAbsent);
        return reading == ResultReader.Reading.POSITIVE || reading == ResultReader.Reading.CONFLICT;
    }

    /**
     * A result whose reading threw could be about either RAS gene: it is left out as a reading and
     * counted as an unreadable (indeterminate) result for both, so the status is never wild-type
     * on the strength of the rest.
     */
    private static void unreadable(Node node, Findings findings) {
        for (Gene gene : Gene.values()) {
            findings.add(node, gene, EvidenceCall.INDETERMINATE, "result could not be read");
        }
    }

    /** G12C is flagged from final results only: it opens the G12C-inhibitor combinations. */
    private static boolean isFinal(List<EvidenceItem> items, String reference) {
        return items.stream().anyMatch(item -> item.reference().equals(reference) && !item.preliminary());
    }
}
