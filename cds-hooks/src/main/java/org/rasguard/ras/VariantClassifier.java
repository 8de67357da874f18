package org.rasguard.ras;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Observation;
import org.rasguard.ras.EvidenceGraph.Node;
import org.rasguard.ras.RasVocabulary.Meaning;
import org.rasguard.ras.RasVocabulary.Significance;
import org.rasguard.ras.ResultReader.Reading;
import org.rasguard.ras.VariantReader.Variant;

/**
 * Classifies a Genomics Reporting Variant for each RAS gene it names (issue rules Mutated a, b, e;
 * Negative a; Indeterminate; No effect). Also notes BRAF V600E beside RAS status.
 */
final class VariantClassifier {

    /** BRAF V600E as a coding change (NM_004333 numbering): c.1799T&gt;A. */
    private static final String BRAF_V600E_CODING = "1799T>A";

    private final RasVocabulary vocabulary;
    private final RasPolicy policy;
    private final VariantReader reader;
    private final ResultReader results;
    private final SynonymousCodingChange synonymous;

    VariantClassifier(RasVocabulary vocabulary, RasPolicy policy, VariantReader reader, ResultReader results) {
        this.vocabulary = vocabulary;
        this.policy = policy;
        this.reader = reader;
        this.results = results;
        this.synonymous = new SynonymousCodingChange(vocabulary);
    }

    void classify(Node node, NegativeCoverage negatives, Findings out) {
        Observation observation = node.observation;
        Variant variant = reader.read(node);
        Reading reading = results.read(
                observation.getValue(),
                observation.getInterpretation(),
                observation.hasDataAbsentReason(),
                VariantClassifier::presentOrAbsent);
        if (reading == Reading.NONE) {
            reading = !observation.hasValue() && variant.variantDefining() ? Reading.POSITIVE : Reading.INDETERMINATE;
        }
        if (variant.braf() && reading == Reading.POSITIVE && isBrafV600e(variant.parsed())) {
            out.brafV600e(node);
        }
        if (variant.unplaced() && reading != Reading.NEGATIVE && !memberOfSplitPanel(node)) {
            // Nothing says which gene it is on: it may be a RAS mutation (fail safe; an outside attack's
            // COSMIC-only, g.-only, Ensembl-coded and "Ki-ras2" variants were ignored and wild-type stood).
            for (Gene gene : Gene.values()) {
                out.add(node, gene, EvidenceCall.INDETERMINATE, "variant whose gene the reader cannot place");
            }
            return;
        }
        for (Map.Entry<Gene, Boolean> entry : variant.genes().entrySet()) {
            Gene gene = entry.getKey();
            boolean conflicted = entry.getValue();
            switch (reading) {
                case POSITIVE -> present(node, gene, conflicted, variant, out);
                case NEGATIVE -> absent(node, gene, conflicted, variant, negatives, out);
                case CONFLICT ->
                    out.add(
                            node,
                            gene,
                            EvidenceCall.CONFLICT,
                            "variant value contradicts its interpretation or display");
                default -> out.add(node, gene, EvidenceCall.INDETERMINATE, "variant could not be called");
            }
        }
    }

    /** A sample variant allelic frequency component (81258-6, genomics.md §4) above zero. */
    private static boolean measuresAnAllele(Observation observation) {
        return Fhir.components(observation, GenomicsCodes.ALLELIC_FREQUENCY).stream()
                .anyMatch(component -> component.getValue() instanceof org.hl7.fhir.r4.model.Quantity quantity
                        && quantity.hasValue()
                        && quantity.getValue().signum() > 0);
    }

    /**
     * A plain call of a v2-style panel that has a gene member: {@link SplitPanelReader} reads it with the
     * panel's gene.
     */
    private static boolean memberOfSplitPanel(Node node) {
        return !node.observation.hasComponent()
                && node.groups.stream()
                        .anyMatch(group -> group.members.stream()
                                .anyMatch(member ->
                                        Fhir.hasLoinc(member.observation.getCode(), GenomicsCodes.GENE_STUDIED)));
    }

    /** The Variant's own answers (LL1971-2, required binding): Present and Absent. */
    static Optional<Meaning> presentOrAbsent(Coding coding) {
        if (!GenomicsCodes.LOINC.equals(coding.getSystem())) {
            return Optional.empty();
        }
        return switch (String.valueOf(coding.getCode())) {
            case GenomicsCodes.PRESENT -> Optional.of(Meaning.POSITIVE);
            case GenomicsCodes.ABSENT -> Optional.of(Meaning.NEGATIVE);
            default -> Optional.empty();
        };
    }

