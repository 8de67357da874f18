package org.rasguard.server.audit;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;
import org.rasguard.decision.CardKind;
import org.rasguard.server.audit.AuditRecords.CardRecord;
import org.rasguard.server.audit.AuditRecords.DecisionRecord;
import org.rasguard.server.audit.AuditRecords.FeedbackRecord;
import org.rasguard.server.audit.AuditRecords.Reason;

/**
 * Override analytics over a time window: for the decisions recorded in it, per card kind, how many
 * cards were shown, accepted, overridden and left without feedback, the override reasons with their
 * counts, and the median and 95th percentile decision time.
 *
 * <p>Counting rules: a card counts in the window its decision was recorded in, whenever its feedback
 * came; when a card got feedback more than once, the last one received counts (the earlier ones stay in
 * the audit trail as history; the report gives their number as {@code feedbackSuperseded} and the rule
 * as {@code feedbackCounted = latest}). Percentiles are
 * nearest-rank (the value at rank ⌈p·n⌉ of the sorted times), so every figure is a time some call
 * really took.
 */
public final class CdsReport {

    /** One card kind's figures. */
    public record KindFigures(
            CardKind kind,
            int shown,
            int accepted,
            int overridden,
            int noFeedback,
            Map<Reason, Integer> overrideReasons,
            Double medianMs,
            Double p95Ms) {}

    private final Instant start;
    private final Instant end;
    private final int decisions;
    private final Double medianMs;
    private final Double p95Ms;
    private final List<KindFigures> kinds;
    private final int feedbackSuperseded;

    private CdsReport(
            Instant start,
            Instant end,
            int decisions,
            Double medianMs,
            Double p95Ms,
            List<KindFigures> kinds,
            int feedbackSuperseded) {
        this.feedbackSuperseded = feedbackSuperseded;
        this.start = start;
        this.end = end;
        this.decisions = decisions;
        this.medianMs = medianMs;
        this.p95Ms = p95Ms;
        this.kinds = List.copyOf(kinds);
    }

    /**
     * @param decisions the decisions recorded in [start, end)
     * @param feedback feedback received since start (feedback on cards outside the window is ignored)
     */
    static CdsReport compute(
            Instant start, Instant end, List<DecisionRecord> decisions, List<FeedbackRecord> feedback) {
        Map<String, FeedbackRecord> last = new LinkedHashMap<>();
        feedback.stream()
                .sorted(Comparator.comparing(
                        FeedbackRecord::recorded, Comparator.nullsFirst(Comparator.naturalOrder())))
                .forEach(item -> last.put(item.cardUuid(), item));

        List<KindFigures> kinds = new ArrayList<>();
        for (CardKind kind : CardKind.values()) {
            int shown = 0;
            int accepted = 0;
            int overridden = 0;
            Map<Reason, Integer> reasons = new LinkedHashMap<>();
            List<Double> times = new ArrayList<>();
            for (DecisionRecord decision : decisions) {
                boolean showed = false;
                for (CardRecord card : decision.cards()) {
                    if (!kind.topicCode().equals(card.topic())) {
                        continue;
                    }
                    showed = true;
                    shown++;
                    FeedbackRecord answer = last.get(card.uuid());
                    if (answer == null) {
                        continue;
                    }
                    if ("accepted".equals(answer.outcome())) {
                        accepted++;
                    } else if ("overridden".equals(answer.outcome())) {
                        overridden++;
                        Reason reason = answer.reason() == null
                                ? new Reason(null, "(none)", "No reason given")
                                : answer.reason();
                        reasons.merge(reason, 1, Integer::sum);
                    }
                }
                if (showed && !Double.isNaN(decision.durationMs())) {
                    times.add(decision.durationMs());
                }
            }
            kinds.add(new KindFigures(
                    kind,
                    shown,
                    accepted,
                    overridden,
                    shown - accepted - overridden,
                    reasons,
                    percentile(times, 0.5),
                    percentile(times, 0.95)));
        }
        List<Double> all = decisions.stream()
                .map(DecisionRecord::durationMs)
                .filter(ms -> !Double.isNaN(ms))
                .toList();
        java.util.Set<String> shownCards = new java.util.HashSet<>();
        decisions.forEach(decision -> decision.cards().forEach(card -> shownCards.add(card.uuid())));
        int superseded = (int) feedback.stream()
                        .filter(item -> shownCards.contains(item.cardUuid()))
                        .count()
                - (int) last.keySet().stream().filter(shownCards::contains).count();
        return new CdsReport(
                start, end, decisions.size(), percentile(all, 0.5), percentile(all, 0.95), kinds, superseded);
    }

    /** Nearest-rank percentile: the value at rank ⌈p·n⌉ (1-based) of the sorted values; null when there are none. */
    static Double percentile(List<Double> values, double p) {
        if (values.isEmpty()) {
            return null;
        }
        List<Double> sorted = values.stream().sorted().toList();
        int rank = (int) Math.ceil(p * sorted.size());
        return sorted.get(Math.min(sorted.size(), Math.max(1, rank)) - 1);
    }

    public int decisions() {
        return decisions;
    }

    public List<KindFigures> kinds() {
        return kinds;
    }

    /** Feedback items on the window's cards that a later item on the same card replaced. */
    public int feedbackSuperseded() {
        return feedbackSuperseded;
    }

