package org.rasguard.ras;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Type;
import org.rasguard.ras.EvidenceGraph.Node;

/**
 * Reads a Genomics Reporting Variant (LOINC 69548-6), in its STU1, STU2 (mCODE) and STU3 shapes and
 * the legacy R4 observation-genetics extensions: which RAS genes it is about, and which changes it
 * names. The protein change may sit only on a MolecularConsequence derived from the variant (GR
 * 3.0.0), so derivedFrom neighbours are read too.
 */
final class VariantReader {

    /** What a Variant names. */
    /**
     * @param unplaced no RAS gene found and no other gene recognised ({@link GeneResolver#namesSomeGene}):
     *     nothing says which gene the variant is on
     */
    record Variant(
            Map<Gene, Boolean> genes,
            boolean braf,
            Map<String, Optional<HgvsChange>> changes,
            boolean variantDefining,
            boolean unplaced) {

        List<HgvsChange> parsed() {
            return changes.values().stream().flatMap(Optional::stream).toList();
        }
    }

    private final GeneResolver genes;

    VariantReader(GeneResolver genes) {
        this.genes = genes;
    }

    /** A GR Variant, or a legacy R4 observation-genetics result that names its gene in the extension. */
    static boolean isVariant(Observation observation) {
        return Fhir.hasLoinc(observation.getCode(), GenomicsCodes.VARIANT)
                || observation.hasExtension(GenomicsCodes.GENETICS_GENE_EXTENSION);
    }

    static boolean isMolecularConsequence(Observation observation) {
        return Fhir.hasCode(observation.getCode(), GenomicsCodes.TBD_CODES, "molecular-consequence");
    }

    Variant read(Node node) {
        Observation observation = node.observation;
        Map<Gene, Boolean> found = new EnumMap<>(Gene.class);
        boolean braf = false;
        boolean someGeneNamed = false;
        for (Observation.ObservationComponentComponent gene :
                Fhir.components(observation, GenomicsCodes.GENE_STUDIED)) {
            someGeneNamed |= genes.namesSomeGene(gene.getValue());
            if (gene.getValue() instanceof CodeableConcept concept) {
                genes.genesOf(concept).forEach((g, conflicted) -> found.merge(g, conflicted, Boolean::logicalOr));
                braf |= genes.namesBraf(concept);
            } else if (gene.getValue() instanceof org.hl7.fhir.r4.model.StringType symbol) {
                // v2-to-FHIR converters often send the gene studied as a plain string.
                genes.genesNamedIn(symbol.getValue()).forEach(g -> found.merge(g, false, Boolean::logicalOr));
            }
        }
        for (Extension extension : observation.getExtensionsByUrl(GenomicsCodes.GENETICS_GENE_EXTENSION)) {
            someGeneNamed |= genes.namesSomeGene(extension.getValue());
            if (extension.getValue() instanceof CodeableConcept concept) {
                genes.genesOf(concept).forEach((g, conflicted) -> found.merge(g, conflicted, Boolean::logicalOr));
                braf |= genes.namesBraf(concept);
            }
        }
        Map<String, Optional<HgvsChange>> changes = new LinkedHashMap<>();
        boolean defining = observation.getComponent().stream()
                .anyMatch(c -> Fhir.hasLoincIn(c.getCode(), GenomicsCodes.VARIANT_DEFINING_COMPONENTS));
        addChanges(observation, changes);
        for (Node linked : node.derivedLinks) {
            if (isMolecularConsequence(linked.observation)) {
                addChanges(linked.observation, changes);
            }
        }
        for (Extension extension : legacyChangeExtensions(observation)) {
            defining = true;
            addExpression(extension.getValue(), changes);
        }
        if (found.isEmpty()) {
            for (String text : changes.keySet()) {
                genes.genesNamedIn(text).forEach(g -> found.merge(g, false, Boolean::logicalOr));
            }
        }
        if (found.isEmpty() && !someGeneNamed) {
            placeByOtherMeans(observation, changes, found);
            someGeneNamed = found.isEmpty() && namesAnotherGeneInWords(observation);
        }
        markAccessionConflicts(found, changes);
        boolean unplaced = found.isEmpty() && !braf && !someGeneNamed;
        return new Variant(found, braf, changes, defining, unplaced);
    }

    /** The code's text or an HGVS component's words name a gene that is not RAS ("TP53 variant"). */
    private boolean namesAnotherGeneInWords(Observation observation) {
        if (genes.textNamesAnotherGene(Fhir.words(observation.getCode()))) {
            return true;
        }
        return observation.getComponent().stream()
                .filter(component -> Fhir.hasLoincIn(component.getCode(), GenomicsCodes.HGVS_COMPONENTS))
                .anyMatch(component -> genes.textNamesAnotherGene(
                        component.getValue() instanceof CodeableConcept concept
                                ? Fhir.words(concept)
                                : component.getValue() == null
                                        ? null
                                        : component.getValue().primitiveValue()));
    }

