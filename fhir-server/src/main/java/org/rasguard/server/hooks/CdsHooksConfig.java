package org.rasguard.server.hooks;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import java.time.Duration;
import org.rasguard.cdshooks.CdsHooksService;
import org.rasguard.cdshooks.EvidenceStore;
import org.rasguard.cdshooks.FhirServerAllowlist;
import org.rasguard.decision.DecisionKnowledge;
import org.rasguard.patients.PersonIdentity;
import org.rasguard.server.audit.AuditTrail;
import org.rasguard.server.config.ServerConfig;
import org.rasguard.server.metrics.Metrics;
import org.rasguard.server.ras.JpaEvidenceStore;
import org.rasguard.server.store.StoreVersion;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The one place the CDS service is built: from the knowledge as {@code KnowledgeConfig} read it once
 * ({@link DecisionKnowledge}), HAPI's DAOs as our genomics store and as the patient-view service's
 * late results and shown reminders ({@link JpaChartStore}), the client FHIR servers it may call, and
 * the audit trail and metrics as its observer.
 */
@Configuration
public class CdsHooksConfig {

    @Bean
    public CdsHooksService cdsHooksService(
            DecisionKnowledge knowledge,
            FhirContext fhir,
            DaoRegistry daos,
            ServerConfig config,
            ObjectProvider<Metrics> metrics,
            ObjectProvider<AuditTrail> audit,
            ObjectProvider<StoreVersion> storeVersion) {
        Metrics measured = metrics.getIfAvailable();
        return new CdsHooksService(
                knowledge,
                fhir,
                evidenceStore(config, daos, storeVersion),
                new HttpEhrFhirClient(fhir, Duration.ofSeconds(1), Duration.ofSeconds(2)),
                FhirServerAllowlist.of(config.cdsFhirServers()),
                new AuditEventFeedbackStore(daos, measured),
                new CdsHooksService.Settings(
                        config.cdsWildTypeInfo(),
                        3_000,
                        config.cdsG12cCombinations(),
                        config.patientEvidence().cdsSharedPatientIds(),
                        config.patientEvidence().identifierSystems(),
                        config.patientEvidence().maxResources(),
                        config.reminderDays()),
                new DecisionRecorder(audit.getIfAvailable(), measured),
                new JpaChartStore(daos),
                java.time.Clock.systemUTC());
    }

    /** HAPI's DAOs, behind a cache checked against the store's version unless RASGUARD_STORE_CACHE_RESOURCES=0. */
    private static EvidenceStore evidenceStore(
            ServerConfig config, DaoRegistry daos, ObjectProvider<StoreVersion> storeVersion) {
        EvidenceStore store = new JpaEvidenceStore(
                daos, new PersonIdentity(config.patientEvidence().identifierSystems()));
        if (config.storeCacheResources() == 0) {
            return store;
        }
        StoreVersion version = storeVersion.getObject();
        return new CachingEvidenceStore(store, version::current, config.storeCacheResources());
    }
}
