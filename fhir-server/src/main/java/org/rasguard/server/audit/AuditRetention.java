package org.rasguard.server.audit;

import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.api.model.ExpungeOptions;
import ca.uhn.fhir.jpa.dao.expunge.ExpungeService;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.DateParam;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.AuditEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code RASGUARD_AUDIT_RETENTION_DAYS}: once a day (the first time a minute after start), our CDS
 * decision and feedback AuditEvents recorded more than N days ago are deleted and then expunged, so
 * they are gone from the history tables too. Other AuditEvents (posted by clients) are left alone.
 * Expunge goes through HAPI's expunge service directly: the {@code $expunge} operation stays off for
 * API clients.
 */
public final class AuditRetention implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AuditRetention.class);
    private static final Duration FIRST_RUN = Duration.ofMinutes(1);

    private final IFhirResourceDao<AuditEvent> auditEvents;
    private final ExpungeService expunge;
    private final int days;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;

    public AuditRetention(IFhirResourceDao<AuditEvent> auditEvents, ExpungeService expunge, int days, Clock clock) {
        this.auditEvents = auditEvents;
        this.expunge = expunge;
        this.days = days;
        this.clock = clock;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "rasguard-audit-retention");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(
                this::purgeQuietly, FIRST_RUN.toSeconds(), TimeUnit.DAYS.toSeconds(1), TimeUnit.SECONDS);
        LOG.info("Audit retention: AuditEvents older than {} days are purged daily", days);
    }

    /** The oldest instant kept: exactly {@code days} × 24 h before now (no calendar or time-zone rounding). */
    static Instant cutoff(Instant now, int days) {
        if (days < 1) {
            throw new IllegalArgumentException("retention must be at least one day");
        }
        return now.minus(days, ChronoUnit.DAYS);
    }

    private void purgeQuietly() {
        try {
            purge();
        } catch (RuntimeException e) {
            LOG.error(
                    "Audit retention: purge failed ({}); next try in a day",
                    e.getClass().getSimpleName());
        }
    }

    /** Deletes and expunges our AuditEvents recorded before the cut-off; returns how many were deleted. */
    public int purge() {
        long started = System.nanoTime();
        Instant cutoff = cutoff(clock.instant(), days);
        SearchParameterMap map = SearchParameterMap.newSynchronous();
        map.add(
                AuditEvent.SP_TYPE,
                new TokenOrListParam()
                        .add(DecisionAuditEvents.TYPE_SYSTEM, DecisionAuditEvents.DECISION)
                        .add(DecisionAuditEvents.TYPE_SYSTEM, DecisionAuditEvents.FEEDBACK));
        map.add(AuditEvent.SP_DATE, new DateParam("lt" + CdsReportProvider.instant(cutoff)));
        SystemRequestDetails request = new SystemRequestDetails();
        List<IIdType> old = auditEvents.searchForResourceIds(map, request);
        for (IIdType id : old) {
            auditEvents.delete(id.toUnqualifiedVersionless(), request);
        }
        int expunged = 0;
        if (!old.isEmpty()) {
            ExpungeOptions options = new ExpungeOptions()
                    .setExpungeDeletedResources(true)
                    .setExpungeOldVersions(true)
                    .setLimit(10_000);
            int round;
            do {
                round = expunge.expunge("AuditEvent", null, options, request).getDeletedCount();
                expunged += round;
            } while (round >= options.getLimit());
        }
        LOG.info(
                "Audit retention: {} AuditEvents recorded before {} deleted ({} rows expunged) in {} ms",
                old.size(),
                cutoff,
                expunged,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        return old.size();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