    private void present(Node node, Gene gene, boolean conflicted, Variant variant, Findings out) {
        if (conflicted) {
            out.add(node, gene, EvidenceCall.CONFLICT, "present variant whose gene code and name disagree");
            return;
        }
        // A coding substitution that keeps the hotspot's amino acid (from the confirmed reference codon) is synonymous.
        List<HgvsChange> changes = variant.parsed().stream()
                .map(change -> synonymous.refine(gene, change))
                .toList();
        Set<Significance> significance = significance(node);
        EvidenceCall call;
        String detail;
        List<HgvsChange> protein = changes.stream()
                .filter(c -> c.level() == HgvsChange.Level.PROTEIN)
                .toList();
        boolean proteinSilent = !protein.isEmpty() && protein.stream().noneMatch(HgvsChange::changesProtein);
        Optional<HgvsChange> hotspot =
                changes.stream().filter(HgvsChange::hitsHotspot).findFirst();
        if (hotspot.isPresent() && !proteinSilent) {
            call = EvidenceCall.MUTATED;
            detail = "present variant " + hotspot.get().text() + " at hotspot "
                    + hotspot.get().location();
        } else if (significance.contains(Significance.PATHOGENIC)) {
            call = EvidenceCall.MUTATED;
            detail = "present variant classified pathogenic or likely pathogenic";
        } else if (variant.changes().isEmpty()) {
            call = EvidenceCall.MUTATED;
            detail = "present variant without HGVS (fail safe)";
        } else if (changes.isEmpty()) {
            call = EvidenceCall.MUTATED;
            detail = "present variant whose change cannot be read (fail safe): "
                    + String.join(", ", variant.changes().keySet());
        } else if (changes.stream().noneMatch(HgvsChange::positionMapped)) {
            call = EvidenceCall.MUTATED;
            detail = "present variant, position unmapped (fail safe): "
                    + changes.get(0).text();
        } else if (proteinSilent || changes.stream().noneMatch(HgvsChange::changesProtein)) {
            call = EvidenceCall.NO_EFFECT;
            detail = "synonymous change";
        } else if (significance.contains(Significance.BENIGN) && !significance.contains(Significance.UNCERTAIN)) {
            call = EvidenceCall.NO_EFFECT;
            detail = "benign or likely benign change away from the hotspots";
        } else {
            call = EvidenceCall.VUS;
            detail = significance.contains(Significance.UNCERTAIN)
                    ? "variant of uncertain significance"
                    : "unclassified change away from the hotspots";
        }
        out.add(node, gene, call, detail);
        variant.changes().forEach((text, change) -> out.variant(node, gene, change.orElse(null), text, call));
    }

    private void absent(
            Node node, Gene gene, boolean conflicted, Variant variant, NegativeCoverage negatives, Findings out) {
        if (variant.variantDefining()) {
            String which = variant.changes().isEmpty()
                    ? "a specific variant"
                    : String.join(", ", variant.changes().keySet());
            out.add(node, gene, EvidenceCall.PARTIAL_NEGATIVE, "absent variant rules out " + which + " only");
            return;
        }
        if (conflicted) {
            out.add(node, gene, EvidenceCall.CONFLICT, "gene-level negative whose gene code and name disagree");
            return;
        }
        Observation observation = node.observation;
        if (measuresAnAllele(observation)) {
            // Nothing absent has an allele fraction: value and measurement disagree (an outside attack's
            // Absent with a 3 % VAF was a negative).
            out.add(node, gene, EvidenceCall.CONFLICT, "absent variant with an allele fraction above zero");
            return;
        }
        String coverageText = String.join(
                " | ",
                Fhir.notes(observation),
                observation.getCode().getText() == null
                        ? ""
                        : observation.getCode().getText());
        // A negative assembled from a v2 split is a test result without a stated scope, not a GR
        // pertinent negative: its unknown scope is not extended (the single-gene default).
        boolean extendedByDefault = node.assembledFromSplitPanel
                ? policy.singleGeneNegativeWithoutCoverageIsExtended()
                : policy.geneLevelAbsentWithoutMethodIsExtended();
        NegativeCoverage.Call call = negatives.classify(
                node, gene, coverageText + " | " + negatives.testedForNearby(node, gene), false, extendedByDefault);
        out.add(node, gene, call, "gene-level " + call.why());
    }

    /** Significance from the variant's own 53037-8 component and from diagnostic implications linked by derivedFrom. */
    private Set<Significance> significance(Node node) {
        Set<Significance> out = EnumSet.noneOf(Significance.class);
        addSignificance(node.observation, out);
        for (Node linked : node.derivedLinks) {
            Observation other = linked.observation;
            boolean implication =
                    Fhir.hasCode(other.getCode(), GenomicsCodes.TBD_CODES, GenomicsCodes.DIAGNOSTIC_IMPLICATION)
                            || Fhir.hasLoinc(other.getCode(), GenomicsCodes.CLINICAL_SIGNIFICANCE);
            if (implication && linked.usability != EvidenceGraph.Usability.DROPPED) {
                addSignificance(other, out);
                if (Fhir.hasLoinc(other.getCode(), GenomicsCodes.CLINICAL_SIGNIFICANCE)
                        && other.getValue() instanceof CodeableConcept value) {
                    value.getCoding().forEach(c -> vocabulary.significanceOf(c).ifPresent(out::add));
                }
            }
        }
        return out;
    }

    private void addSignificance(Observation observation, Set<Significance> out) {
        for (Observation.ObservationComponentComponent component :
                Fhir.components(observation, GenomicsCodes.CLINICAL_SIGNIFICANCE)) {
            if (component.getValue() instanceof CodeableConcept value) {
                value.getCoding().forEach(c -> vocabulary.significanceOf(c).ifPresent(out::add));
            }
        }
    }

    private static boolean isBrafV600e(List<HgvsChange> changes) {
        return changes.stream()
                .anyMatch(c -> c.isProteinChange(600, "E")
                        || (c.level() == HgvsChange.Level.CODING && BRAF_V600E_CODING.equals(c.codingChange())));
    }
}
