package org.rasguard.server.lateresults;

import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import java.time.Clock;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.DetectedIssue;
import org.rasguard.knowledge.KnowledgeBase;
import org.rasguard.patients.PersonIdentity;
import org.rasguard.ras.RasStatusEngine;
import org.rasguard.server.audit.AuditTrail;
import org.rasguard.server.config.ServerConfig;
import org.rasguard.server.metrics.Metrics;
import org.rasguard.server.ras.StoreRasStatus;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The late-result check, and the guard that keeps what it trusts (the audit trail, the late-result issues)
 * the server's own: both on HAPI JPA's interceptor service (they see every write, whatever the path).
 */
@Configuration
public class LateResultConfig {

    @Bean(destroyMethod = "close")
    @SuppressWarnings("unchecked")
    public LateResultDetector lateResultDetector(
            ServerConfig config,
            DaoRegistry daos,
            RasStatusEngine engine,
            KnowledgeBase knowledge,
            IInterceptorService jpaInterceptors,
            AuditTrail audit,
            ObjectProvider<Metrics> metrics) {
        StoreRasStatus status = new StoreRasStatus(
                daos,
                engine,
                new PersonIdentity(config.patientEvidence().identifierSystems()),
                config.patientEvidence().maxResources());
        LateResultDetector detector = new LateResultDetector(
                status,
                new DecisionHistory((IFhirResourceDao<AuditEvent>) daos.getResourceDao("AuditEvent")),
                audit,
                new LateResultIssues(knowledge),
                (IFhirResourceDao<DetectedIssue>) daos.getResourceDao("DetectedIssue"),
                config.lateResults().days(),
                Clock.systemUTC(),
                metrics.getIfAvailable(Metrics::new));
        jpaInterceptors.registerInterceptor(detector);
        detector.catchUpAfter(60); // as AuditRetention: a minute after start
        return detector;
    }

    @Bean
    public ServerOwnedResources serverOwnedResources(IInterceptorService jpaInterceptors) {
        ServerOwnedResources guard = new ServerOwnedResources();
        jpaInterceptors.registerInterceptor(guard);
        return guard;
    }
}
