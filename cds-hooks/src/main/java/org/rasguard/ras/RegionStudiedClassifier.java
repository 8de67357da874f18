package org.rasguard.ras;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Observation;
import org.rasguard.ras.EvidenceGraph.Node;

/**
 * Infers a negative from a STU2 / mCODE RegionStudied (LOINC 53041-0) that lists a RAS gene, when
 * {@link RasPolicy#inferNegativesFromRegionsStudied()} allows it (genomics.md §6.1 row 12): the
 * listing must be final, belong to a report, and the same report must hold no present variant of
 * that gene. A gene in the uncallable regions gets nothing. With the policy off, region listings
 * add no evidence at all.
 */
final class RegionStudiedClassifier {

    /** The STU2 uncallable-regions component is recognised by its name: its code is not verified here. */
    private static final String UNCALLABLE_REGIONS_TEXT = "uncallable";
    /** GR region-coverage, by its name (genomics.md §4: a region-studied component; no LOINC code confirmed). */
    private static final String REGION_COVERAGE = "region coverage";

    private final GeneResolver genes;

    RegionStudiedClassifier(GeneResolver genes) {
        this.genes = genes;
    }

    static boolean isRegionStudied(Observation observation) {
        return Fhir.hasLoinc(observation.getCode(), GenomicsCodes.REGION_STUDIED);
    }

    /**
     * @param earlier what the other classifiers found, to see present variants in the same report
     */
    void classify(
            Node node, EvidenceGraph graph, List<EvidenceItem> earlier, NegativeCoverage negatives, Findings out) {
        if (node.usability != EvidenceGraph.Usability.FINAL || node.reports.isEmpty()) {
            return;
        }
        for (Observation.ObservationComponentComponent component :
                Fhir.components(node.observation, GenomicsCodes.GENE_STUDIED)) {
            if (!(component.getValue() instanceof CodeableConcept concept)) {
                continue;
            }
            for (Map.Entry<Gene, Boolean> entry : genes.genesOf(concept).entrySet()) {
                Gene gene = entry.getKey();
                if (!entry.getValue()
                        && !uncallable(node, gene)
                        && !variantFoundInSameReport(node, graph, gene, earlier)) {
                    NegativeCoverage.Call call = negatives.classify(node, gene, "", false, true);
                    out.add(node, gene, call, call.why() + ", inferred from regions studied (policy)");
                }
            }
        }
    }

    /**
     * What a regions-studied Observation says about scope, read always to limit the negatives of
     * its report: its notes and the words of every component but the gene studied; an uncallable
     * region is written as not covered.
     */
    static List<String> scopeTexts(Observation observation) {
        List<String> texts = new java.util.ArrayList<>();
        texts.add(Fhir.notes(observation));
        // The region's gene heads each statement, so that it is read for that gene only (coordinates name none).
        String regionGenes = String.join(
                " ",
                Fhir.components(observation, GenomicsCodes.GENE_STUDIED).stream()
                        .map(component -> Fhir.valueText(component.getValue()))
                        .toList());
        for (Observation.ObservationComponentComponent component : observation.getComponent()) {
            if (Fhir.hasLoinc(component.getCode(), GenomicsCodes.GENE_STUDIED)) {
                continue;
            }
            if (named(component, REGION_COVERAGE)
                    && component.getValue() instanceof org.hl7.fhir.r4.model.Quantity coverage
                    && coverage.hasValue()
                    && coverage.getValue().compareTo(java.math.BigDecimal.valueOf(100)) < 0) {
                // genomics.md §9: low region-coverage, the gene-level negative is not accepted.
                texts.add(regionGenes + ": low coverage");
                continue;
            }
            String value = Fhir.valueText(component.getValue());
            if (value.isBlank()) {
                continue;
            }
            texts.add(named(component, UNCALLABLE_REGIONS_TEXT) ? regionGenes + ": " + value + " not covered" : value);
        }
        return texts;
    }

    /** A component named by its code's words or by the code itself (GR tbd-codes are often sent without display). */
    private static boolean named(Observation.ObservationComponentComponent component, String name) {
        return Fhir.words(component.getCode()).toLowerCase(Locale.ROOT).contains(name)
                || component.getCode().getCoding().stream()
                        .anyMatch(coding -> coding.getCode() != null
                                && coding.getCode()
                                        .toLowerCase(Locale.ROOT)
                                        .replace('-', ' ')
                                        .contains(name));
    }

    private boolean uncallable(Node node, Gene gene) {
        return node.observation.getComponent().stream()
                .filter(c -> named(c, UNCALLABLE_REGIONS_TEXT))
                .anyMatch(c -> genes.genesNamedIn(Fhir.valueText(c.getValue())).contains(gene)
                        || (c.getValue() instanceof CodeableConcept v
                                && genes.genesOf(v).containsKey(gene)));
    }

    private static boolean variantFoundInSameReport(
            Node node, EvidenceGraph graph, Gene gene, List<EvidenceItem> earlier) {
        for (var report : node.reports) {
            for (Node result : graph.resultsOf(report)) {
                boolean present = earlier.stream()
                        .anyMatch(item -> item.reference().equals(result.reference)
                                && item.gene() == gene
                                && item.call() != EvidenceCall.NEGATIVE
                                && item.call() != EvidenceCall.PARTIAL_NEGATIVE);
                if (present) {
                    return true;
                }
            }
        }
        return false;
    }
}
