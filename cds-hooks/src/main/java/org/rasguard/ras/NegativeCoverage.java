package org.rasguard.ras;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Specimen;
import org.rasguard.ras.EvidenceGraph.Node;

/**
 * Decides whether a negative counts: its coverage (issue "Negative with extended coverage" versus
 * "Partial negative") and its specimen (a plasma / ctDNA negative is indeterminate unless the
 * policy says otherwise).
 */
final class NegativeCoverage {

    /**
     * A negative's call and the words that explain it.
     *
     * @param plasmaExtended a negative with extended coverage on a specimen known to be plasma / ctDNA
     *     (by its type or the test's own words; a specimen that merely may be plasma is not enough),
     *     whatever the policy makes of it: what clears the re-challenge warning (CHRONOS, CRICKET)
     */
    record Call(EvidenceCall call, String why, boolean plasmaExtended) {
        Call(EvidenceCall call, String why) {
            this(call, why, false);
        }
    }

    /** Whether a result comes from a liquid biopsy: known to, may (a specimen named but not sent), or not. */
    private enum Liquid {
        NO,
        POSSIBLE,
        CONFIRMED;

        Liquid or(Liquid other) {
            return compareTo(other) >= 0 ? this : other;
        }
    }

    private final RasVocabulary vocabulary;
    private final RasPolicy policy;
    private final GeneResolver genes;
    private final EvidenceGraph graph;

    NegativeCoverage(RasVocabulary vocabulary, RasPolicy policy, GeneResolver genes, EvidenceGraph graph) {
        this.vocabulary = vocabulary;
        this.policy = policy;
        this.genes = genes;
        this.graph = graph;
    }

    /**
     * Classifies a negative. A stated coverage (a tested-for list, codons or exons in the text)
     * decides first, as it is the most specific; then a full-gene test code; then the method; then
     * the policy default for the kind of negative.
     *
     * @param gene the gene the negative is about; only the parts of the text about it count
     * @param coverageText text that may state coverage (tested-for values, result text, notes)
     * @param fullGeneTest the test code is a full-gene analysis
     * @param defaultExtended the policy default when nothing is stated
     */
    Call classify(Node node, Gene gene, String coverageText, boolean fullGeneTest, boolean defaultExtended) {
        java.util.List<String> context = contextScope(node);
        if (unreliableByContext(node, gene, context, coverageText)) {
            return new Call(EvidenceCall.INDETERMINATE, "negative that the text nearby says cannot be relied on");
        }
        Call byCoverage = limitedByContext(context, gene)
                .orElseGet(() -> byCoverage(node, genes.partAbout(coverageText, gene), fullGeneTest, defaultExtended));
        Liquid liquid = liquidBiopsy(node);
        boolean plasmaExtended = liquid == Liquid.CONFIRMED && byCoverage.call() == EvidenceCall.NEGATIVE;
        if (!policy.ctDnaNegativesCount() && liquid != Liquid.NO) {
            return new Call(
                    EvidenceCall.CTDNA_NEGATIVE, byCoverage.why() + ", plasma / ctDNA specimen", plasmaExtended);
        }
        return new Call(byCoverage.call(), byCoverage.why(), plasmaExtended);
    }

    /**
     * Scope stated anywhere near the negative limits it, whatever the test code, method coding or
     * policy default say: its method (text and displays), its code, its panels' codes and words, its
     * reports' code, conclusion and conclusion codes. Each statement is read for this gene's part
     * only; one that does not cover all six codons, or that holds scope words the reader cannot
     * account for, makes the negative partial.
     */
    private java.util.Optional<Call> limitedByContext(java.util.List<String> context, Gene gene) {
        for (String text : context) {
            // "BRAF exon 15: no mutation detected" states BRAF's scope, not this gene's (atk22 w03).
            String aboutRas = genes.withoutSentencesAboutOnly(text, vocabulary.namesOutsideRasStatus());
            TextSignals.Coverage stated = TextSignals.coverage(genes.partAbout(aboutRas, gene));
            if (stated.stated() && !stated.extended()) {
                return java.util.Optional.of(
                        stated.unaccounted()
                                ? new Call(
                                        EvidenceCall.PARTIAL_NEGATIVE,
                                        "negative, scope text nearby that the reader cannot account for")
                                : new Call(
                                        EvidenceCall.PARTIAL_NEGATIVE,
                                        "negative, scope stated nearby only codons " + stated.hotspotCodons()));
            }
        }
        return java.util.Optional.empty();
    }

