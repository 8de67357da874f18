package org.rasguard.server.hooks;

import org.rasguard.cdshooks.Decision;
import org.rasguard.cdshooks.DecisionObserver;
import org.rasguard.server.audit.AuditTrail;
import org.rasguard.server.http.Correlation;
import org.rasguard.server.metrics.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Where each CDS decision goes: the hookInstance becomes the request's correlation id as soon as it
 * is read; the decision is counted in the metrics and handed to the audit trail (queued, never
 * waited for). Never throws.
 */
final class DecisionRecorder implements DecisionObserver {

    private static final Logger LOG = LoggerFactory.getLogger(DecisionRecorder.class);

    private final AuditTrail audit;
    private final Metrics metrics;

    /** @param audit null or off: not audited; @param metrics null: not counted */
    DecisionRecorder(AuditTrail audit, Metrics metrics) {
        this.audit = audit;
        this.metrics = metrics;
    }

    @Override
    public void started(String serviceId, String hookInstance) {
        MDC.put(Correlation.MDC_KEY, hookInstance);
    }

    @Override
    public void decided(Decision decision) {
        try {
            if (metrics != null) {
                metrics.decision(decision);
            }
            if (audit != null) {
                audit.record(decision);
            }
        } catch (RuntimeException e) {
            LOG.error(
                    "Decision {} not recorded: {}",
                    decision.hookInstance(),
                    e.getClass().getName());
        }
    }
}
