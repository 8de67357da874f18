package org.rasguard.server.ras;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.rasguard.knowledge.Code;
import org.rasguard.knowledge.KnowledgeBase;
import org.rasguard.patients.PersonIdentity;
import org.rasguard.ras.EvidenceCall;
import org.rasguard.ras.EvidenceItem;
import org.rasguard.ras.Gene;
import org.rasguard.ras.GeneVerdict;
import org.rasguard.ras.RasAssessment;
import org.rasguard.ras.RasStatus;
import org.rasguard.ras.RasStatusEngine;
import org.rasguard.ras.UnknownReason;
import org.rasguard.ras.VariantFinding;

/**
 * {@code GET|POST /fhir/Patient/{id}/$ras-status}: the patient's RAS status from our store, decided
 * by the same engine as the CDS service, as Parameters. The contract is the OperationDefinition
 * {@value #CANONICAL} of the knowledge package (every output parameter with its type and
 * cardinality); in short:
 * <ul>
 *   <li>{@code status}: valueCoding from {@value #STATUS_SYSTEM}, code {@code mutated}, {@code wild-type} or {@code unknown};</li>
 *   <li>{@code reason} (0..*): valueCoding from {@value #REASON_SYSTEM}, why it is unknown;</li>
 *   <li>{@code krasG12c}, {@code brafV600e}: valueBoolean;</li>
 *   <li>{@code gene} (one per gene): parts {@code gene}, {@code status}, {@code coverage}, {@code reason}, {@code evidence};</li>
 *   <li>{@code variant} (0..*): parts {@code gene}, {@code hgvs}, {@code codon}, {@code g12c}, {@code evidence};</li>
 *   <li>{@code evidence} (0..*): parts {@code reference}, {@code gene}, {@code call}, {@code preliminary}, {@code effective},
 *       {@code issued}, {@code specimen}, {@code report}, {@code status}, {@code detail};</li>
 *   <li>{@code linkedPatient} (0..*): valueReference, our other records of the same person (sharing a person
 *       identifier, disagreeing on none), whose results are included;</li>
 *   <li>{@code caution} (0..*): valueString, why the evidence may be incomplete (cut short, a result left out
 *       because it is about someone else, a record that disagrees).</li>
 * </ul>
 * Every coded value is a Coding with system, code and display, the display read from our CodeSystems
 * (genes: the {@code ras-genes} ValueSet), so clients keep no tables of their own; a code missing from
 * them stops the start. Only results about the patient (or its linked records) are read and returned:
 * what their links reach about anyone else is left out ({@link PatientEvidenceLoader}). An unknown
 * patient is a 404 OperationOutcome.
 */
public final class RasStatusOperation {

    public static final String STATUS_SYSTEM = KnowledgeBase.CANONICAL_BASE + "/CodeSystem/ras-status";
    public static final String REASON_SYSTEM = KnowledgeBase.CANONICAL_BASE + "/CodeSystem/ras-unknown-reason";
    public static final String GENE_STATUS_SYSTEM = KnowledgeBase.CANONICAL_BASE + "/CodeSystem/ras-gene-status";
    public static final String COVERAGE_SYSTEM = KnowledgeBase.CANONICAL_BASE + "/CodeSystem/ras-negative-coverage";
    public static final String CALL_SYSTEM = KnowledgeBase.CANONICAL_BASE + "/CodeSystem/ras-evidence-call";
    /** The OperationDefinition of the knowledge package that this operation implements. */
    public static final String CANONICAL = KnowledgeBase.CANONICAL_BASE + "/OperationDefinition/ras-status";

    private static final String HGNC = "http://www.genenames.org";
    private static final String RAS_GENES = KnowledgeBase.CANONICAL_BASE + "/ValueSet/ras-genes";

    private final StoreRasStatus status;
    private final Displays displays;

    public RasStatusOperation(
            DaoRegistry daos,
            RasStatusEngine engine,
            KnowledgeBase knowledge,
            PersonIdentity identity,
            int maxResources) {
        this.displays = Displays.of(knowledge);
        this.status = new StoreRasStatus(daos, engine, identity, maxResources);
    }

    @Operation(name = "$ras-status", idempotent = true, typeName = "Patient", canonicalUrl = CANONICAL)
    public Parameters rasStatus(@IdParam IdType patientId, RequestDetails request) {
        StoreRasStatus.Result result = status.of(patientId, request); // 404 when there is no such patient
        Parameters parameters = toParameters(result.assessment(), displays);
        result.patientIds().stream()
                .skip(1)
                .forEach(id ->
                        parameters.addParameter().setName("linkedPatient").setValue(new Reference("Patient/" + id)));
        result.cautions()
                .forEach(caution -> parameters.addParameter().setName("caution").setValue(new StringType(caution)));
        return parameters;
    }

    static Parameters toParameters(RasAssessment assessment, Displays displays) {
        Parameters parameters = new Parameters();
        parameters
                .addParameter()
                .setName("status")
                .setValue(displays.coding(STATUS_SYSTEM, assessment.status().code()));
        for (UnknownReason reason : assessment.reasons()) {
            parameters.addParameter().setName("reason").setValue(displays.coding(REASON_SYSTEM, reason.code()));
        }
        parameters.addParameter().setName("krasG12c").setValue(new BooleanType(assessment.krasG12c()));
        parameters.addParameter().setName("brafV600e").setValue(new BooleanType(assessment.brafV600e()));
        assessment.genes().values().stream()
                .sorted((a, b) -> a.gene().compareTo(b.gene()))
                .forEach(verdict -> addGene(parameters, verdict, displays));
        for (VariantFinding variant : assessment.variants()) {
            Parameters.ParametersParameterComponent part =
                    parameters.addParameter().setName("variant");
            part.addPart().setName("gene").setValue(displays.gene(variant.gene()));
            part.addPart().setName("hgvs").setValue(new StringType(variant.hgvs()));
            if (variant.codon() != null) {
                part.addPart().setName("codon").setValue(new IntegerType(variant.codon()));
            }
            part.addPart().setName("g12c").setValue(new BooleanType(variant.g12c()));
            if (variant.evidence() != null) {
                part.addPart().setName("evidence").setValue(new Reference(variant.evidence()));
            }
        }
        for (EvidenceItem item : assessment.evidence()) {
            addEvidence(parameters, item, displays);
        }
        return parameters;
    }

