package org.rasguard.ras;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Type;
import org.rasguard.ras.EvidenceGraph.Node;
import org.rasguard.ras.ResultReader.Reading;

/**
 * Classifies single-gene and KRAS+NRAS test results (issue rules Mutated d, Negative b, Partial
 * negative): a RAS test code from the knowledge package, or a code whose words name KRAS or NRAS,
 * at the Observation or on a component (HL7 v2-derived results put several tests on one
 * Observation). Tested-for results are coverage, never a result.
 */
final class SingleGeneTestClassifier {

    /** One result slot: the Observation itself or one of its components. */
    private record Slot(CodeableConcept code, Type value, List<CodeableConcept> interpretation, boolean dataAbsent) {}

    private final RasVocabulary vocabulary;
    private final RasPolicy policy;
    private final GeneResolver genes;
    private final ResultReader results;

    SingleGeneTestClassifier(RasVocabulary vocabulary, RasPolicy policy, GeneResolver genes, ResultReader results) {
        this.vocabulary = vocabulary;
        this.policy = policy;
        this.genes = genes;
        this.results = results;
    }

    void classify(Node node, NegativeCoverage negatives, Findings out) {
        Observation observation = node.observation;
        List<Slot> slots = new ArrayList<>();
        boolean carriesResult =
                observation.hasValue() || observation.hasInterpretation() || observation.hasDataAbsentReason();
        if (carriesResult || (!observation.hasComponent() && !observation.hasHasMember())) {
            slots.add(new Slot(
                    observation.getCode(),
                    observation.getValue(),
                    observation.getInterpretation(),
                    observation.hasDataAbsentReason()));
        }
        for (Observation.ObservationComponentComponent component : observation.getComponent()) {
            if (!testedGenes(component.getCode()).isEmpty() && !isTestedFor(component.getCode())) {
                slots.add(new Slot(
                        component.getCode(),
                        component.getValue(),
                        component.getInterpretation(),
                        component.hasDataAbsentReason()));
            }
        }
        for (Slot slot : slots) {
            Set<Gene> tested = testedGenes(slot.code());
            if (tested.isEmpty() && slot.code() == observation.getCode()) {
                continue;
            }
            classifySlot(node, slot, tested, negatives, out);
        }
    }

    /** True when this Observation is a RAS test result (and not only coverage). */
    boolean applies(Observation observation) {
        if (isTestedFor(observation.getCode())) {
            return false;
        }
        return !testedGenes(observation.getCode()).isEmpty()
                || observation.getComponent().stream()
                        .anyMatch(c -> !testedGenes(c.getCode()).isEmpty() && !isTestedFor(c.getCode()));
    }

    private void classifySlot(Node node, Slot slot, Set<Gene> tested, NegativeCoverage negatives, Findings out) {
        String valueText = Fhir.valueText(slot.value());
        List<HgvsChange> named = changesIn(slot.value());
        Reading reading =
                results.read(slot.value(), slot.interpretation(), slot.dataAbsent(), coding -> Optional.empty());
        if (reading == Reading.NONE && !named.isEmpty()) {
            reading = named.stream().anyMatch(HgvsChange::changesProtein) ? Reading.POSITIVE : Reading.NONE;
            if (reading == Reading.NONE) {
                for (Gene gene : tested) {
                    out.add(
                            node,
                            gene,
                            EvidenceCall.NO_EFFECT,
                            "synonymous change " + named.get(0).text());
                }
                return;
            }
        }
        boolean conflicted = codeContradictsItsWords(slot.code());
        for (Gene gene : mutatedGenes(tested, named, valueText, reading)) {
            if (conflicted) {
                out.add(node, gene, EvidenceCall.CONFLICT, "test code and its name point to different genes");
                continue;
            }
            switch (reading) {
                case POSITIVE -> positive(node, gene, named, valueText, out);
                case NEGATIVE -> negative(node, gene, slot, negatives, out);
                case CONFLICT ->
                    out.add(
                            node,
                            gene,
                            EvidenceCall.CONFLICT,
                            "result value contradicts its display or interpretation");
                default ->
                    out.add(
                            node,
                            gene,
                            EvidenceCall.INDETERMINATE,
                            valueText.isBlank()
                                    ? "no usable result"
                                    : "result not recognised as positive or negative: " + valueText);
            }
        }
    }

