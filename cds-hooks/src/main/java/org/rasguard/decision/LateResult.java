package org.rasguard.decision;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DetectedIssue;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;

/**
 * An open late-result DetectedIssue of our store, as the patient-view card needs it. The contract
 * (issue 18): {@code code} {@value #CODE_SYSTEM}|{@value #CODE}; {@code implicated} names the EHR's
 * MedicationRequest by identifier ({@value #ORDER_SYSTEM}) with the drug as display;
 * {@code evidence.detail} references the new Observations; open while it has no {@code mitigation}
 * whose action is one of {@value #MITIGATION_SYSTEM}.
 *
 * @param issueId our DetectedIssue id (without type)
 * @param drug the implicated order's display (the drug), or null
 * @param order the EHR's MedicationRequest id, or null
 * @param evidence the new results, as {@code Observation/id} references of our store
 * @param detail the DetectedIssue's plain-language detail, or null
 * @param identified when it was raised, or null
 */
public record LateResult(
        String issueId, String drug, String order, List<String> evidence, String detail, Instant identified) {

    public static final String CODE_SYSTEM = "http://rasguard.org/fhir/CodeSystem/ras-detected-issue";
    public static final String CODE = "late-ras-result";
    public static final String ORDER_SYSTEM = "http://rasguard.org/fhir/sid/ehr-medication-request";
    public static final String MITIGATION_SYSTEM = "http://rasguard.org/fhir/CodeSystem/late-result-mitigation";
    public static final String ORDER_STOPPED = "order-stopped";
    public static final String ORDER_REVIEWED = "order-reviewed";
    public static final Set<String> MITIGATIONS = Set.of(ORDER_STOPPED, ORDER_REVIEWED);

    public LateResult {
        evidence = List.copyOf(evidence);
    }

    /**
     * The open late results among these DetectedIssues, oldest first. A DetectedIssue that is not ours
     * (another code), entered in error or cancelled, or already mitigated is left out; one that is ours
     * but odd (no order identifier, no evidence) is still shown: a critical finding is never dropped for
     * its form.
     */
    public static List<LateResult> open(List<DetectedIssue> issues) {
        List<LateResult> out = new ArrayList<>();
        for (DetectedIssue issue : issues) {
            if (!isOurs(issue) || !counts(issue) || mitigated(issue)) {
                continue;
            }
            Reference implicated = issue.getImplicated().stream()
                    .filter(r -> orderId(r) != null)
                    .findFirst()
                    .orElse(
                            issue.getImplicated().isEmpty()
                                    ? null
                                    : issue.getImplicated().get(0));
            List<String> evidence = new ArrayList<>();
            for (DetectedIssue.DetectedIssueEvidenceComponent item : issue.getEvidence()) {
                for (Reference detail : item.getDetail()) {
                    if (detail.hasReference()) {
                        evidence.add(detail.getReference());
                    }
                }
            }
            Instant identified = issue.hasIdentifiedDateTimeType()
                            && issue.getIdentifiedDateTimeType().getValue() != null
                    ? issue.getIdentifiedDateTimeType().getValue().toInstant()
                    : null;
            out.add(new LateResult(
                    issue.getIdElement().getIdPart(),
                    implicated != null && implicated.hasDisplay() ? implicated.getDisplay() : null,
                    implicated == null ? null : orderId(implicated),
                    evidence,
                    issue.hasDetail() ? issue.getDetail() : null,
                    identified));
        }
        out.sort(java.util.Comparator.comparing(
                LateResult::identified, java.util.Comparator.nullsFirst(java.util.Comparator.naturalOrder())));
        return out;
    }

    private static boolean isOurs(DetectedIssue issue) {
        return issue.getCode().getCoding().stream()
                .anyMatch(c -> CODE_SYSTEM.equals(c.getSystem()) && CODE.equals(c.getCode()));
    }

    private static boolean counts(DetectedIssue issue) {
        return issue.getStatus() != DetectedIssue.DetectedIssueStatus.ENTEREDINERROR
                && issue.getStatus() != DetectedIssue.DetectedIssueStatus.CANCELLED;
    }

    /** Closed by a mitigation whose action is one of ours; any other mitigation leaves it open (fail safe). */
    static boolean mitigated(DetectedIssue issue) {
        for (DetectedIssue.DetectedIssueMitigationComponent mitigation : issue.getMitigation()) {
            for (Coding action : mitigation.getAction().getCoding()) {
                if (MITIGATION_SYSTEM.equals(action.getSystem())
                        && action.hasCode()
                        && MITIGATIONS.contains(action.getCode())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String orderId(Reference reference) {
        Identifier identifier = reference.getIdentifier();
        return identifier != null && ORDER_SYSTEM.equals(identifier.getSystem()) && identifier.hasValue()
                ? identifier.getValue()
                : null;
    }
}
