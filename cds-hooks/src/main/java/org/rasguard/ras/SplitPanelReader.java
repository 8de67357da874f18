package org.rasguard.ras;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Type;
import org.rasguard.ras.EvidenceGraph.Node;
import org.rasguard.ras.EvidenceGraph.Usability;
import org.rasguard.ras.ResultReader.Reading;

/**
 * Reads HL7 v2-to-FHIR splits: a panel (LOINC 81247-9 or a local code) whose {@code hasMember}
 * children carry the gene (48018-6 or a local "gene" code), the DNA and amino-acid changes
 * (48004-6, 48005-3, or a value that parses as HGVS), the call (69548-6, or a value that reads
 * as detected / not detected) and details (VAF, transcript …) as separate Observations. In v2 the
 * OBX sub-id tied them into one variant; in FHIR that grouping is lost.
 *
 * <p>One gene (or several genes and no change) with one call, or calls that all agree, is one
 * variant: it is assembled into a Variant with components and classified like one, its negative
 * taking the single-gene default (an unknown scope is not extended). When the grouping is
 * ambiguous (several genes and a change, or calls that disagree) it fails safe: a hotspot change
 * next to a RAS gene with a call that is not negative is a mutation; all calls negative rule out
 * the named changes only; anything else is indeterminate. Ambiguous panels never flag KRAS G12C
 * or BRAF V600E unless the change's own accession names its gene.
 */
final class SplitPanelReader {

    private static final int FLAGS = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
    /** A local code that names the gene member ("Gene studied", "Gene name", "Gene(s)"). */
    private static final Pattern GENE_WORD = Pattern.compile("\\bgenes?\\b|\\bgene\\(s\\)", FLAGS);
    /** A value that looks like a gene symbol (HGNC symbols are upper-case letters, digits and hyphens). */
    private static final Pattern SYMBOL = Pattern.compile("[A-Z][A-Z0-9-]{1,14}");

    private enum Role {
        GENE,
        CHANGE,
        CALL,
        DETAIL,
        OTHER
    }

    private record Member(Node node, Role role) {}

    private final GeneResolver genes;
    private final ResultReader results;

    SplitPanelReader(GeneResolver genes, ResultReader results) {
        this.genes = genes;
        this.results = results;
    }

    /** Classifies a panel node if it is a v2 split; other nodes are left alone. */
    void classify(Node panel, VariantClassifier variants, NegativeCoverage negatives, Findings out) {
        if (isWholeVariant(panel.observation) || panel.members.isEmpty()) {
            return;
        }
        List<Member> members = new ArrayList<>();
        for (Node member : panel.members) {
            if (member.usability == Usability.DROPPED || !isPlain(member.observation)) {
                continue;
            }
            members.add(new Member(member, roleOf(member.observation)));
        }
        List<Member> geneMembers = of(members, Role.GENE);
        List<Member> changes = of(members, Role.CHANGE);
        List<Member> calls = of(members, Role.CALL);
        if (geneMembers.isEmpty() || (changes.isEmpty() && calls.isEmpty())) {
            return;
        }
        Node assembled = assemble(panel, members);
        Set<Reading> readings = EnumSet.noneOf(Reading.class);
        calls.forEach(call -> readings.add(reading(call.node().observation)));
        boolean severalGenes = distinctGenes(geneMembers) > 1;
        boolean ambiguous = readings.size() > 1
                || (severalGenes && (!changes.isEmpty() || !readings.equals(Set.of(Reading.NEGATIVE))));
        if (!ambiguous) {
            variants.classify(assembled, negatives, out);
        } else {
            ambiguous(assembled, geneMembers, changes, readings, distinctGenes(geneMembers), out);
        }
    }

    /** A GR Variant with its own gene component is whole: its members (if any) are read as they are. */
    private static boolean isWholeVariant(Observation observation) {
        return VariantReader.isVariant(observation)
                && !Fhir.components(observation, GenomicsCodes.GENE_STUDIED).isEmpty();
    }

    /** A split member holds one value: no components, no members of its own. */
    private static boolean isPlain(Observation observation) {
        return !observation.hasComponent() && !observation.hasHasMember();
    }

    private Role roleOf(Observation member) {
        CodeableConcept code = member.getCode();
        if (Fhir.hasLoinc(code, GenomicsCodes.GENE_STUDIED)) {
            return Role.GENE;
        }
        if (Fhir.hasLoincIn(code, GenomicsCodes.HGVS_COMPONENTS)) {
            return Role.CHANGE;
        }
        if (Fhir.hasLoinc(code, GenomicsCodes.VARIANT)) {
            return Role.CALL;
        }
        if (Fhir.hasLoincIn(code, GenomicsCodes.VARIANT_DETAIL_COMPONENTS)) {
            return Role.DETAIL;
        }
        if (valueStrings(member.getValue()).stream()
                .anyMatch(text -> Hgvs.parse(text).isPresent())) {
            return Role.CHANGE;
        }
        if (reading(member) != Reading.NONE) {
            return Role.CALL;
        }
        if (GENE_WORD.matcher(Fhir.words(code)).find() && namesAGene(member.getValue())) {
            return Role.GENE;
        }
        return Role.OTHER;
    }

