package org.rasguard.server.lateresults;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DetectedIssue;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.rasguard.cards.CardFactory;
import org.rasguard.knowledge.KnowledgeBase;
import org.rasguard.ras.RasAssessment;
import org.rasguard.ras.RasStatus;
import org.rasguard.ras.UnknownReason;

/**
 * The late-result DetectedIssue, in the layout README "Late results" fixes for EHRs and the
 * patient-view service: status {@code final}, code {@value #CODE_SYSTEM}|{@value #CODE}, severity
 * {@code high}, our Patient, two identifiers (the deterministic {@value #ISSUE_SYSTEM} value and the
 * hookInstance), the EHR's order as {@code implicated} (by identifier: the id is the EHR's), the earlier
 * decision and the new evidence as {@code evidence}, a plain-language {@code detail}, no mitigation (open).
 *
 * <p>All wording and codes come from the knowledge package (CodeSystems {@code ras-detected-issue},
 * {@code late-result-earlier-decision} with its {@code detail-template}, {@code ras-status},
 * {@code ras-unknown-reason}, {@code cds-card-topic}; the drugs' ValueSet titles), read once at start:
 * a missing concept or template stops the start.
 */
final class LateResultIssues {

    static final String CODE_SYSTEM = KnowledgeBase.CANONICAL_BASE + "/CodeSystem/ras-detected-issue";
    static final String CODE = "late-ras-result";
    static final String MITIGATION_SYSTEM = KnowledgeBase.CANONICAL_BASE + "/CodeSystem/late-result-mitigation";
    static final String ISSUE_SYSTEM = "http://rasguard.org/fhir/sid/late-ras-result";
    static final String HOOK_INSTANCE_SYSTEM = "http://rasguard.org/fhir/sid/cds-hook-instance";
    static final String ORDER_SYSTEM = "http://rasguard.org/fhir/sid/ehr-medication-request";
    static final String EARLIER_CARD = KnowledgeBase.CANONICAL_BASE + "/StructureDefinition/late-result-earlier-card";
    static final String STATUS_SYSTEM = KnowledgeBase.CANONICAL_BASE + "/CodeSystem/ras-status";
    static final String TOPIC_SYSTEM = KnowledgeBase.CANONICAL_BASE + "/CodeSystem/cds-card-topic";
    static final String TEMPLATE_PROPERTY = "detail-template";
    private static final List<String> EARLIER_CODES = List.of(
            "unknown-overridden",
            "unknown-accepted",
            "unknown-no-feedback",
            "wild-type-no-card",
            "rechallenge-warned",
            "g12c-combination-withdrawn");

    private final Coding code;
    private final Map<String, Coding> earlier = new HashMap<>();
    private final Map<String, String> templates = new HashMap<>();
    private final Map<String, Coding> statuses = new HashMap<>();
    private final Map<String, String> reasons = new HashMap<>();
    private final Map<String, Coding> topics = new HashMap<>();
    private final Map<String, String> drugs = new HashMap<>();
    /** The mutations as the cards name them, with the knowledge package's words for unnamed ones. */
    private final Function<RasAssessment, String> mutationNames;

