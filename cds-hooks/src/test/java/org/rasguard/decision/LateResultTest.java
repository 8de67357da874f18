package org.rasguard.decision;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DetectedIssue;
import org.junit.jupiter.api.Test;

/** Which late-result DetectedIssues are still open: only one of our mitigations closes one (fail safe). */
class LateResultTest {

    private static DetectedIssue ours(String id) {
        DetectedIssue issue = new DetectedIssue();
        issue.setId(id);
        issue.setStatus(DetectedIssue.DetectedIssueStatus.FINAL);
        issue.setCode(new CodeableConcept(new Coding(LateResult.CODE_SYSTEM, LateResult.CODE, null)));
        return issue;
    }

    @Test
    void ourMitigationClosesItAndOneWithoutACodeDoesNot() {
        DetectedIssue stopped = ours("stopped");
        stopped.addMitigation()
                .setAction(
                        new CodeableConcept(new Coding(LateResult.MITIGATION_SYSTEM, LateResult.ORDER_STOPPED, null)));
        DetectedIssue codeless = ours("codeless");
        codeless.addMitigation().setAction(new CodeableConcept(new Coding().setSystem(LateResult.MITIGATION_SYSTEM)));

        assertThat(LateResult.open(List.of(stopped, codeless)))
                .extracting(LateResult::issueId)
                .containsExactly("codeless");
    }
}