    /**
     * The tested-for lists about this gene on the result, in its group (hasMember either way) or in its
     * reports, for GR Variants as for single-gene tests (an outside attack: a codon 12/13 kit's list in the
     * same report as a gene-level Absent Variant was not read, and the negative counted as extended).
     * The tested-for codes are the knowledge package's (21703-4, a KRAS list; 36908-2, mCODE's gene-mutations):
     * one that names no gene speaks about KRAS. A coded list is read by its codes too ("p.Gly12Asp").
     */
    String testedForNearby(Node node, Gene gene) {
        java.util.Set<Node> related = new java.util.LinkedHashSet<>();
        related.add(node);
        related.addAll(node.members);
        related.addAll(node.groups);
        node.groups.forEach(group -> related.addAll(group.members));
        node.reports.forEach(report -> related.addAll(graph.resultsOf(report)));
        java.util.List<String> lists = new java.util.ArrayList<>();
        for (Node other : related) {
            Observation observation = other.observation;
            if (isTestedFor(observation.getCode())) {
                lists.add(about(listText(observation.getValue()), gene));
            }
            for (Observation.ObservationComponentComponent component : observation.getComponent()) {
                if (isTestedFor(component.getCode())) {
                    lists.add(about(listText(component.getValue()), gene));
                }
            }
        }
        return String.join(" | ", lists);
    }

    private static String listText(org.hl7.fhir.r4.model.Type value) {
        StringBuilder text = new StringBuilder(Fhir.valueText(value));
        if (value instanceof CodeableConcept concept) {
            concept.getCoding().forEach(coding -> text.append(", ").append(coding.getCode()));
        }
        return text.toString();
    }

    private String about(String list, Gene gene) {
        if (genes.genesNamedIn(list).isEmpty()) {
            return gene == Gene.KRAS ? list : "";
        }
        return list;
    }

    private boolean isTestedFor(CodeableConcept code) {
        return code.getCoding().stream().anyMatch(vocabulary::isTestedFor);
    }

    /**
     * The words near a negative (its own text, notes, interpretation and narrative, its panels' and their
     * comment members', what it is derived from, its Specimen's status, condition and notes, its reports'
     * conclusion, presentedForm and narrative) say it cannot be relied on
     * ({@link TextSignals#saysUnreliable}), in the part about this gene. The interpretation, the reports'
     * presentedForm and narrative and a panel's comment members were not read for this until an outside
     * attack (atk20) put "Test failed", "TEST FAILED - no amplification" and "see amended report" there.
     */
    private boolean unreliableByContext(Node node, Gene gene, java.util.List<String> context, String coverageText) {
        java.util.List<String> texts = new java.util.ArrayList<>(context);
        texts.add(coverageText);
        texts.add(narrative(node.observation));
        node.observation.getInterpretation().forEach(concept -> texts.add(Fhir.words(concept)));
        for (Node group : node.groupsAbove()) {
            for (Node member : group.members) {
                if (member != node
                        && member.observation.getValue() instanceof org.hl7.fhir.r4.model.StringType comment) {
                    texts.add(comment.getValue());
                }
            }
        }
        node.reports.forEach(report -> texts.add(NarrativeReportReader.wordsOf(report)));
        // What a result is derived from (a run's QC Observation: "Invalid run; QC failed"), atk21.
        for (Node linked : node.derivedLinks) {
            texts.add(Fhir.valueText(linked.observation.getValue()));
            texts.add(Fhir.notes(linked.observation));
        }
        // The sample's own words and state (atk21): Specimen.status unsatisfactory, condition "Not sufficient
        // for analysis", a note "No DNA could be extracted".
        for (Specimen specimen : specimensOf(node)) {
            if (specimen.getStatus() == Specimen.SpecimenStatus.UNSATISFACTORY
                    || specimen.getStatus() == Specimen.SpecimenStatus.ENTEREDINERROR) {
                return true;
            }
            specimen.getCondition().forEach(condition -> texts.add(Fhir.words(condition)));
            specimen.getNote().forEach(note -> texts.add(note.getText()));
        }
        // "BRAF exon 15: test failed, repeat requested" beside passed RAS genes speaks of BRAF (atk20 w04).
        return texts.stream()
                .filter(text -> text != null && !text.isBlank())
                .map(text -> genes.withoutSentencesAboutOnly(text, vocabulary.namesOutsideRasStatus()))
                .anyMatch(text -> TextSignals.saysUnreliable(genes.partAbout(text, gene)));
    }

