package org.rasguard.ras;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Observation;
import org.rasguard.ras.EvidenceGraph.Node;

/**
 * Classifies a therapeutic implication (issue rule Mutated c): resistant, presumed resistant or
 * presumed non-responsive to cetuximab or panitumumab, derived from a KRAS or NRAS variant. Reads
 * the STU3 / STU2 shape (code {@code tbd-codes-cs#therapeutic-implication}, answer in component
 * {@code therapeutic-implication} or {@code predicted-therapeutic-implication}) and the STU1 shape
 * (code LOINC 51961-1, answer in the value), with the drug in component 51963-7.
 */
final class TherapeuticImplicationClassifier {

    /** derivedFrom chains longer than this (implication → consequence → variant) are not followed. */
    private static final int MAX_LINK_DEPTH = 3;

    private final RasVocabulary vocabulary;
    private final GeneResolver genes;
    private final VariantReader variants;

    TherapeuticImplicationClassifier(RasVocabulary vocabulary, GeneResolver genes, VariantReader variants) {
        this.vocabulary = vocabulary;
        this.genes = genes;
        this.variants = variants;
    }

    static boolean isTherapeuticImplication(Observation observation) {
        return Fhir.hasCode(observation.getCode(), GenomicsCodes.TBD_CODES, GenomicsCodes.THERAPEUTIC_IMPLICATION)
                || Fhir.hasLoinc(observation.getCode(), GenomicsCodes.STU1_THERAPEUTIC_IMPLICATION);
    }

    void classify(Node node, Findings out) {
        Observation observation = node.observation;
        if (!isResistant(observation) || !assessesAntiEgfr(observation)) {
            return;
        }
        for (Map.Entry<Gene, Boolean> entry : genesOf(node).entrySet()) {
            if (entry.getValue()) {
                out.add(
                        node,
                        entry.getKey(),
                        EvidenceCall.CONFLICT,
                        "anti-EGFR resistance derived from a variant whose gene code and name disagree");
            } else {
                out.add(
                        node,
                        entry.getKey(),
                        EvidenceCall.MUTATED,
                        "resistance to cetuximab / panitumumab derived from a "
                                + entry.getKey().symbol() + " variant");
            }
        }
    }

    private boolean isResistant(Observation observation) {
        for (Observation.ObservationComponentComponent component : observation.getComponent()) {
            boolean answer =
                    Fhir.hasCode(component.getCode(), GenomicsCodes.TBD_CODES, GenomicsCodes.THERAPEUTIC_IMPLICATION)
                            || Fhir.hasCode(
                                    component.getCode(),
                                    GenomicsCodes.TBD_CODES,
                                    GenomicsCodes.PREDICTED_THERAPEUTIC_IMPLICATION);
            if (answer
                    && component.getValue() instanceof CodeableConcept value
                    && value.getCoding().stream().anyMatch(vocabulary::isResistant)) {
                return true;
            }
        }
        return observation.getValue() instanceof CodeableConcept value
                && value.getCoding().stream().anyMatch(vocabulary::isResistant);
    }

    /** The medication assessed is cetuximab or panitumumab: by code, or by name (ingredient or brand) in its words. */
    private boolean assessesAntiEgfr(Observation observation) {
        for (Observation.ObservationComponentComponent component :
                Fhir.components(observation, GenomicsCodes.MEDICATION_ASSESSED)) {
            if (component.getValue() instanceof CodeableConcept drug) {
                if (drug.getCoding().stream().anyMatch(vocabulary::isAntiEgfr)) {
                    return true;
                }
                String words = Fhir.words(drug);
                if (vocabulary.antiEgfrNames().stream().anyMatch(name -> TextSignals.containsWord(words, name))) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The RAS genes of the variants the implication is derived from (derivedFrom either way, a few
     * links deep, cycles guarded), else the genes it names itself.
     */
    /** A v2 split panel ({@link SplitPanelReader}) names its gene in a 48018-6 member. */
    private void splitPanelGenes(Node panel, Map<Gene, Boolean> found) {
        for (Node member : panel.members) {
            if (Fhir.hasLoinc(member.observation.getCode(), GenomicsCodes.GENE_STUDIED)
                    && member.observation.getValue() instanceof CodeableConcept concept) {
                genes.genesOf(concept).forEach((g, conflicted) -> found.merge(g, conflicted, Boolean::logicalOr));
            }
        }
    }

    private Map<Gene, Boolean> genesOf(Node implication) {
        Map<Gene, Boolean> found = new EnumMap<>(Gene.class);
        Set<Node> visited = new LinkedHashSet<>();
        Deque<Node> queue = new ArrayDeque<>();
        queue.add(implication);
        visited.add(implication);
        for (int depth = 0; depth < MAX_LINK_DEPTH && !queue.isEmpty(); depth++) {
            Deque<Node> next = new ArrayDeque<>();
            for (Node node : queue) {
                for (Node linked : node.derivedLinks) {
                    if (!visited.add(linked) || linked.usability == EvidenceGraph.Usability.DROPPED) {
                        continue;
                    }
                    if (VariantReader.isVariant(linked.observation)) {
                        variants.read(linked)
                                .genes()
                                .forEach((g, conflicted) -> found.merge(g, conflicted, Boolean::logicalOr));
                    } else {
                        splitPanelGenes(linked, found);
                        next.add(linked);
                    }
                }
            }
            queue = next;
        }
        if (found.isEmpty()) {
            for (Observation.ObservationComponentComponent gene :
                    Fhir.components(implication.observation, GenomicsCodes.GENE_STUDIED)) {
                if (gene.getValue() instanceof CodeableConcept concept) {
                    genes.genesOf(concept).forEach((g, conflicted) -> found.merge(g, conflicted, Boolean::logicalOr));
                }
            }
        }
        return found;
    }
}
