package org.rasguard.server.ras;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Patient;
import org.rasguard.cdshooks.EvidenceStore.StoredEvidence;
import org.rasguard.cdshooks.StoreCautions;
import org.rasguard.cdshooks.StorePatientMatcher;
import org.rasguard.knowledge.KnowledgeBase;
import org.rasguard.patients.PersonIdentity;
import org.rasguard.server.hooks.JpaEvidenceStore;
import org.rasguard.ras.EvidenceItem;
import org.rasguard.ras.GeneVerdict;
import org.rasguard.ras.RasAssessment;
import org.rasguard.ras.RasStatusEngine;
import org.rasguard.ras.UnknownReason;
import org.rasguard.ras.VariantFinding;

/**
 * {@code GET|POST /fhir/Patient/{id}/$ras-status}: the patient's RAS status from our store, decided
 * by the same engine as the CDS service, as Parameters:
 * <ul>
 *   <li>{@code status}: valueCode from {@value #STATUS_SYSTEM} ({@code mutated}, {@code wild-type}, {@code unknown});</li>
 *   <li>{@code reason} (0..*): valueCoding from {@value #REASON_SYSTEM}, why it is unknown;</li>
 *   <li>{@code krasG12c}, {@code brafV600e}: valueBoolean;</li>
 *   <li>{@code gene} (one per gene): parts {@code gene}, {@code status}, {@code coverage}, {@code reason}, {@code evidence};</li>
 *   <li>{@code variant} (0..*): parts {@code gene}, {@code hgvs}, {@code codon}, {@code g12c}, {@code evidence};</li>
 *   <li>{@code evidence} (0..*): parts {@code reference}, {@code gene}, {@code call}, {@code effective},
 *       {@code issued}, {@code specimen}, {@code report}, {@code status}, {@code detail};</li>
 *   <li>{@code linkedPatient} (0..*): valueReference, our other records of the same person (sharing a person
 *       identifier, disagreeing on none), whose results are included;</li>
 *   <li>{@code caution} (0..*): valueString, why the evidence may be incomplete (cut short, a result left out
 *       because it is about someone else, a record that disagrees).</li>
 * </ul>
 * Only results about the patient (or its linked records) are read and returned: what their links reach
 * about anyone else is left out ({@link PatientEvidenceLoader}). An unknown patient is a 404 OperationOutcome.
 */
public final class RasStatusOperation {

    public static final String STATUS_SYSTEM = KnowledgeBase.CANONICAL_BASE + "/CodeSystem/ras-status";
    public static final String REASON_SYSTEM = KnowledgeBase.CANONICAL_BASE + "/CodeSystem/ras-unknown-reason";
    private static final String HGNC = "http://www.genenames.org";

    private final DaoRegistry daos;
    private final PatientEvidenceLoader evidence;
    private final StorePatientMatcher records;
    private final RasStatusEngine engine;
    private final int maxResources;

    public RasStatusOperation(DaoRegistry daos, RasStatusEngine engine, PersonIdentity identity, int maxResources) {
        this.daos = daos;
        this.evidence = new PatientEvidenceLoader(daos, identity);
        this.records = new StorePatientMatcher(new JpaEvidenceStore(daos, identity), identity);
        this.engine = engine;
        this.maxResources = maxResources;
    }

    @Operation(name = "$ras-status", idempotent = true, typeName = "Patient")
    public Parameters rasStatus(@IdParam IdType patientId, RequestDetails request) {
        IdType patient = patientId.toUnqualifiedVersionless();
        Patient ours = (Patient) daos.getResourceDao("Patient").read(patient, request); // 404 when there is no such patient
        StorePatientMatcher.Matched person = records.forStorePatient(ours);
        StoredEvidence stored = evidence.load(person.ids(), maxResources, request);
        RasAssessment assessment = engine.assess(stored.resources());
        if (stored.truncated()) {
            assessment = assessment.cutShort();
        }
        List<String> cautions = new ArrayList<>(person.cautions());
        cautions.addAll(StoreCautions.ofReading(stored, maxResources));
        if (!cautions.isEmpty()) {
            assessment = assessment.incomplete(); // as the CDS service does: such a wild-type is not trusted
        }
        Parameters parameters = toParameters(assessment);
        person.ids().stream().skip(1).forEach(id -> parameters.addParameter().setName("linkedPatient")
                .setValue(new Reference("Patient/" + id)));
        cautions.forEach(caution -> parameters.addParameter().setName("caution").setValue(new StringType(caution)));
        return parameters;
    }

    static Parameters toParameters(RasAssessment assessment) {
        Parameters parameters = new Parameters();
        parameters.addParameter().setName("status").setValue(new CodeType(assessment.status().code()));
        for (UnknownReason reason : assessment.reasons()) {
            parameters.addParameter().setName("reason").setValue(reasonCoding(reason));
        }
        parameters.addParameter().setName("krasG12c").setValue(new BooleanType(assessment.krasG12c()));
        parameters.addParameter().setName("brafV600e").setValue(new BooleanType(assessment.brafV600e()));
        assessment.genes().values().stream()
                .sorted((a, b) -> a.gene().compareTo(b.gene()))
                .forEach(verdict -> addGene(parameters, verdict));
        for (VariantFinding variant : assessment.variants()) {
            Parameters.ParametersParameterComponent part = parameters.addParameter().setName("variant");
            part.addPart().setName("gene").setValue(geneCoding(variant.gene()));
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
            addEvidence(parameters, item);
        }
        return parameters;
    }

    private static void addGene(Parameters parameters, GeneVerdict verdict) {
        Parameters.ParametersParameterComponent part = parameters.addParameter().setName("gene");
        part.addPart().setName("gene").setValue(geneCoding(verdict.gene()));
        part.addPart().setName("status").setValue(new CodeType(code(verdict.status().name())));
        part.addPart().setName("coverage").setValue(new CodeType(code(verdict.coverage().name())));
        verdict.reasons().forEach(reason -> part.addPart().setName("reason").setValue(reasonCoding(reason)));
        verdict.evidence().forEach(reference -> part.addPart().setName("evidence").setValue(new Reference(reference)));
    }

    private static void addEvidence(Parameters parameters, EvidenceItem item) {
        Parameters.ParametersParameterComponent part = parameters.addParameter().setName("evidence");
        part.addPart().setName("reference").setValue(new Reference(item.reference()));
        part.addPart().setName("gene").setValue(geneCoding(item.gene()));
        part.addPart().setName("call").setValue(new CodeType(code(item.call().name())));
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

    private static Coding reasonCoding(UnknownReason reason) {
        return new Coding(REASON_SYSTEM, reason.code(), null);
    }

    private static Coding geneCoding(org.rasguard.ras.Gene gene) {
        return new Coding(HGNC, gene.hgncId(), gene.symbol());
    }

    /** NOT_TESTED → not-tested, the style of our other codes. */
    private static String code(String enumName) {
        return enumName.toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