    /**
     * No gene-studied value: the gene from what else the Variant says, as a reader would place it (an outside
     * attack's shapes): the reference sequence of a change or of the transcript component (51958-7), the
     * words of the code and of the variation-code components ("NRAS variant", "NRAS Q61R").
     */
    private void placeByOtherMeans(
            Observation observation, Map<String, Optional<HgvsChange>> changes, Map<Gene, Boolean> found) {
        for (Optional<HgvsChange> change : changes.values()) {
            change.flatMap(c -> RasHotspots.geneOfAccession(c.accession()))
                    .ifPresent(g -> found.merge(g, false, Boolean::logicalOr));
        }
        for (Observation.ObservationComponentComponent transcript :
                Fhir.components(observation, GenomicsCodes.TRANSCRIPT_REFERENCE)) {
            if (transcript.getValue() instanceof CodeableConcept concept) {
                concept.getCoding()
                        .forEach(coding -> RasHotspots.geneOfAccession(coding.getCode())
                                .ifPresent(g -> found.merge(g, false, Boolean::logicalOr)));
            }
        }
        if (!found.isEmpty()) {
            return;
        }
        genes.genesNamedIn(Fhir.words(observation.getCode())).forEach(g -> found.merge(g, false, Boolean::logicalOr));
        for (Observation.ObservationComponentComponent component : observation.getComponent()) {
            if (Fhir.hasLoincIn(component.getCode(), GenomicsCodes.HGVS_COMPONENTS)) {
                String words = component.getValue() instanceof CodeableConcept concept
                        ? Fhir.words(concept)
                        : component.getValue() instanceof org.hl7.fhir.r4.model.StringType text
                                ? text.getValue()
                                : null;
                genes.genesNamedIn(words).forEach(g -> found.merge(g, false, Boolean::logicalOr));
            }
        }
    }

    /**
     * A change whose reference sequence belongs to one RAS gene confirms that gene; when the
     * variant also names another RAS gene, every gene involved is conflicted.
     */
    private static void markAccessionConflicts(Map<Gene, Boolean> found, Map<String, Optional<HgvsChange>> changes) {
        for (Optional<HgvsChange> change : changes.values()) {
            Optional<Gene> byAccession = change.flatMap(c -> RasHotspots.geneOfAccession(c.accession()));
            if (byAccession.isEmpty()) {
                continue;
            }
            Gene gene = byAccession.get();
            if (found.isEmpty() || found.keySet().equals(Set.of(gene))) {
                found.merge(gene, false, Boolean::logicalOr);
            } else {
                found.replaceAll((g, conflicted) -> true);
                found.put(gene, true);
            }
        }
    }

    private static void addChanges(Observation observation, Map<String, Optional<HgvsChange>> changes) {
        for (Observation.ObservationComponentComponent component : observation.getComponent()) {
            boolean hgvs = Fhir.hasLoincIn(component.getCode(), GenomicsCodes.HGVS_COMPONENTS);
            if (hgvs) {
                addExpression(component.getValue(), changes);
            }
        }
    }

    /**
     * Adds the first string of a value that parses as one change (code, then display, then text),
     * else every change named in its text, else the unparsed text.
     */
    private static void addExpression(Type value, Map<String, Optional<HgvsChange>> changes) {
        List<String> candidates = new ArrayList<>();
        if (value instanceof CodeableConcept concept) {
            candidates.addAll(Fhir.expressions(concept));
        } else {
            String text = Fhir.valueText(value);
            if (!text.isBlank()) {
                candidates.add(text.trim());
            }
        }
        for (String candidate : candidates) {
            Optional<HgvsChange> change = Hgvs.parse(candidate);
            if (change.isPresent()) {
                changes.put(candidate, change);
                return;
            }
        }
        for (String candidate : candidates) {
            List<HgvsChange> named = Hgvs.findAll(candidate);
            if (!named.isEmpty()) {
                named.forEach(change -> changes.put(change.text(), Optional.of(change)));
                return;
            }
        }
        candidates.stream().findFirst().ifPresent(text -> changes.put(text, Optional.empty()));
    }

    /** observation-geneticsAminoAcidChange / -Variant (complex, with a Name) and the STU3-era *Name extensions. */
    private static List<Extension> legacyChangeExtensions(Observation observation) {
        List<Extension> out = new ArrayList<>();
        for (Extension extension : observation.getExtension()) {
            String url = extension.getUrl();
            if (url == null || !url.startsWith(GenomicsCodes.GENETICS_EXTENSION_PREFIX)) {
                continue;
            }
            String kind = url.substring(GenomicsCodes.GENETICS_EXTENSION_PREFIX.length());
            if (kind.equals("AminoAcidChangeName") || kind.equals("DNASequenceVariantName")) {
                out.add(extension);
            } else if (kind.equals("AminoAcidChange") || kind.equals("Variant")) {
                out.addAll(extension.getExtensionsByUrl("Name"));
            }
        }
        return out;
    }
}