    private Reading reading(Observation call) {
        return results.read(
                call.getValue(),
                call.getInterpretation(),
                call.hasDataAbsentReason(),
                VariantClassifier::presentOrAbsent);
    }

    private boolean namesAGene(Type value) {
        if (value instanceof CodeableConcept concept
                && (!genes.genesOf(concept).isEmpty() || genes.namesBraf(concept))) {
            return true;
        }
        return valueStrings(value).stream()
                .anyMatch(text -> !genes.genesNamedIn(text).isEmpty()
                        || SYMBOL.matcher(text.trim()).matches());
    }

    /** The genes the gene members name, RAS or not; an unrecognised symbol counts as a gene of its own. */
    private int distinctGenes(List<Member> geneMembers) {
        Set<String> named = new LinkedHashSet<>();
        for (Member member : geneMembers) {
            Type value = member.node().observation.getValue();
            Set<String> here = new LinkedHashSet<>();
            if (value instanceof CodeableConcept concept) {
                genes.genesOf(concept).keySet().forEach(g -> here.add(g.symbol()));
                if (genes.namesBraf(concept)) {
                    here.add("BRAF");
                }
            }
            valueStrings(value).forEach(text -> genes.genesNamedIn(text).forEach(g -> here.add(g.symbol())));
            if (here.isEmpty()) {
                valueStrings(value).stream()
                        .findFirst()
                        .ifPresent(text -> here.add(text.trim().toUpperCase(Locale.ROOT)));
            }
            named.addAll(here);
        }
        return named.size();
    }

    /**
     * The split put back together as a Variant: the call's value, interpretation, method and
     * specimen (else the panel's); a component per gene, change and detail member; the notes of
     * the panel and every member, and the words of members it does not know, as notes (read for
     * coverage); the panel's reports, links and reference.
     */
    private Node assemble(Node panel, List<Member> members) {
        Observation source = panel.observation;
        Observation call = of(members, Role.CALL).stream()
                .findFirst()
                .map(m -> m.node().observation)
                .orElse(null);
        Observation variant = new Observation();
        variant.setStatus(call != null && call.hasStatus() ? call.getStatus() : source.getStatus());
        CodeableConcept code = new CodeableConcept(new Coding(GenomicsCodes.LOINC, GenomicsCodes.VARIANT, null));
        String words = String.join(
                " | ",
                List.of(Fhir.words(source.getCode()), call == null ? "" : Fhir.words(call.getCode())).stream()
                        .filter(w -> !w.isBlank())
                        .toList());
        if (!words.isBlank()) {
            code.setText(words);
        }
        variant.setCode(code);
        variant.setSubject(source.getSubject());
        Observation timing = call != null && (call.hasEffective() || call.hasIssued()) ? call : source;
        variant.setEffective(timing.getEffective());
        variant.setIssuedElement(timing.getIssuedElement());
        if (call != null) {
            variant.setValue(call.getValue());
            variant.setInterpretation(call.getInterpretation());
            variant.setDataAbsentReason(call.getDataAbsentReason());
        }
        variant.setMethod(call != null && call.hasMethod() ? call.getMethod() : source.getMethod());
        variant.setSpecimen(call != null && call.hasSpecimen() ? call.getSpecimen() : source.getSpecimen());
        if (!variant.hasMethod()) {
            members.stream()
                    .map(m -> m.node().observation)
                    .filter(Observation::hasMethod)
                    .findFirst()
                    .ifPresent(m -> variant.setMethod(m.getMethod()));
        }
        if (!variant.hasSpecimen()) {
            members.stream()
                    .map(m -> m.node().observation)
                    .filter(Observation::hasSpecimen)
                    .findFirst()
                    .ifPresent(m -> variant.setSpecimen(m.getSpecimen()));
        }
        source.getNote().forEach(variant::addNote);
        for (Member member : members) {
            Observation observation = member.node().observation;
            observation.getNote().forEach(variant::addNote);
            switch (member.role()) {
                case GENE ->
                    variant.addComponent()
                            .setCode(new CodeableConcept(
                                    new Coding(GenomicsCodes.LOINC, GenomicsCodes.GENE_STUDIED, null)))
                            .setValue(geneValue(observation.getValue()));
                case CHANGE ->
                    variant.addComponent()
                            .setCode(changeCode(observation.getCode()))
                            .setValue(observation.getValue());
                case DETAIL ->
                    variant.addComponent()
                            .setCode(observation.getCode())
                            .setValue(observation.getValue())
                            .setInterpretation(observation.getInterpretation());
                case OTHER -> {
                    String text = String.join(
                            ": ", Fhir.words(observation.getCode()), Fhir.valueText(observation.getValue()));
                    if (!text.isBlank()) {
                        variant.addNote(new Annotation().setText(text));
                    }
                }
                default -> {}
            }
        }
        Node node = new Node(variant, panel.reference, panel.container);
        node.assembledFromSplitPanel = true;
        node.reports.addAll(panel.reports);
        node.groups.addAll(panel.groups);
        node.members.addAll(panel.members);
        node.derivedLinks.addAll(panel.derivedLinks);
        Usability usability = panel.usability;
        for (Member member : members) {
            member.node().reports.forEach(node.reports::add);
            member.node().derivedLinks.forEach(node.derivedLinks::add);
            if (member.role() != Role.OTHER) {
                usability = EvidenceGraph.min(usability, member.node().usability);
            }
        }
        node.usability = EvidenceGraph.min(usability, EvidenceGraph.usabilityOf(variant));
        return node;
    }

