package org.rasguard.server.audit;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.dao.expunge.ExpungeService;
import java.time.Clock;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Meta;
import org.rasguard.server.config.ServerConfig;
import org.rasguard.server.metrics.IngestMetricsInterceptor;
import org.rasguard.server.metrics.Metrics;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The audit trail, its report and retention, and the FHIR-side metrics. {@link Metrics} is made by
 * the server before Spring starts (requests are measured from the first one); when absent (a context
 * built elsewhere) a private one is used.
 */
@Configuration
public class AuditConfig {

    @Bean(destroyMethod = "close")
    public AuditTrail auditTrail(ServerConfig config, DaoRegistry daos, ObjectProvider<Metrics> metrics) {
        @SuppressWarnings("unchecked")
        IFhirSystemDao<Bundle, Meta> system = (IFhirSystemDao<Bundle, Meta>) daos.getSystemDao();
        if (!config.observability().audit()) {
            LoggerFactory.getLogger(AuditTrail.class)
                    .warn("RASGUARD_AUDIT=off: CDS decisions are NOT recorded (for measurement only)");
            return AuditTrail.off();
        }
        return new AuditTrail(system, metrics.getIfAvailable(Metrics::new));
    }

    /** Run by {@code RasGuardServer} at start, before {@code /health} turns ready. */
    @Bean
    public AuditSearchParameters auditSearchParameters(DaoRegistry daos) {
        return new AuditSearchParameters(daos);
    }

    @Bean
    public CdsReportProvider cdsReportProvider(DaoRegistry daos, FhirContext fhir) {
        return new CdsReportProvider(auditEvents(daos), fhir);
    }

    @Bean
    public IngestMetricsInterceptor ingestMetricsInterceptor(ObjectProvider<Metrics> metrics) {
        return new IngestMetricsInterceptor(metrics.getIfAvailable(Metrics::new));
    }

    /** Null (no bean) unless {@code RASGUARD_AUDIT_RETENTION_DAYS} is set. */
    @Bean(destroyMethod = "close")
    public AuditRetention auditRetention(ServerConfig config, DaoRegistry daos, ExpungeService expunge) {
        Integer days = config.observability().auditRetentionDays();
        return days == null ? null : new AuditRetention(auditEvents(daos), expunge, days, Clock.systemUTC());
    }

    @SuppressWarnings("unchecked")
    private static IFhirResourceDao<AuditEvent> auditEvents(DaoRegistry daos) {
        return (IFhirResourceDao<AuditEvent>) daos.getResourceDao("AuditEvent");
    }
}
