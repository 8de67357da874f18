package org.rasguard.ras;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Specimen;
import org.hl7.fhir.r4.model.Type;
import org.rasguard.ras.EvidenceGraph.Node;

/**
 * Collects what the classifiers found, each item with its context (dates, specimen, report), for
 * one assessment. Not shared between threads.
 */
final class Findings {

    private final EvidenceGraph graph;
    private final List<EvidenceItem> items = new ArrayList<>();
    private final List<VariantFinding> variants = new ArrayList<>();
    private final Set<String> brafV600e = new TreeSet<>();

    Findings(EvidenceGraph graph) {
        this.graph = graph;
    }

    /** A negative as {@link NegativeCoverage} classified it. */
    void add(Node node, Gene gene, NegativeCoverage.Call call, String detail) {
        add(node, gene, call.call(), detail, call.plasmaExtended());
    }

    void add(Node node, Gene gene, EvidenceCall call, String detail) {
        add(node, gene, call, detail, false);
    }

    private void add(Node node, Gene gene, EvidenceCall call, String detail, boolean plasmaExtended) {
        Observation observation = node.observation;
        Optional<DiagnosticReport> report = report(node);
        String effective = dateText(observation.getEffective())
                .or(() -> report.flatMap(r -> dateText(r.getEffective())))
                .orElse(null);
        String issued = observation.hasIssued()
                ? observation.getIssuedElement().getValueAsString()
                : report.filter(DiagnosticReport::hasIssued)
                        .map(r -> r.getIssuedElement().getValueAsString())
                        .orElse(null);
        Instant observedAt = instant(observation.getEffective())
                .or(() -> report.flatMap(r -> instant(r.getEffective())))
                .or(() -> Optional.ofNullable(
                        observation.hasIssued() ? observation.getIssued().toInstant() : null))
                .or(() -> report.filter(DiagnosticReport::hasIssued)
                        .map(r -> r.getIssued().toInstant()))
                .orElse(null);
        items.add(new EvidenceItem(
                node.reference,
                gene,
                call,
                node.usability != EvidenceGraph.Usability.FINAL,
                effective,
                issued,
                observedAt,
                specimen(node, report),
                report.map(graph::referenceOf).orElse(null),
                observation.hasStatus() ? observation.getStatus().toCode() : null,
                detail,
                plasmaExtended));
    }

    void variant(Node node, Gene gene, HgvsChange change, String reported, EvidenceCall call) {
        variants.add(new VariantFinding(
                gene,
                reported,
                change == null ? null : change.codon().orElse(null),
                change != null && change.isG12c(),
                call,
                node.reference));
    }

    void brafV600e(Node node) {
        if (node.usability == EvidenceGraph.Usability.FINAL) {
            brafV600e.add(node.reference);
        }
    }

    List<EvidenceItem> items() {
        return items.stream()
                .sorted(Comparator.comparing(EvidenceItem::reference)
                        .thenComparing(EvidenceItem::gene)
                        .thenComparing(EvidenceItem::call)
                        .thenComparing(EvidenceItem::detail))
                .toList();
    }

    List<VariantFinding> variants() {
        return variants.stream()
                .distinct()
                .sorted(Comparator.comparing(VariantFinding::gene)
                        .thenComparing(VariantFinding::evidence)
                        .thenComparing(VariantFinding::hgvs))
                .toList();
    }

    List<String> brafV600eEvidence() {
        return List.copyOf(brafV600e);
    }

    private Optional<DiagnosticReport> report(Node node) {
        return node.reports.stream().min(Comparator.comparing(r -> String.valueOf(graph.referenceOf(r))));
    }

    private String specimen(Node node, Optional<DiagnosticReport> report) {
        Reference reference = node.observation.hasSpecimen()
                ? node.observation.getSpecimen()
                : report.filter(DiagnosticReport::hasSpecimen)
                        .map(r -> r.getSpecimenFirstRep())
                        .orElse(null);
        if (reference == null) {
            return null;
        }
        Specimen specimen = graph.specimen(reference, scope(node));
        if (specimen != null && specimen.hasType()) {
            String words = Fhir.words(specimen.getType());
            return words.isEmpty() ? specimen.getType().getCodingFirstRep().getCode() : words;
        }
        if (reference.hasDisplay()) {
            return reference.getDisplay();
        }
        return reference.hasReference() ? reference.getReference() : null;
    }

    static String scope(Node node) {
        return node.container != null ? node.container : node.reference;
    }

    private static Optional<String> dateText(Type effective) {
        if (effective instanceof BaseDateTimeType date && date.hasValue()) {
            return Optional.of(date.getValueAsString());
        }
        if (effective instanceof Period period && period.hasStart()) {
            return Optional.of(period.getStartElement().getValueAsString());
        }
        return Optional.empty();
    }

    private static Optional<Instant> instant(Type effective) {
        if (effective instanceof BaseDateTimeType date && date.hasValue()) {
            return Optional.of(date.getValue().toInstant());
        }
        if (effective instanceof Period period && period.hasStart()) {
            return Optional.of(period.getStart().toInstant());
        }
        return Optional.empty();
    }
}
