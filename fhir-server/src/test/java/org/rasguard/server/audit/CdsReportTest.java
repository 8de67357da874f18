package org.rasguard.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Parameters;
import org.junit.jupiter.api.Test;
import org.rasguard.decision.CardKind;
import org.rasguard.server.audit.AuditRecords.CardRecord;
import org.rasguard.server.audit.AuditRecords.DecisionRecord;
import org.rasguard.server.audit.AuditRecords.FeedbackRecord;
import org.rasguard.server.audit.AuditRecords.Reason;

class CdsReportTest {

    private static final Instant T0 = Instant.parse("2026-03-01T08:00:00Z");
    private static final Reason TRIAL =
            new Reason("http://rasguard.org/fhir/CodeSystem/cds-override-reason", "clinical-trial", "Trial");

    @Test
    void percentilesAreNearestRankSoEachIsATimeSomeCallTook() {
        assertThat(CdsReport.percentile(List.of(), 0.5)).isNull();
        assertThat(CdsReport.percentile(List.of(7.0), 0.95)).isEqualTo(7.0);
        // n = 4: median is rank ceil(2) = 2, p95 rank ceil(3.8) = 4
        assertThat(CdsReport.percentile(List.of(40.0, 10.0, 30.0, 20.0), 0.5)).isEqualTo(20.0);
        assertThat(CdsReport.percentile(List.of(40.0, 10.0, 30.0, 20.0), 0.95)).isEqualTo(40.0);
        // n = 20 (1..20): p95 rank 19, median rank 10
        List<Double> twenty = java.util.stream.IntStream.rangeClosed(1, 20)
                .mapToObj(i -> (double) i)
                .toList();
        assertThat(CdsReport.percentile(twenty, 0.95)).isEqualTo(19.0);
        assertThat(CdsReport.percentile(twenty, 0.5)).isEqualTo(10.0);
        // n = 21: p95 rank ceil(19.95) = 20
        List<Double> twentyOne = java.util.stream.IntStream.rangeClosed(1, 21)
                .mapToObj(i -> (double) i)
                .toList();
        assertThat(CdsReport.percentile(twentyOne, 0.95)).isEqualTo(20.0);
        assertThat(CdsReport.percentile(twentyOne, 0.5)).isEqualTo(11.0);
    }

    @Test
    void countsShownAcceptedOverriddenAndUnansweredPerCardKind() {
        List<DecisionRecord> decisions = List.of(
                decision("h1", 10, card("c1", "RasMutant", "critical")),
                decision("h2", 30, card("c2", "RasMutant", "critical"), card("c3", "RasUnknown", "warning")),
                decision("h3", 20, card("c4", "RasUnknown", "warning")),
                decision("h4", 5)); // no card: counts in the overall times only
        List<FeedbackRecord> feedback = List.of(
                feedback("c1", "overridden", TRIAL, 1),
                feedback("c2", "accepted", null, 2),
                feedback("c3", "overridden", null, 3),
                feedback("c9", "accepted", null, 4)); // a card outside the window: ignored
        CdsReport report = CdsReport.compute(T0, T0.plusSeconds(3600), decisions, feedback);

        assertThat(report.decisions()).isEqualTo(4);
        CdsReport.KindFigures mutant = figures(report, CardKind.RAS_MUTANT);
        assertThat(List.of(mutant.shown(), mutant.accepted(), mutant.overridden(), mutant.noFeedback()))
                .containsExactly(2, 1, 1, 0);
        assertThat(mutant.overrideReasons()).isEqualTo(Map.of(TRIAL, 1));
        assertThat(mutant.medianMs()).isEqualTo(10.0);
        assertThat(mutant.p95Ms()).isEqualTo(30.0);
        CdsReport.KindFigures unknown = figures(report, CardKind.RAS_UNKNOWN);
        assertThat(List.of(unknown.shown(), unknown.accepted(), unknown.overridden(), unknown.noFeedback()))
                .containsExactly(2, 0, 1, 1);
        assertThat(unknown.overrideReasons()).containsOnlyKeys(new Reason(null, "(none)", "No reason given"));
        CdsReport.KindFigures combination = figures(report, CardKind.G12C_APPROVED_COMBINATION);
        assertThat(combination.shown()).isZero();
        assertThat(combination.medianMs()).isNull();
    }

    @Test
    void theLastFeedbackReceivedForACardCounts() {
        List<DecisionRecord> decisions = List.of(decision("h1", 10, card("c1", "RasMutant", "critical")));
        List<FeedbackRecord> feedback =
                List.of(feedback("c1", "accepted", null, 9), feedback("c1", "overridden", TRIAL, 2));
        CdsReport.KindFigures mutant =
                figures(CdsReport.compute(T0, T0.plusSeconds(60), decisions, feedback), CardKind.RAS_MUTANT);
        assertThat(mutant.accepted()).isEqualTo(1);
        assertThat(mutant.overridden()).isZero();
    }

    @Test
    void parametersListEveryCardKindAndHtmlEscapesWhatItShows() {
        Reason hostile = new Reason("urn:x", "<script>", "a & \"b\"");
        CdsReport report = CdsReport.compute(
                T0,
                T0.plusSeconds(60),
                List.of(decision("h1", 10, card("c1", "RasMutant", "critical"))),
                List.of(feedback("c1", "overridden", hostile, 1)));
        Parameters parameters = report.toParameters();
        assertThat(parameters.getParameter().stream().filter(p -> p.getName().equals("cardKind")))
                .hasSize(CardKind.values().length);
        assertThat(parameters.getParameter().stream()
                        .filter(p -> p.getName().equals("decisions"))
                        .findFirst()
                        .orElseThrow()
                        .getValue()
                        .primitiveValue())
                .isEqualTo("1");
        String html = report.toHtml();
        assertThat(html).doesNotContain("<script>").contains("&lt;script&gt;", "a &amp; &quot;b&quot;");
    }

    private static CdsReport.KindFigures figures(CdsReport report, CardKind kind) {
        return report.kinds().stream().filter(f -> f.kind() == kind).findFirst().orElseThrow();
    }

    private static DecisionRecord decision(String hookInstance, double ms, CardRecord... cards) {
        return new DecisionRecord(hookInstance, T0.plusSeconds(1), ms, "mutated", List.of(cards));
    }

    private static CardRecord card(String uuid, String topic, String indicator) {
        return new CardRecord(uuid, topic, indicator);
    }

    private static FeedbackRecord feedback(String card, String outcome, Reason reason, int secondsAfter) {
        return new FeedbackRecord(card, outcome, reason, null, T0.plusSeconds(100 + secondsAfter));
    }
}