    /** A gene given as a plain string becomes the concept's text, so the gene reader can read it. */
    private static Type geneValue(Type value) {
        if (value instanceof CodeableConcept) {
            return value;
        }
        return new CodeableConcept().setText(Fhir.valueText(value));
    }

    /** The member's own HGVS code, else "variation code" (81252-9): a change, defining one variant. */
    private static CodeableConcept changeCode(CodeableConcept code) {
        return new CodeableConcept(Fhir.loincIn(code, GenomicsCodes.HGVS_COMPONENTS)
                .map(Coding::copy)
                .orElse(new Coding(GenomicsCodes.LOINC, "81252-9", null)));
    }

    private void ambiguous(
            Node assembled,
            List<Member> geneMembers,
            List<Member> changes,
            Set<Reading> readings,
            int namedGenes,
            Findings out) {
        Set<Gene> rasGenes = EnumSet.noneOf(Gene.class);
        for (Member member : geneMembers) {
            Type value = member.node().observation.getValue();
            if (value instanceof CodeableConcept concept) {
                rasGenes.addAll(genes.genesOf(concept).keySet());
            }
            valueStrings(value).forEach(text -> rasGenes.addAll(genes.genesNamedIn(text)));
        }
        if (rasGenes.isEmpty()) {
            return;
        }
        List<HgvsChange> parsed = new ArrayList<>();
        for (Member change : changes) {
            for (String text : valueStrings(change.node().observation.getValue())) {
                Hgvs.parse(text)
                        .or(() -> Hgvs.findAll(text).stream().findFirst())
                        .ifPresent(c -> {
                            if (!parsed.contains(c)) {
                                parsed.add(c);
                            }
                        });
            }
        }
        boolean allNegative = readings.equals(Set.of(Reading.NEGATIVE));
        // Not said to be absent: a change listed without a call is a present variant, as in a whole Variant.
        boolean maybePresent =
                readings.isEmpty() || readings.contains(Reading.POSITIVE) || readings.contains(Reading.NONE);
        List<HgvsChange> hotspots = parsed.stream()
                .filter(c -> c.hitsHotspot() && c.changesProtein())
                .toList();
        String where = "split panel whose grouping of genes, changes and calls is lost";
        if (maybePresent && !hotspots.isEmpty()) {
            for (HgvsChange hotspot : hotspots) {
                Optional<Gene> own =
                        RasHotspots.geneOfAccession(hotspot.accession()).filter(rasGenes::contains);
                for (Gene gene : own.map(Set::of).orElse(rasGenes)) {
                    out.add(
                            assembled,
                            gene,
                            EvidenceCall.MUTATED,
                            "hotspot change " + hotspot.text() + " next to " + gene.symbol() + " in a " + where
                                    + " (fail safe)");
                    if (own.isPresent()) {
                        out.variant(assembled, gene, hotspot, hotspot.text(), EvidenceCall.MUTATED);
                    }
                }
            }
        } else if (maybePresent && changes.isEmpty() && namedGenes == rasGenes.size()) {
            // Every gene of the panel is a RAS gene and a variant was found without HGVS: RAS is mutated either way.
            rasGenes.forEach(gene -> out.add(
                    assembled,
                    gene,
                    EvidenceCall.MUTATED,
                    "variant found without HGVS in a " + where + " that names only RAS genes (fail safe)"));
        } else if (allNegative && !changes.isEmpty()) {
            rasGenes.forEach(gene -> out.add(
                    assembled,
                    gene,
                    EvidenceCall.PARTIAL_NEGATIVE,
                    "absent changes in a " + where + " rule out those changes only"));
        } else {
            rasGenes.forEach(gene -> out.add(assembled, gene, EvidenceCall.INDETERMINATE, where));
        }
    }

    private static List<Member> of(List<Member> members, Role role) {
        return members.stream().filter(m -> m.role() == role).toList();
    }

    /** The strings a value may be written in: a concept's codes, displays and text, or a primitive's text. */
    private static List<String> valueStrings(Type value) {
        if (value instanceof CodeableConcept concept) {
            return new ArrayList<>(Fhir.expressions(concept));
        }
        String text = Fhir.valueText(value);
        return text.isBlank() ? List.of() : List.of(text);
    }
}