    LateResultIssues(KnowledgeBase knowledge) {
        this.mutationNames = CardFactory.mutationNames(knowledge);
        CodeSystem issues = codeSystem(knowledge, CODE_SYSTEM);
        this.code = new Coding(CODE_SYSTEM, CODE, concept(issues, CODE).getDisplay());
        CodeSystem decisions = codeSystem(knowledge, ContradictionRule.EARLIER_DECISION_SYSTEM);
        for (String earlierCode : EARLIER_CODES) {
            CodeSystem.ConceptDefinitionComponent concept = concept(decisions, earlierCode);
            earlier.put(earlierCode, new Coding(decisions.getUrl(), earlierCode, concept.getDisplay()));
            String template = concept.getProperty().stream()
                    .filter(p -> TEMPLATE_PROPERTY.equals(p.getCode()) && p.hasValueStringType())
                    .map(p -> p.getValueStringType().getValue())
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException(
                            earlierCode + " has no " + TEMPLATE_PROPERTY + " in " + decisions.getUrl()));
            templates.put(earlierCode, template);
        }
        codeSystem(knowledge, STATUS_SYSTEM)
                .getConcept()
                .forEach(c -> statuses.put(c.getCode(), new Coding(STATUS_SYSTEM, c.getCode(), c.getDisplay())));
        for (RasStatus status : RasStatus.values()) {
            concept(codeSystem(knowledge, STATUS_SYSTEM), status.code());
        }
        codeSystem(knowledge, UnknownReason.SYSTEM).getConcept().forEach(c -> reasons.put(c.getCode(), c.getDisplay()));
        codeSystem(knowledge, TOPIC_SYSTEM)
                .getConcept()
                .forEach(c -> topics.put(c.getCode(), new Coding(TOPIC_SYSTEM, c.getCode(), c.getDisplay())));
        for (org.rasguard.knowledge.AntiEgfrDrug drug : org.rasguard.knowledge.AntiEgfrDrug.values()) {
            String title = knowledge
                    .valueSet(drug.valueSetUrl())
                    .map(vs -> vs.getTitle())
                    .orElseThrow(() -> new IllegalStateException(
                            "ValueSet " + drug.valueSetUrl() + " is not in the knowledge package"));
            drugs.put(drug.name().toLowerCase(java.util.Locale.ROOT), title);
        }
    }

    /**
     * @param patientId our store's Patient id the new result is about
     * @param earlierCode the contradicted decision ({@link ContradictionRule#contradicted})
     * @param now the status now, and the assessment it came from
     */
    DetectedIssue issue(
            String patientId,
            DecisionHistory.OrderDecision order,
            String earlierCode,
            ContradictionRule.Now now,
            RasAssessment assessment,
            Instant detected) {
        DetectedIssue issue = new DetectedIssue();
        issue.setStatus(DetectedIssue.DetectedIssueStatus.FINAL);
        issue.getCode().addCoding(code.copy());
        issue.setSeverity(DetectedIssue.DetectedIssueSeverity.HIGH);
        issue.setPatient(new Reference("Patient/" + patientId));
        issue.setIdentified(new org.hl7.fhir.r4.model.DateTimeType(Date.from(detected)));
        issue.addIdentifier(new Identifier()
                .setSystem(ISSUE_SYSTEM)
                .setValue(identifierValue(order.hookInstance(), order.order(), now)));
        issue.addIdentifier(new Identifier().setSystem(HOOK_INSTANCE_SYSTEM).setValue(order.hookInstance()));
        String drug = drugs.getOrDefault(order.drug(), order.drug() == null ? "The anti-EGFR antibody" : order.drug());
        issue.addImplicated(new Reference()
                .setIdentifier(new Identifier().setSystem(ORDER_SYSTEM).setValue(ehrOrderId(order.order())))
                .setDisplay(drug));

        DetectedIssue.DetectedIssueEvidenceComponent before = issue.addEvidence();
        before.addCode().addCoding(earlier.get(earlierCode).copy());
        if (order.cardTopic() != null && topics.containsKey(order.cardTopic())) {
            before.getCodeFirstRep().addCoding(topics.get(order.cardTopic()).copy());
        }
        DetectedIssue.DetectedIssueEvidenceComponent after = issue.addEvidence();
        after.addCode().addCoding(statuses.get(now.status().code()).copy());
        evidence(assessment).forEach(reference -> after.addDetail(new Reference(reference)));
        if (order.cardUuid() != null) {
            issue.addExtension(EARLIER_CARD, new StringType(order.cardUuid()));
        }
        issue.setDetail(detail(
                earlierCode,
                drug,
                order.decided(),
                finding(assessment),
                statuses.get(now.status().code()).getDisplay()));
        return issue;
    }

    /**
     * {@code sha256(hookInstance | order | status key)} in hex: the same on every replica and after every
     * restart, so a conditional create on it stores the issue once per order and change. Not our Patient's
     * id: a person with two records in our store (the same MRN posted twice) gets one issue per order, not
     * one per record (an outside attack found two identical critical cards).
     */
    static String identifierValue(String hookInstance, String order, ContradictionRule.Now now) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] hash = sha.digest((hookInstance + "|" + order + "|" + now.key()).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JVM has SHA-256
        }
    }

    /** {@code MedicationRequest/mr-1} is the EHR's id {@code mr-1}; a fullUrl ({@code urn:uuid:…}) stays as it was sent. */
    static String ehrOrderId(String order) {
        return order.startsWith("MedicationRequest/") ? order.substring("MedicationRequest/".length()) : order;
    }

    /** Our own results the new status rests on ({@code Observation/12}, a report or a stored Bundle), mutations first. */
    private static Set<String> evidence(RasAssessment assessment) {
        Set<String> references = new LinkedHashSet<>();
        assessment.variants().stream()
                .map(v -> v.evidence())
                .filter(LateResultIssues::ours)
                .forEach(references::add);
        assessment.evidence().stream()
                .map(item -> item.reference())
                .filter(LateResultIssues::ours)
                .forEach(references::add);
        return references;
    }

    private static boolean ours(String reference) {
        return reference != null
                && reference.matches("(Observation|DiagnosticReport|Specimen|Bundle)/[A-Za-z0-9\\-.]{1,64}");
    }

    private String finding(RasAssessment assessment) {
        if (assessment.status() == RasStatus.MUTATED) {
            return mutationNames.apply(assessment);
        }
        if (assessment.status() == RasStatus.UNKNOWN) {
            String why = assessment.reasons().stream()
                    .map(reason -> reasons.getOrDefault(reason.code(), reason.code()))
                    .collect(Collectors.joining(", "));
            return statuses.get(RasStatus.UNKNOWN.code()).getDisplay() + (why.isEmpty() ? "" : " (" + why + ")");
        }
        return statuses.get(assessment.status().code()).getDisplay();
    }

    private String detail(String earlierCode, String drug, Instant decided, String finding, String status) {
        String lower = drug.toLowerCase(java.util.Locale.ROOT);
        return templates
                .get(earlierCode)
                .replace("{Drug}", Character.toUpperCase(drug.charAt(0)) + drug.substring(1))
                .replace("{drug}", lower)
                .replace(
                        "{decided}",
                        decided.atOffset(ZoneOffset.UTC).toLocalDate().toString())
                .replace("{finding}", finding)
                .replace("{status}", status);
    }

    private static CodeSystem codeSystem(KnowledgeBase knowledge, String url) {
        return knowledge
                .codeSystem(url)
                .orElseThrow(() -> new IllegalStateException("CodeSystem " + url + " is not in the knowledge package"));
    }

    private static CodeSystem.ConceptDefinitionComponent concept(CodeSystem codeSystem, String code) {
        return codeSystem.getConcept().stream()
                .filter(c -> code.equals(c.getCode()) && c.hasDisplay())
                .findFirst()
                .orElseThrow(() ->
                        new IllegalStateException(codeSystem.getUrl() + " has no concept with a display for " + code));
    }
}
