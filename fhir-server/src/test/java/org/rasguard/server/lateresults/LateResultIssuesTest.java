package org.rasguard.server.lateresults;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.DetectedIssue;
import org.junit.jupiter.api.Test;
import org.rasguard.knowledge.KnowledgeBase;
import org.rasguard.ras.EvidenceCall;
import org.rasguard.ras.Gene;
import org.rasguard.ras.RasAssessment;
import org.rasguard.ras.RasStatus;
import org.rasguard.ras.UnknownReason;
import org.rasguard.ras.VariantFinding;

/** The DetectedIssue layout (README, Late results) from the real knowledge package, without a server. */
class LateResultIssuesTest {

    private static final LateResultIssues ISSUES =
            new LateResultIssues(KnowledgeBase.loadFromClasspath(FhirContext.forR4Cached()));
    private static final Instant DECIDED = Instant.parse("2026-11-02T09:30:00Z");

    private static final String HOOK = "2f0c7f0e-8f5a-4a59-9d3f-0c8b4c7a1b22";
    private static final String OTHER_HOOK = "5b1e2c3d-4f5a-4b6c-8d7e-9f0a1b2c3d4e";

    private static DecisionHistory.OrderDecision order(String topic) {
        return new DecisionHistory.OrderDecision(
                HOOK,
                DECIDED,
                "MedicationRequest/mr-7",
                "panitumumab",
                topic == null ? null : "9a1c2b3d-0000-4000-8000-000000000001",
                topic,
                new ContradictionRule.Earlier("unknown", false, topic, "overridden", "result-under-review"));
    }

    private static RasAssessment mutated(String hgvs) {
        return new RasAssessment(
                RasStatus.MUTATED,
                List.of(),
                Map.of(),
                List.of(new VariantFinding(Gene.KRAS, hgvs, 12, false, EvidenceCall.MUTATED, "Observation/41")),
                false,
                false,
                List.of(),
                List.of());
    }

    @Test
    void anOverriddenWarningNowMutatedReadsAsTheContractSays() {
        ContradictionRule.Now now = new ContradictionRule.Now(RasStatus.MUTATED, false);
        DetectedIssue issue = ISSUES.issue(
                "12",
                order("RasUnknown"),
                "unknown-overridden",
                now,
                mutated("NP_004976.2:p.(Gly12Asp)"),
                Instant.parse("2026-12-01T08:00:00Z"));
        assertThat(issue.getStatus()).isEqualTo(DetectedIssue.DetectedIssueStatus.FINAL);
        assertThat(issue.getSeverity()).isEqualTo(DetectedIssue.DetectedIssueSeverity.HIGH);
        assertThat(issue.getCode().getCodingFirstRep().getCode()).isEqualTo("late-ras-result");
        assertThat(issue.getCode().getCodingFirstRep().getDisplay()).isNotBlank();
        assertThat(issue.getPatient().getReference()).isEqualTo("Patient/12");
        assertThat(issue.getIdentifier().get(0).getValue())
                .isEqualTo(LateResultIssues.identifierValue(HOOK, "MedicationRequest/mr-7", now));
        assertThat(issue.getIdentifier().get(1).getValue()).isEqualTo("2f0c7f0e-8f5a-4a59-9d3f-0c8b4c7a1b22");
        assertThat(issue.getImplicatedFirstRep().getIdentifier().getValue()).isEqualTo("mr-7");
        assertThat(issue.getImplicatedFirstRep().getDisplay()).isEqualTo("Panitumumab");
        assertThat(issue.getEvidence().get(0).getCodeFirstRep().getCoding())
                .extracting(c -> c.getSystem() + "|" + c.getCode())
                .containsExactly(
                        ContradictionRule.EARLIER_DECISION_SYSTEM + "|unknown-overridden",
                        "http://rasguard.org/fhir/CodeSystem/cds-card-topic|RasUnknown");
        assertThat(issue.getEvidence().get(1).getDetailFirstRep().getReference())
                .isEqualTo("Observation/41");
        assertThat(issue.getDetail())
                .isEqualTo(
                        "Panitumumab was ordered on 2026-11-02 while the RAS status was unknown, and the RAS Guard"
                                + " warning was overridden. A RAS result stored since then shows KRAS p.G12D (RAS status now: RAS mutated). Anti-EGFR"
                                + " antibodies do not work in RAS-mutant colorectal cancer and their labels exclude it: stop the panitumumab order, or review it.");
        assertThat(issue.hasMitigation()).isFalse();
    }

