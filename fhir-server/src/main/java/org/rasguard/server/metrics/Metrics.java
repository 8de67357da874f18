package org.rasguard.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.rasguard.cdshooks.Decision;
import org.rasguard.cdshooks.FeedbackItem;

/**
 * The server's metrics, served at {@code /metrics} in the Prometheus text format. Tags carry only
 * bounded values (normalised routes, hooks, codes): never an id, a patient or a token.
 *
 * <ul>
 *   <li>{@code http_server_requests_seconds{method,uri,status}}: every request, a histogram;
 *   <li>{@code rasguard_cds_decision_seconds{hook}}: time to decide a CDS call, a histogram;
 *   <li>{@code rasguard_cds_decisions_total{hook,verdict,indicator}}: one per decided call; verdict is the
 *       RAS status, {@code not-assessed} or {@code error}; indicator the most severe card's or {@code none};
 *   <li>{@code rasguard_cds_cards_total{topic,indicator}} and {@code rasguard_cds_feedback_total{topic,outcome}};
 *   <li>{@code rasguard_audit_events_total{result}}, {@code rasguard_audit_queue_events},
 *       {@code rasguard_audit_enqueue_seconds} (what auditing costs the clinician's call);
 *   <li>{@code rasguard_ingest_resources_total{type,operation}}, {@code rasguard_ingest_validation_warnings_total};
 *   <li>JVM (memory, GC, threads, CPU, classes, uptime) and the HikariCP pool ({@code hikaricp_*}).
 * </ul>
 */
public final class Metrics implements AutoCloseable {

    private static final java.util.Set<String> METHODS =
            java.util.Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();

    public Metrics() {
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** The Prometheus text exposition of every meter. */
    public String scrape() {
        return registry.scrape();
    }

    /** The method as a label or log word: one of the HTTP methods served, else {@code OTHER}. */
    public static String knownMethod(String method) {
        return METHODS.contains(method) ? method : "OTHER";
    }

    /**
     * One HTTP request; {@code uri} must already be normalised ({@link Routes}). A refused request
     * (401, 403, 421, 429: turned away before being served) is counted under the route {@code {other}}
     * whatever it asked for, so that unauthenticated callers cannot add series (issue 16, row 6).
     */
    public void request(String method, String uri, int status, long nanos) {
        String route = status == 401 || status == 403 || status == 421 || status == 429 ? Routes.OTHER : uri;
        Timer.builder("http.server.requests")
                .description("HTTP requests by normalised route")
                .tags("method", knownMethod(method), "uri", route, "status", String.valueOf(status))
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** One decided CDS call. */
    public void decision(Decision decision) {
        String hook = decision.hook().id();
        Timer.builder("rasguard.cds.decision")
                .description("Time to decide a CDS Hooks call, from reading the request to the response")
                .tags("hook", hook)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry)
                .record(decision.durationNanos(), TimeUnit.NANOSECONDS);
        Counter.builder("rasguard.cds.decisions")
                .description("CDS Hooks calls decided, by RAS verdict and most severe card")
                .tags("hook", hook, "verdict", decision.verdictCode(), "indicator", decision.indicator())
                .register(registry)
                .increment();
        for (Decision.Card card : decision.cards()) {
            Counter.builder("rasguard.cds.cards")
                    .description("CDS cards returned")
                    .tags(
                            "topic",
                            card.kind().topicCode(),
                            "indicator",
                            card.kind().indicator())
                    .register(registry)
                    .increment();
        }
    }

    /** Feedback items stored. */
    public void feedback(List<FeedbackItem> items) {
        for (FeedbackItem item : items) {
            Counter.builder("rasguard.cds.feedback")
                    .description("CDS card feedback stored")
                    .tags("topic", item.topicCode() == null ? "unknown" : item.topicCode(), "outcome", item.outcome())
                    .register(registry)
                    .increment();
        }
    }

    /** AuditEvents written, dropped (queue full) or failed (the store refused them). */
    public void auditEvents(String result, int count) {
        Counter.builder("rasguard.audit.events")
                .description("CDS decision AuditEvents by what became of them")
                .tags("result", result)
                .register(registry)
                .increment(count);
    }

    /** Time the answering thread spent handing a decision to the audit trail. */
    public Timer auditEnqueue() {
        return Timer.builder("rasguard.audit.enqueue")
                .description("Time a CDS call spends handing its decision to the audit writer")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(1_000))
                .maximumExpectedValue(Duration.ofMillis(100))
                .register(registry);
    }

    /** Resources created or updated through the FHIR API (not the server's own writes). */
    public void ingested(String type, String operation) {
        Counter.builder("rasguard.ingest.resources")
                .description("Resources stored through the FHIR API")
                .tags("type", type, "operation", operation)
                .register(registry)
                .increment();
    }

    /** Validation warnings reported on an ingest response. */
    /** Late-result checks by what became of them: {@code created}, {@code existing}, {@code dropped}, {@code failed}. */
    public void lateResults(String result, int count) {
        Counter.builder("rasguard.late.results")
                .description("Late RAS result checks and DetectedIssues, by outcome")
                .tag("result", result)
                .register(registry)
                .increment(count);
    }

    public void validationWarnings(int count) {
        Counter.builder("rasguard.ingest.validation.warnings")
                .description("Validation warnings reported to clients on ingest")
                .register(registry)
                .increment(count);
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