    public Parameters toParameters() {
        Parameters parameters = new Parameters();
        parameters.addParameter().setName("start").setValue(dateTime(start));
        parameters.addParameter().setName("end").setValue(dateTime(end));
        parameters.addParameter().setName("decisions").setValue(new IntegerType(decisions));
        addMs(parameters.addParameter().setName("decisionMsMedian"), medianMs);
        addMs(parameters.addParameter().setName("decisionMsP95"), p95Ms);
        parameters.getParameter().removeIf(p -> !p.hasValue());
        // Which feedback counts when a card got more than one: the latest received; how many did not count.
        parameters.addParameter().setName("feedbackCounted").setValue(new org.hl7.fhir.r4.model.CodeType("latest"));
        parameters.addParameter().setName("feedbackSuperseded").setValue(new IntegerType(feedbackSuperseded));
        for (KindFigures figures : kinds) {
            ParametersParameterComponent kind = parameters.addParameter().setName("cardKind");
            kind.addPart()
                    .setName("topic")
                    .setValue(new Coding(
                            CardKind.TOPIC_SYSTEM,
                            figures.kind().topicCode(),
                            figures.kind().topicDisplay()));
            kind.addPart()
                    .setName("indicator")
                    .setValue(new org.hl7.fhir.r4.model.CodeType(figures.kind().indicator()));
            kind.addPart().setName("shown").setValue(new IntegerType(figures.shown()));
            kind.addPart().setName("accepted").setValue(new IntegerType(figures.accepted()));
            kind.addPart().setName("overridden").setValue(new IntegerType(figures.overridden()));
            kind.addPart().setName("noFeedback").setValue(new IntegerType(figures.noFeedback()));
            if (figures.medianMs() != null) {
                addMs(kind.addPart().setName("decisionMsMedian"), figures.medianMs());
                addMs(kind.addPart().setName("decisionMsP95"), figures.p95Ms());
            }
            figures.overrideReasons().forEach((reason, count) -> {
                ParametersParameterComponent part = kind.addPart().setName("overrideReason");
                part.addPart().setName("reason").setValue(new Coding(reason.system(), reason.code(), reason.display()));
                part.addPart().setName("count").setValue(new IntegerType(count));
            });
        }
        return parameters;
    }

    /** A small self-contained HTML page: one table of card kinds, one of override reasons; every value escaped. */
    public String toHtml() {
        StringBuilder html = new StringBuilder(2048);
        html.append(
                        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>RAS Guard: CDS card report</title>")
                .append(
                        "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:2em}")
                .append("th,td{border:1px solid #999;padding:.3em .6em}td.n{text-align:right}</style></head><body>")
                .append("<h1>CDS card report</h1><p>Decisions recorded from ")
                .append(escape(start.truncatedTo(ChronoUnit.MILLIS).toString()))
                .append(" to ")
                .append(escape(end.truncatedTo(ChronoUnit.MILLIS).toString()))
                .append(": ")
                .append(decisions)
                .append("; decision time median ")
                .append(ms(medianMs))
                .append(" ms, 95th percentile ")
                .append(ms(p95Ms))
                .append(" ms. A card with more than one")
                .append(" feedback counts its latest; ")
                .append(feedbackSuperseded)
                .append(" earlier feedback items were superseded.</p>")
                .append(
                        "<table><thead><tr><th>card</th><th>indicator</th><th>shown</th><th>accepted</th><th>overridden</th>")
                .append("<th>no feedback</th><th>median ms</th><th>p95 ms</th></tr></thead><tbody>");
        for (KindFigures figures : kinds) {
            html.append("<tr><td>")
                    .append(escape(figures.kind().topicDisplay()))
                    .append(" (")
                    .append(escape(figures.kind().topicCode()))
                    .append(")</td><td>")
                    .append(escape(figures.kind().indicator()))
                    .append("</td>")
                    .append(cell(figures.shown()))
                    .append(cell(figures.accepted()))
                    .append(cell(figures.overridden()))
                    .append(cell(figures.noFeedback()))
                    .append("<td class=\"n\">")
                    .append(ms(figures.medianMs()))
                    .append("</td><td class=\"n\">")
                    .append(ms(figures.p95Ms()))
                    .append("</td></tr>");
        }
        html.append(
                        "</tbody></table><h2>Override reasons</h2><table><thead><tr><th>card</th><th>reason</th><th>code</th>")
                .append("<th>count</th></tr></thead><tbody>");
        for (KindFigures figures : kinds) {
            figures.overrideReasons()
                    .forEach((reason, count) -> html.append("<tr><td>")
                            .append(escape(figures.kind().topicCode()))
                            .append("</td><td>")
                            .append(escape(reason.display() == null ? "" : reason.display()))
                            .append("</td><td>")
                            .append(escape(reason.code()))
                            .append("</td>")
                            .append(cell(count))
                            .append("</tr>"));
        }
        return html.append("</tbody></table></body></html>").toString();
    }

    private static String cell(int value) {
        return "<td class=\"n\">" + value + "</td>";
    }

    private static String ms(Double value) {
        return value == null
                ? "–"
                : BigDecimal.valueOf(value).setScale(1, RoundingMode.HALF_UP).toPlainString();
    }

    private static void addMs(ParametersParameterComponent parameter, Double ms) {
        if (ms != null) {
            parameter.setValue(new DecimalType(BigDecimal.valueOf(ms).setScale(3, RoundingMode.HALF_UP)));
        }
    }

    private static DateTimeType dateTime(Instant instant) {
        return new DateTimeType(Date.from(instant), TemporalPrecisionEnum.MILLI, java.util.TimeZone.getTimeZone("UTC"));
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