    private static void addGene(Parameters parameters, GeneVerdict verdict, Displays displays) {
        Parameters.ParametersParameterComponent part = parameters.addParameter().setName("gene");
        part.addPart().setName("gene").setValue(displays.gene(verdict.gene()));
        part.addPart()
                .setName("status")
                .setValue(displays.coding(
                        GENE_STATUS_SYSTEM, code(verdict.status().name())));
        part.addPart()
                .setName("coverage")
                .setValue(
                        displays.coding(COVERAGE_SYSTEM, code(verdict.coverage().name())));
        verdict.reasons()
                .forEach(reason ->
                        part.addPart().setName("reason").setValue(displays.coding(REASON_SYSTEM, reason.code())));
        verdict.evidence()
                .forEach(reference -> part.addPart().setName("evidence").setValue(new Reference(reference)));
    }

    private static void addEvidence(Parameters parameters, EvidenceItem item, Displays displays) {
        Parameters.ParametersParameterComponent part = parameters.addParameter().setName("evidence");
        part.addPart().setName("reference").setValue(new Reference(item.reference()));
        part.addPart().setName("gene").setValue(displays.gene(item.gene()));
        part.addPart()
                .setName("call")
                .setValue(displays.coding(CALL_SYSTEM, item.call().code()));
        part.addPart().setName("preliminary").setValue(new BooleanType(item.preliminary()));
        optional(part, "effective", item.effective());
        optional(part, "issued", item.issued());
        optional(part, "specimen", item.specimen());
        if (item.report() != null) {
            part.addPart().setName("report").setValue(new Reference(item.report()));
        }
        optional(part, "status", item.status());
        optional(part, "detail", item.detail());
    }

    private static void optional(Parameters.ParametersParameterComponent part, String name, String value) {
        if (value != null && !value.isBlank()) {
            part.addPart().setName(name).setValue(new StringType(value));
        }
    }

    /**
     * The displays of every code this operation returns, read once from the knowledge package: our
     * CodeSystems, and the HGNC symbols of the {@code ras-genes} ValueSet. Built at start, and fails
     * there when any code the engine can produce has no concept, so an answer never lacks a display.
     */
    static final class Displays {

        private final Map<String, Map<String, String>> bySystem;

        private Displays(Map<String, Map<String, String>> bySystem) {
            this.bySystem = bySystem;
        }

        static Displays of(KnowledgeBase knowledge) {
            Map<String, Map<String, String>> bySystem = new HashMap<>();
            for (String system :
                    List.of(STATUS_SYSTEM, REASON_SYSTEM, GENE_STATUS_SYSTEM, COVERAGE_SYSTEM, CALL_SYSTEM)) {
                CodeSystem codeSystem = knowledge
                        .codeSystem(system)
                        .orElseThrow(() ->
                                new IllegalStateException("CodeSystem " + system + " is not in the knowledge package"));
                Map<String, String> displays = new HashMap<>();
                codeSystem.getConcept().forEach(concept -> displays.put(concept.getCode(), concept.getDisplay()));
                bySystem.put(system, displays);
            }
            Map<String, String> genes = new HashMap<>();
            for (Code code : knowledge.codes(RAS_GENES)) {
                if (HGNC.equals(code.system())) {
                    genes.put(code.code(), code.display());
                }
            }
            bySystem.put(HGNC, genes);
            Displays displays = new Displays(bySystem);
            displays.requireAll(STATUS_SYSTEM, Arrays.stream(RasStatus.values()).map(RasStatus::code));
            displays.requireAll(
                    REASON_SYSTEM, Arrays.stream(UnknownReason.values()).map(UnknownReason::code));
            displays.requireAll(
                    GENE_STATUS_SYSTEM,
                    Arrays.stream(GeneVerdict.Status.values()).map(s -> code(s.name())));
            displays.requireAll(
                    COVERAGE_SYSTEM,
                    Arrays.stream(GeneVerdict.Coverage.values()).map(c -> code(c.name())));
            displays.requireAll(
                    CALL_SYSTEM, Arrays.stream(EvidenceCall.values()).map(EvidenceCall::code));
            displays.requireAll(HGNC, Arrays.stream(Gene.values()).map(Gene::hgncId));
            return displays;
        }

        private void requireAll(String system, Stream<String> codes) {
            codes.forEach(code -> {
                String display = bySystem.get(system).get(code);
                if (display == null || display.isBlank()) {
                    throw new IllegalStateException(system + " has no concept with a display for " + code);
                }
            });
        }

        Coding coding(String system, String code) {
            return new Coding(system, code, bySystem.get(system).get(code));
        }

        Coding gene(Gene gene) {
            return coding(HGNC, gene.hgncId());
        }
    }

    /** NOT_TESTED → not-tested, the style of our other codes. */
    private static String code(String enumName) {
        return enumName.toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