    @Test
    void aReChallengeWarningNowMutatedSaysTheOrderWasARechallengeOnAnOldWildTypeResult() {
        DecisionHistory.OrderDecision order = new DecisionHistory.OrderDecision(
                "h-rc",
                DECIDED,
                "MedicationRequest/mr-9",
                "cetuximab",
                "9a1c2b3d-0000-4000-8000-000000000002",
                "RasRechallenge",
                new ContradictionRule.Earlier(
                        "wild-type", false, "RasRechallenge", "overridden", "result-under-review"));
        DetectedIssue issue = ISSUES.issue(
                "12",
                order,
                "rechallenge-warned",
                new ContradictionRule.Now(RasStatus.MUTATED, false),
                mutated("NP_004976.2:p.(Gly12Asp)"),
                Instant.parse("2026-12-01T08:00:00Z"));
        assertThat(issue.getEvidence().get(0).getCodeFirstRep().getCoding())
                .extracting(c -> c.getSystem() + "|" + c.getCode())
                .containsExactly(
                        ContradictionRule.EARLIER_DECISION_SYSTEM + "|rechallenge-warned",
                        "http://rasguard.org/fhir/CodeSystem/cds-card-topic|RasRechallenge");
        assertThat(issue.getEvidence()
                        .get(0)
                        .getCodeFirstRep()
                        .getCodingFirstRep()
                        .getDisplay())
                .isEqualTo("Re-challenge warning on a RAS wild-type result from before the earlier course");
        assertThat(issue.getDetail())
                .isEqualTo(
                        "Cetuximab was ordered on 2026-11-02 as an anti-EGFR re-challenge on a RAS wild-type"
                                + " result from before the earlier anti-EGFR course; RAS Guard warned and asked for plasma (ctDNA) RAS testing first. A RAS"
                                + " result stored since then shows KRAS p.G12D (RAS status now: RAS mutated). Re-challenge benefit was seen only with RAS"
                                + " wild-type ctDNA, and the labels exclude RAS-mutant colorectal cancer: if the cetuximab order stands, stop it, or review it.");
        assertThat(issue.getExtensionByUrl(LateResultIssues.EARLIER_CARD)
                        .getValue()
                        .primitiveValue())
                .isEqualTo("9a1c2b3d-0000-4000-8000-000000000002");
    }

    @Test
    void theIdentifierIsTheSameForTheSameOrderAndChangeAndDiffersOtherwise() {
        // Not our Patient's id: two records of one person (the same MRN posted twice) share the order's one issue.
        ContradictionRule.Now mutated = new ContradictionRule.Now(RasStatus.MUTATED, false);
        String one = LateResultIssues.identifierValue(HOOK, "MedicationRequest/mr-7", mutated);
        assertThat(LateResultIssues.identifierValue(HOOK, "MedicationRequest/mr-7", mutated))
                .isEqualTo(one)
                .matches("[0-9a-f]{64}");
        assertThat(LateResultIssues.identifierValue(OTHER_HOOK, "MedicationRequest/mr-7", mutated))
                .isNotEqualTo(one);
        assertThat(LateResultIssues.identifierValue(HOOK, "MedicationRequest/mr-8", mutated))
                .isNotEqualTo(one);
        assertThat(LateResultIssues.identifierValue(
                        HOOK, "MedicationRequest/mr-7", new ContradictionRule.Now(RasStatus.UNKNOWN, false)))
                .isNotEqualTo(one);
    }

    @Test
    void anUnknownStatusNamesWhyAndAnOrderWithoutIdStaysAsSent() {
        RasAssessment unknown = new RasAssessment(
                RasStatus.UNKNOWN,
                List.of(UnknownReason.KRAS_ONLY),
                Map.of(),
                List.of(),
                false,
                false,
                List.of(),
                List.of());
        DecisionHistory.OrderDecision order = new DecisionHistory.OrderDecision(
                "h",
                DECIDED,
                "urn:uuid:5b0d",
                "cetuximab",
                null,
                null,
                new ContradictionRule.Earlier("wild-type", false, null, null, null));
        DetectedIssue issue = ISSUES.issue(
                "12",
                order,
                "wild-type-no-card",
                new ContradictionRule.Now(RasStatus.UNKNOWN, false),
                unknown,
                DECIDED);
        assertThat(issue.getDetail())
                .startsWith("Cetuximab was ordered on 2026-11-02 on a RAS wild-type result")
                .contains("RAS status unknown (KRAS only)");
        assertThat(issue.getImplicatedFirstRep().getIdentifier().getValue()).isEqualTo("urn:uuid:5b0d");
        assertThat(issue.getExtension()).isEmpty(); // no card: no earlier-card extension
        assertThat(issue.getEvidence().get(0).getCodeFirstRep().getCoding()).hasSize(1);
    }
}