    /** The words of a resource's narrative, tags taken out. */
    private static String narrative(org.hl7.fhir.r4.model.DomainResource resource) {
        return resource.hasText() && resource.getText().hasDiv()
                ? resource.getText()
                        .getDivAsString()
                        .replaceAll("<[^>]*>", " ")
                        .replace("&gt;", ">")
                        .replace("&lt;", "<")
                : null;
    }

    private java.util.List<String> contextScope(Node node) {
        java.util.List<String> texts = new java.util.ArrayList<>();
        Observation observation = node.observation;
        texts.add(Fhir.words(observation.getMethod()));
        if (!RegionStudiedClassifier.isRegionStudied(observation)) {
            texts.add(Fhir.words(observation.getCode()));
        }
        texts.add(Fhir.notes(observation));
        // Free text the result carries in components (GR conclusion-string, a v2 comment).
        observation.getComponent().stream()
                .filter(component -> component.getValue() instanceof org.hl7.fhir.r4.model.StringType)
                .forEach(component -> texts.add(component.getValue().primitiveValue()));
        for (Node group : node.groupsAbove()) {
            texts.add(Fhir.words(group.observation.getCode()));
            texts.add(Fhir.words(group.observation.getMethod()));
            texts.add(Fhir.notes(group.observation));
        }
        for (DiagnosticReport report : node.reports) {
            texts.add(Fhir.words(report.getCode()));
            texts.add(report.getConclusion());
            report.getConclusionCode().forEach(code -> texts.add(Fhir.words(code)));
            for (Node result : graph.resultsOf(report)) {
                if (RegionStudiedClassifier.isRegionStudied(result.observation)) {
                    texts.addAll(RegionStudiedClassifier.scopeTexts(result.observation));
                } else if (result != node
                        && result.observation.getValue() instanceof org.hl7.fhir.r4.model.StringType comment) {
                    // A comment filed as a result of the report (a v2 NTE segment as its own Observation).
                    texts.add(comment.getValue());
                }
            }
        }
        texts.removeIf(text -> text == null || text.isBlank());
        return texts;
    }

    private Call byCoverage(Node node, String coverageText, boolean fullGeneTest, boolean defaultExtended) {
        Observation observation = node.observation;
        TextSignals.Coverage stated = TextSignals.coverage(coverageText);
        if (stated.stated()) {
            return stated.extended()
                    ? new Call(
                            EvidenceCall.NEGATIVE,
                            "negative, stated coverage includes codons 12, 13, 59, 61, 117 and 146")
                    : new Call(
                            EvidenceCall.PARTIAL_NEGATIVE,
                            "negative, stated coverage only codons " + stated.hotspotCodons());
        }
        if (fullGeneTest || TextSignals.mentionsFullGene(coverageText)) {
            return new Call(EvidenceCall.NEGATIVE, "negative, full-gene analysis");
        }
        if (observation.hasMethod()) {
            boolean sequencing =
                    observation.getMethod().getCoding().stream().anyMatch(vocabulary::isExtendedCoverageMethod)
                            || TextSignals.mentionsSequencing(Fhir.words(observation.getMethod()));
            return sequencing
                    ? new Call(EvidenceCall.NEGATIVE, "negative, method " + Fhir.words(observation.getMethod()))
                    : new Call(
                            EvidenceCall.PARTIAL_NEGATIVE,
                            "negative, method without extended coverage: " + Fhir.words(observation.getMethod()));
        }
        if (TextSignals.mentionsSequencing(coverageText)) {
            return new Call(EvidenceCall.NEGATIVE, "negative, sequencing");
        }
        return defaultExtended
                ? new Call(EvidenceCall.NEGATIVE, "negative, coverage not stated (counted as extended by policy)")
                : new Call(EvidenceCall.PARTIAL_NEGATIVE, "negative, coverage not stated");
    }

