package org.rasguard.server.lateresults;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.api.model.DaoMethodOutcome;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DetectedIssue;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Specimen;
import org.rasguard.server.audit.AuditTrail;
import org.rasguard.server.metrics.Metrics;
import org.rasguard.server.ras.StoreRasStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Late results (issue 18, point 1): when a genomic result of one of our patients is stored, whatever the
 * path (single create, update or delete, transaction or batch Bundle, the server's own writes: a HAPI JPA
 * interceptor sees them all), that patient's RAS status is decided again and compared with the
 * anti-EGFR decisions of the audit trail of the last {@code RASGUARD_LATE_RESULT_DAYS} days
 * ({@link DecisionHistory}, {@link ContradictionRule}); each contradicted order gets one
 * {@code DetectedIssue} ({@link LateResultIssues}).
 *
 * <p>Never in the writer's way: the patient ids are noted before commit and handed over only after it
 * (a rolled-back write detects nothing), to a bounded set ({@value #CAPACITY} patients; a patient already
 * waiting is not added twice, so a burst of one patient's results is one check). One thread does the
 * checks, {@value #SETTLE_MILLIS} ms after the first write; a check the store fails is retried after 1, 5
 * and 30 s, then counted as failed. A full set drops the patient (counted, logged without ids).
 *
 * <p>Idempotent across replicas and restarts: the issue's identifier is a hash of (patient, order, new
 * status), and it is stored by conditional create ({@code If-None-Exist: identifier=…}), so checking twice,
 * on two replicas or after a restart, stores it once.
 */
@Interceptor
public final class LateResultDetector implements AutoCloseable {

    static final int CAPACITY = 10_000;
    static final long SETTLE_MILLIS = 200;
    private static final long[] RETRY_MILLIS = {1_000, 5_000, 30_000};
    private static final Logger LOG = LoggerFactory.getLogger(LateResultDetector.class);
    /** A literal reference to one of our Patients, relative as our store keeps them. */
    private static final Pattern OUR_PATIENT =
            Pattern.compile("^Patient/([A-Za-z0-9\\-.]{1,64})(?:/_history/[A-Za-z0-9\\-.]{1,64})?$");

    private final StoreRasStatus status;
    private final AuditTrail decisions;
    private final DecisionHistory history;
    private final LateResultIssues issues;
    private final IFhirResourceDao<DetectedIssue> detectedIssues;
    private final Duration window;
    private final Clock clock;
    private final Metrics metrics;
    private final Set<String> waiting = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService worker;
    private volatile boolean accepting = true;

    LateResultDetector(
            StoreRasStatus status,
            DecisionHistory history,
            AuditTrail decisions,
            LateResultIssues issues,
            IFhirResourceDao<DetectedIssue> detectedIssues,
            int days,
            Clock clock,
            Metrics metrics) {
        this.status = status;
        this.decisions = decisions;
        this.history = history;
        this.issues = issues;
        this.detectedIssues = detectedIssues;
        this.window = Duration.ofDays(days);
        this.clock = clock;
        this.metrics = metrics;
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "rasguard-late-results");
            thread.setDaemon(true);
            return thread;
        });
        // At shutdown a check not yet due (the catch-up a minute after start, a retry) is dropped, not
        // waited for: the next start's catch-up re-checks every patient of the window's decisions. (The
        // executor's default ran them, so every stop within a minute of a start waited the full 10 s.)
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.worker = executor;
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED)
    public void created(IBaseResource resource) {
        stored(resource);
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED)
    public void updated(IBaseResource previous, IBaseResource resource) {
        stored(resource);
    }

    /** A result withdrawn by deletion can turn wild-type into unknown, or take a KRAS G12C away. */
    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_DELETED)
    public void deleted(IBaseResource resource) {
        stored(resource);
    }

    /** A conditional delete reaches only this pointcut (as {@code StoreChangeInterceptor} found). */
    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_DELETED)
    public void deleting(IBaseResource resource) {
        stored(resource);
    }

    private void stored(IBaseResource resource) {
        try {
            Set<String> patients = patientsOf(resource);
            if (patients.isEmpty() || !TransactionSynchronizationManager.isSynchronizationActive()) {
                return;
            }
            AfterCommit pending = null;
            for (TransactionSynchronization registered : TransactionSynchronizationManager.getSynchronizations()) {
                if (registered instanceof AfterCommit mine && mine.owner() == this) {
                    pending = mine;
                }
            }
            if (pending == null) {
                pending = new AfterCommit(this, new LinkedHashSet<>());
                TransactionSynchronizationManager.registerSynchronization(pending);
            }
            pending.patients().addAll(patients);
        } catch (RuntimeException e) {
            // Never fail the write: the check is advisory and runs after the commit anyway.
            LOG.error(
                    "Late results: could not note a stored result ({})",
                    e.getClass().getSimpleName());
        }
    }

    /**
     * Our Patient ids a genomic resource is about: the subject of an Observation, DiagnosticReport or
     * Specimen; and a Patient with person identifiers itself (an MRN added by an update links the record to
     * decisions found by identifier: an outside attack's missed alert).
     */
    static Set<String> patientsOf(IBaseResource resource) {
        Set<String> patients = new LinkedHashSet<>();
        if (resource instanceof org.hl7.fhir.r4.model.Patient patient) {
            if (patient.hasIdentifier() && patient.getIdElement().hasIdPart()) {
                patients.add(patient.getIdElement().getIdPart());
            }
        } else if (resource instanceof Observation observation) {
            ourPatient(observation.getSubject()).ifPresent(patients::add);
        } else if (resource instanceof DiagnosticReport report) {
            ourPatient(report.getSubject()).ifPresent(patients::add);
        } else if (resource instanceof Specimen specimen) {
            ourPatient(specimen.getSubject()).ifPresent(patients::add);
        } else if (resource instanceof Bundle bundle
                && bundle.getType() != Bundle.BundleType.TRANSACTION
                && bundle.getType() != Bundle.BundleType.BATCH) {
            // A document or collection stored as a resource: the entries that name one of our Patients literally.
            for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
                Resource inner = entry.getResource();
                if (inner instanceof Observation || inner instanceof DiagnosticReport || inner instanceof Specimen) {
                    patients.addAll(patientsOf(inner));
                }
            }
        }
        return patients;
    }

    private static Optional<String> ourPatient(Reference subject) {
        if (subject == null || !subject.hasReference()) {
            return Optional.empty();
        }
        Matcher matcher = OUR_PATIENT.matcher(subject.getReference());
        return matcher.matches() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    /** Queues a check of each patient (after a commit; also for tests and a catch-up at start). */
    void check(Set<String> patients) {
        for (String patient : patients) {
            if (!accepting) {
                return;
            }
            if (waiting.contains(patient)) {
                continue; // a check of this patient is already due: it will see this result too
            }
            if (waiting.size() >= CAPACITY) {
                metrics.lateResults("dropped", 1);
                LOG.error("Late results: {} patients already waiting; a stored result was not checked", CAPACITY);
                continue;
            }
            if (waiting.add(patient)) {
                schedule(patient, 0, SETTLE_MILLIS);
            }
        }
    }

    private void schedule(String patient, int attempt, long delayMillis) {
        try {
            worker.schedule(() -> run(patient, attempt), delayMillis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            waiting.remove(patient);
        }
    }

    private void run(String patient, int attempt) {
        if (attempt == 0) {
            waiting.remove(patient); // from here on, a new result queues a new check
        }
        try {
            checkNow(patient);
        } catch (RuntimeException e) {
            if (attempt < RETRY_MILLIS.length && accepting) {
                LOG.warn(
                        "Late results: a check failed ({}), retrying",
                        e.getClass().getSimpleName());
                schedule(patient, attempt + 1, RETRY_MILLIS[attempt]);
            } else {
                metrics.lateResults("failed", 1);
                LOG.error(
                        "Late results: a check failed {} times ({}); given up",
                        attempt + 1,
                        e.getClass().getSimpleName());
            }
        }
    }

    /** Reads the decisions of the window about the person; only when there are any, decides the status and stores an issue per contradicted order. */
    void checkNow(String patient) {
        try {
            // A decision of this process made just before the result may still be on its way to the store.
            decisions.awaitQueuedWritten(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        SystemRequestDetails request = new SystemRequestDetails();
        Instant detected = clock.instant();
        StoreRasStatus.Result now;
        List<DecisionHistory.OrderDecision> orders;
        try {
            // The decisions first (three small reads): most results (a bulk load) are of patients without any,
            // and then their evidence is never read again.
            StoreRasStatus.Person person = status.personOf(new IdType("Patient", patient), request);
            orders = history.since(person.storePatientIds(), person.identifiers(), detected.minus(window));
            if (orders.isEmpty()) {
                return;
            }
            now = status.of(new IdType("Patient", patient), request);
        } catch (ResourceNotFoundException | ResourceGoneException gone) {
            return;
        }
        ContradictionRule.Now current = new ContradictionRule.Now(
                now.assessment().status(),
                now.assessment().krasG12c(),
                now.assessment().reasons().stream()
                        .map(org.rasguard.ras.UnknownReason::code)
                        .collect(java.util.stream.Collectors.toSet()));
        for (DecisionHistory.OrderDecision order : orders) {
            Optional<String> contradicted = ContradictionRule.contradicted(order.earlier(), current);
            if (contradicted.isEmpty()) {
                continue;
            }
            DetectedIssue issue = issues.issue(patient, order, contradicted.get(), current, now.assessment(), detected);
            String match = "identifier=" + LateResultIssues.ISSUE_SYSTEM + "|"
                    + issue.getIdentifierFirstRep().getValue();
            DaoMethodOutcome outcome = detectedIssues.create(issue, match, new SystemRequestDetails());
            boolean created = Boolean.TRUE.equals(outcome.getCreated());
            if (created) {
                metrics.lateResults("created", 1);
                LOG.info(
                        "Late results: {} for an anti-EGFR order ({}) stored as {}",
                        contradicted.get(),
                        order.hookInstance(),
                        outcome.getId().toUnqualifiedVersionless().getValue());
            } else {
                metrics.lateResults(reopenIfWithdrawn(outcome.getId(), issue) ? "reopened" : "existing", 1);
            }
        }
        withdrawStale(now.patientIds(), current.status().code());
    }

    /**
     * The issue this order and change already has, if it was withdrawn (its result retracted or deleted,
     * then the same status came back: a corrected result posted again) and nobody acted on it, is opened
     * again with the new evidence: a cancelled issue must not stand in for the alert (an outside attack
     * found no alert after a retraction and a corrected result). Idempotent: an open one is left alone.
     */
    private boolean reopenIfWithdrawn(org.hl7.fhir.instance.model.api.IIdType existing, DetectedIssue fresh) {
        if (existing == null || !existing.hasIdPart()) {
            return false;
        }
        DetectedIssue stored = detectedIssues.read(existing.toUnqualifiedVersionless(), new SystemRequestDetails());
        if (stored.getStatus() != DetectedIssue.DetectedIssueStatus.CANCELLED || stored.hasMitigation()) {
            return false;
        }
        fresh.setId(stored.getIdElement().toUnqualifiedVersionless());
        detectedIssues.update(fresh, new SystemRequestDetails());
        LOG.info(
                "Late results: {} opened again, its RAS status holds again",
                fresh.getIdElement().getValue());
        return true;
    }

    /**
     * An open late-result issue of the person whose new status is no longer the status (the result it
     * named was retracted, amended or outweighed) is cancelled, so no chart keeps a critical alert that is
     * not true any more; a status that contradicts the order again has made its own issue above. Issues
     * already acted on (a mitigation) stay as they are: they are the record of what was done.
     */
    private void withdrawStale(List<String> patients, String status) {
        for (String patient : patients) {
            ca.uhn.fhir.jpa.searchparam.SearchParameterMap open =
                    ca.uhn.fhir.jpa.searchparam.SearchParameterMap.newSynchronous(
                            "patient", new ca.uhn.fhir.rest.param.ReferenceParam("Patient/" + patient));
            open.add(
                    "code", new ca.uhn.fhir.rest.param.TokenParam(LateResultIssues.CODE_SYSTEM, LateResultIssues.CODE));
            for (IBaseResource found : detectedIssues.searchForResources(open, new SystemRequestDetails())) {
                DetectedIssue issue = (DetectedIssue) found;
                if (issue.getStatus() != DetectedIssue.DetectedIssueStatus.FINAL || issue.hasMitigation()) {
                    continue;
                }
                String named = issue.getEvidence().stream()
                        .flatMap(e -> e.getCode().stream())
                        .flatMap(c -> c.getCoding().stream())
                        .filter(c -> LateResultIssues.STATUS_SYSTEM.equals(c.getSystem()))
                        .map(org.hl7.fhir.r4.model.Coding::getCode)
                        .findFirst()
                        .orElse(null);
                if (named != null && !named.equals(status)) {
                    issue.setStatus(DetectedIssue.DetectedIssueStatus.CANCELLED);
                    detectedIssues.update(issue, new SystemRequestDetails());
                    metrics.lateResults("withdrawn", 1);
                    LOG.info(
                            "Late results: {} withdrawn, the RAS status it named no longer holds",
                            issue.getIdElement().toUnqualifiedVersionless().getValue());
                }
            }
        }
    }

    /**
     * After a restart: the waiting set was in memory, so a result stored just before a crash may not have
     * been checked. Re-checks, in the background, every patient of the decisions of the window (the newest
     * {@value #CAPACITY}); idempotent, so a patient already checked stores nothing new.
     *
     * @param delaySeconds how long after start (the store is busy with start-up work before)
     */
    void catchUpAfter(long delaySeconds) {
        try {
            worker.schedule(
                    () -> {
                        try {
                            DecisionHistory.CatchUp since =
                                    history.storePatientsSince(clock.instant().minus(window), CAPACITY);
                            Set<String> patients = new java.util.LinkedHashSet<>(since.storePatientIds());
                            patients.addAll(status.patientsWithIdentifiers(since.personIdentifiers()));
                            LOG.info(
                                    "Late results: re-checking {} patients of the last {} days' decisions after start",
                                    patients.size(),
                                    window.toDays());
                            check(patients);
                        } catch (RuntimeException e) {
                            LOG.error(
                                    "Late results: the catch-up after start failed ({})",
                                    e.getClass().getSimpleName());
                        }
                    },
                    delaySeconds,
                    TimeUnit.SECONDS);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            // shutting down
        }
    }

    /** Stops taking checks; the one running finishes (up to 10 s), those not yet due are dropped. */
    @Override
    public void close() {
        accepting = false;
        worker.shutdown();
        try {
            if (!worker.awaitTermination(10, TimeUnit.SECONDS)) {
                worker.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            worker.shutdownNow();
        }
    }

    /** The patients one transaction stored results of, handed to the worker once it has committed. */
    private record AfterCommit(LateResultDetector owner, Set<String> patients) implements TransactionSynchronization {
        @Override
        public void afterCommit() {
            owner.check(Set.copyOf(patients));
        }
    }
}