    /**
     * A mutation found by a KRAS+NRAS test belongs to the gene its identifier names (accession or
     * symbol); when it names none, to both, as either makes RAS mutated.
     */
    private Set<Gene> mutatedGenes(Set<Gene> tested, List<HgvsChange> named, String valueText, Reading reading) {
        if (reading != Reading.POSITIVE || tested.size() < 2) {
            return tested;
        }
        Set<Gene> identified = EnumSet.noneOf(Gene.class);
        named.forEach(change -> RasHotspots.geneOfAccession(change.accession()).ifPresent(identified::add));
        identified.addAll(genes.genesNamedIn(valueText));
        identified.retainAll(tested);
        return identified.isEmpty() ? tested : identified;
    }

    private void positive(Node node, Gene gene, List<HgvsChange> named, String valueText, Findings out) {
        Optional<HgvsChange> hotspot =
                named.stream().filter(HgvsChange::hitsHotspot).findFirst();
        String detail = hotspot.map(c -> "mutation " + c.text() + " at " + c.location())
                .orElse(
                        named.isEmpty()
                                ? "mutation detected"
                                : "mutation " + named.get(0).text());
        out.add(node, gene, EvidenceCall.MUTATED, detail);
        for (HgvsChange change : named) {
            Optional<Gene> ofAccession = RasHotspots.geneOfAccession(change.accession());
            if (ofAccession.isEmpty() || ofAccession.get() == gene) {
                out.variant(node, gene, change, change.text(), EvidenceCall.MUTATED);
            }
        }
    }

    private void negative(Node node, Gene gene, Slot slot, NegativeCoverage negatives, Findings out) {
        boolean fullGene = slot.code().getCoding().stream().anyMatch(vocabulary::isFullGeneTest);
        NegativeCoverage.Call call = negatives.classify(
                node,
                gene,
                coverageText(node, slot, gene, negatives),
                fullGene,
                policy.singleGeneNegativeWithoutCoverageIsExtended());
        out.add(node, gene, call, call.why());
    }

    /**
     * The words that may state coverage: the result and its code, notes, and the tested-for lists
     * on the Observation, in its group (hasMember either way) or in its reports.
     */
    private String coverageText(Node node, Slot slot, Gene gene, NegativeCoverage negatives) {
        List<String> texts = new ArrayList<>();
        texts.add(Fhir.valueText(slot.value()));
        texts.add(slot.code().getText() == null ? "" : slot.code().getText());
        texts.add(Fhir.notes(node.observation));
        texts.add(negatives.testedForNearby(node, gene));
        return String.join(" | ", texts);
    }

    private boolean isTestedFor(CodeableConcept code) {
        return code.getCoding().stream().anyMatch(vocabulary::isTestedFor);
    }

    /** The genes a test code speaks about: from the knowledge package, else the RAS genes its words name. */
    private Set<Gene> testedGenes(CodeableConcept code) {
        Set<Gene> tested = EnumSet.noneOf(Gene.class);
        for (Coding coding : code.getCoding()) {
            tested.addAll(vocabulary.genesTestedBy(coding));
        }
        if (tested.isEmpty()) {
            tested.addAll(genes.genesNamedIn(Fhir.words(code)));
        }
        return tested;
    }

    /** A KRAS-only code whose display or text names NRAS (or a different test whose words name another gene) contradicts itself. */
    private boolean codeContradictsItsWords(CodeableConcept code) {
        Set<Gene> coded = EnumSet.noneOf(Gene.class);
        code.getCoding().forEach(coding -> coded.addAll(vocabulary.genesTestedBy(coding)));
        if (coded.isEmpty()) {
            return false;
        }
        Set<Gene> named = genes.genesNamedIn(Fhir.words(code));
        return !named.isEmpty() && !coded.containsAll(named);
    }

    private static List<HgvsChange> changesIn(Type value) {
        if (value instanceof CodeableConcept concept) {
            List<HgvsChange> out = new ArrayList<>();
            for (String expression : Fhir.expressions(concept)) {
                Hgvs.findAll(expression).stream().filter(c -> !out.contains(c)).forEach(out::add);
            }
            return out;
        }
        List<HgvsChange> asWritten = Hgvs.findAll(Fhir.valueText(value));
        return asWritten.isEmpty() ? Hgvs.findAllAnyCase(Fhir.valueText(value)) : asWritten;
    }
}