    /**
     * A plasma / cfDNA / ctDNA specimen, by the specimen's type (codes and words of the
     * ras-liquid-biopsy-specimens ValueSet) or by the test's own words (code, method, report code).
     * "Blood" counts only as a specimen word: LOINC test names say "in Blood or Tissue".
     */
    private Liquid liquidBiopsy(Node node) {
        Observation observation = node.observation;
        if (vocabulary.namesLiquidBiopsyTest(Fhir.words(observation.getCode()))
                || vocabulary.namesLiquidBiopsyTest(Fhir.words(observation.getMethod()))) {
            return Liquid.CONFIRMED;
        }
        // Said only in words: the result's notes, its panels' notes, its reports' conclusions (an outside
        // attack's "Plasma ctDNA analysis" note and "Liquid biopsy (plasma cfDNA)" conclusion were read as tissue).
        java.util.List<String> words = new java.util.ArrayList<>();
        words.add(Fhir.notes(observation));
        node.groups.forEach(group -> words.add(Fhir.notes(group.observation)));
        node.reports.forEach(report -> words.add(report.getConclusion()));
        // Clause by clause, facts only: "Plasma testing is not required" names no plasma specimen.
        if (words.stream()
                .flatMap(text -> java.util.Arrays.stream(TextSignals.clauses(text)))
                .filter(TextSignals::statesInFact)
                .anyMatch(vocabulary::namesLiquidBiopsySpecimen)) {
            return Liquid.CONFIRMED;
        }
        Liquid found = liquid(observation.getSpecimen(), node);
        // The result's own Specimen, when it is among the evidence and typed, says what was tested; the
        // report's list may hold other samples (a tumour-normal report's blood normal made its tissue results
        // plasma). An untyped one says nothing, and the report's samples still count.
        Specimen own =
                observation.hasSpecimen() ? graph.specimen(observation.getSpecimen(), Findings.scope(node)) : null;
        boolean ownSpecimenKnown = own != null
                && (own.getType().hasText()
                        || own.getType().getCoding().stream().anyMatch(Coding::hasCode));
        for (DiagnosticReport report : node.reports) {
            if (vocabulary.namesLiquidBiopsyTest(Fhir.words(report.getCode()))) {
                return Liquid.CONFIRMED;
            }
            if (!ownSpecimenKnown) {
                for (Reference specimen : report.getSpecimen()) {
                    found = found.or(liquid(specimen, node));
                }
            }
        }
        return found;
    }

    /**
     * The samples a result was tested on, among the evidence: its own Specimen, or, when it names none
     * that is found, its reports' (as {@link #liquidBiopsy} reads them).
     */
    private java.util.List<Specimen> specimensOf(Node node) {
        java.util.List<Specimen> specimens = new java.util.ArrayList<>();
        Observation observation = node.observation;
        Specimen own =
                observation.hasSpecimen() ? graph.specimen(observation.getSpecimen(), Findings.scope(node)) : null;
        if (own != null) {
            specimens.add(own);
            return specimens;
        }
        for (DiagnosticReport report : node.reports) {
            for (Reference reference : report.getSpecimen()) {
                Specimen specimen = graph.specimen(reference, Findings.scope(node));
                if (specimen != null) {
                    specimens.add(specimen);
                }
            }
        }
        return specimens;
    }

    /**
     * A specimen named but not among the evidence (the EHR did not send it) may be plasma: fail safe,
     * such a negative cannot stand for tissue (the same result read from our store, with its
     * Specimen, was once wild-type through the EHR's copy read as tissue); nor can it stand for plasma.
     */
    private Liquid liquid(Reference reference, Node node) {
        if (reference == null || reference.isEmpty()) {
            return Liquid.NO;
        }
        if (vocabulary.namesLiquidBiopsySpecimen(reference.getDisplay())) {
            return Liquid.CONFIRMED;
        }
        Specimen specimen = graph.specimen(reference, Findings.scope(node));
        if (specimen == null) {
            return reference.hasReference() || reference.hasIdentifier() ? Liquid.POSSIBLE : Liquid.NO;
        }
        CodeableConcept type = specimen.getType();
        return type.getCoding().stream().anyMatch(vocabulary::isLiquidBiopsySpecimen)
                        || vocabulary.namesLiquidBiopsySpecimen(Fhir.words(type))
                ? Liquid.CONFIRMED
                : Liquid.NO;
    }
}
