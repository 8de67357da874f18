package org.rasguard.server.audit;

import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Meta;
import org.rasguard.cdshooks.Decision;
import org.rasguard.server.metrics.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Writes every CDS decision to the FHIR store as an AuditEvent ({@link DecisionAuditEvents}), off the
 * clinician's call: the answering thread only adds the decision to a bounded lock-free queue (one
 * compare-and-set and one enqueue, well under a microsecond; no lock it could wait on while the writer
 * holds it); one writer thread wakes every {@value #LINGER_MILLIS} ms, builds the AuditEvents and
 * stores up to {@value #BATCH} of them per transaction.
 *
 * <p>Policy:
 * <ul>
 *   <li>queue full ({@value #CAPACITY} decisions, minutes of peak traffic: the database is down or far
 *       too slow): the decision is dropped, counted ({@code rasguard_audit_events_total{result="dropped"}})
 *       and logged (the first, then every 1000th); the clinician's call is never held up;
 *   <li>a transaction the store refuses is retried twice (1 s, then 5 s later), then its decisions are
 *       counted as failed and logged by hookInstance;
 *   <li>shutdown ({@link #close()}, before the database closes): new decisions are refused, those
 *       queued are written, for up to {@value #FLUSH_SECONDS} s.
 * </ul>
 * A decision is not in the store the moment the call is answered; normally within milliseconds.
 */
public final class AuditTrail implements AutoCloseable {

    static final int CAPACITY = 10_000;
    static final int BATCH = 100;
    static final int FLUSH_SECONDS = 10;
    static final long LINGER_MILLIS = 50;
    private static final Logger LOG = LoggerFactory.getLogger(AuditTrail.class);
    private static final long[] RETRY_MILLIS = {1_000, 5_000};

    private final IFhirSystemDao<Bundle, Meta> system;
    private final Metrics metrics;
    private final Timer enqueue;
    private final Queue<Decision> queue;
    private final AtomicInteger size = new AtomicInteger();
    private final int capacity;
    private final Thread writer;
    private final AtomicLong dropped = new AtomicLong();
    /** Decisions queued so far, and those the writer is done with (stored or given up): FIFO, one writer. */
    private final AtomicLong queuedCount = new AtomicLong();

    private final AtomicLong doneCount = new AtomicLong();
    private volatile boolean accepting = true;

    public AuditTrail(IFhirSystemDao<Bundle, Meta> system, Metrics metrics) {
        this(system, metrics, CAPACITY);
    }

    /** {@code RASGUARD_AUDIT=off}: records nothing (only to measure what auditing costs). */
    public static AuditTrail off() {
        return new AuditTrail();
    }

    private AuditTrail() {
        this.system = null;
        this.metrics = null;
        this.enqueue = null;
        this.queue = null;
        this.capacity = 0;
        this.writer = null;
        this.accepting = false;
    }

    public boolean isOn() {
        return writer != null;
    }

    AuditTrail(IFhirSystemDao<Bundle, Meta> system, Metrics metrics, int capacity) {
        this.system = system;
        this.metrics = metrics;
        this.queue = new ConcurrentLinkedQueue<>();
        this.capacity = capacity;
        this.enqueue = metrics.auditEnqueue();
        Gauge.builder("rasguard.audit.queue", size, AtomicInteger::get)
                .description("CDS decisions waiting to be written as AuditEvents")
                .baseUnit("events")
                .register(metrics.registry());
        this.writer = new Thread(this::run, "rasguard-audit-writer");
        writer.setDaemon(true);
        writer.start();
    }

    /** Hands a decision to the writer; returns at once (see the class comment for a full queue). */
    public void record(Decision decision) {
        if (writer == null) {
            return;
        }
        long start = System.nanoTime();
        boolean queued = accepting && reserve() && queue.offer(decision);
        if (queued) {
            queuedCount.incrementAndGet();
        }
        enqueue.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        if (!queued) {
            metrics.auditEvents("dropped", 1);
            long count = dropped.incrementAndGet();
            if (count == 1 || count % 1000 == 0) {
                LOG.error(
                        "Audit trail: decision {} not recorded ({}; {} dropped so far)",
                        decision.hookInstance(),
                        accepting ? "queue full" : "shutting down",
                        count);
            }
        }
    }

    /** A place in the bounded queue, or false when it is full. */
    private boolean reserve() {
        if (size.incrementAndGet() > capacity) {
            size.decrementAndGet();
            return false;
        }
        return true;
    }

    /** Decisions waiting to be written. */
    public int pending() {
        return size.get();
    }

    /**
     * Waits (at most {@code timeout}) until every decision queued before this call is written or given up:
     * the late-result check reads decisions from the store, and a result stored in the moments between a
     * decision and its AuditEvent would otherwise find none and never be checked again (an outside attack
     * under load). Returns at once when nothing is queued or the trail is off.
     *
     * @return whether they were all written in time
     */
    public boolean awaitQueuedWritten(java.time.Duration timeout) throws InterruptedException {
        long mark = queuedCount.get();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (doneCount.get() < mark) {
            if (writer == null || System.nanoTime() > deadline) {
                return writer == null;
            }
            Thread.sleep(LINGER_MILLIS);
        }
        return true;
    }

    private void run() {
        List<Decision> batch = new ArrayList<>(BATCH);
        while (accepting || !queue.isEmpty()) {
            try {
                Decision next;
                while (batch.size() < BATCH && (next = queue.poll()) != null) {
                    batch.add(next);
                }
                if (batch.isEmpty()) {
                    Thread.sleep(LINGER_MILLIS);
                    continue;
                }
                size.addAndGet(-batch.size());
                try {
                    write(batch);
                } finally {
                    doneCount.addAndGet(batch.size());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.error("Audit trail: writer failed: {}", e.getClass().getName());
            } finally {
                batch.clear();
            }
        }
    }

    private void write(List<Decision> decisions) throws InterruptedException {
        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        for (Decision decision : decisions) {
            transaction
                    .addEntry()
                    .setResource(DecisionAuditEvents.of(decision))
                    .getRequest()
                    .setMethod(Bundle.HTTPVerb.POST)
                    .setUrl("AuditEvent");
        }
        for (int attempt = 0; ; attempt++) {
            // One id for the batch's own log lines (a transaction holds many calls' decisions).
            MDC.put("correlationId", decisions.size() == 1 ? decisions.get(0).hookInstance() : "audit-batch");
            try {
                system.transaction(new SystemRequestDetails(), transaction);
                metrics.auditEvents("written", decisions.size());
                return;
            } catch (RuntimeException e) {
                if (attempt >= RETRY_MILLIS.length) {
                    metrics.auditEvents("failed", decisions.size());
                    LOG.error(
                            "Audit trail: {} decisions could not be stored ({}): {}",
                            decisions.size(),
                            e.getClass().getSimpleName(),
                            decisions.stream().map(Decision::hookInstance).toList());
                    return;
                }
                LOG.warn(
                        "Audit trail: storing {} decisions failed ({}), retrying",
                        decisions.size(),
                        e.getClass().getSimpleName());
                Thread.sleep(RETRY_MILLIS[attempt]);
            } finally {
                MDC.remove("correlationId");
            }
        }
    }

    /** Refuses new decisions, writes those queued (up to {@value #FLUSH_SECONDS} s), stops the writer. */
    @Override
    public void close() {
        if (writer == null) {
            return;
        }
        accepting = false;
        try {
            writer.join(TimeUnit.SECONDS.toMillis(FLUSH_SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (writer.isAlive()) {
            writer.interrupt();
            LOG.error("Audit trail: {} decisions not written at shutdown", size.get());
        }
    }
}
