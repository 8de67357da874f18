package org.rasguard.server.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.provider.JpaCapabilityStatementProvider;
import ca.uhn.fhir.jpa.provider.JpaSystemProvider;
import ca.uhn.fhir.jpa.provider.ValueSetOperationProvider;
import ca.uhn.fhir.jpa.search.DatabaseBackedPagingProvider;
import ca.uhn.fhir.parser.StrictErrorHandler;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.provider.ResourceProviderFactory;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Meta;
import org.rasguard.knowledge.KnowledgeBase;
import org.rasguard.ras.RasStatusEngine;
import org.rasguard.server.audit.AuditConfig;
import org.rasguard.server.audit.CdsReportProvider;
import org.rasguard.server.http.BadInputExceptionMapper;
import org.rasguard.server.ingest.IngestValidationConfig;
import org.rasguard.server.ingest.IngestValidationInterceptor;
import org.rasguard.server.ingest.IngestValidator;
import org.rasguard.server.ingest.TransactionErrorLocator;
import org.rasguard.server.ingest.ValidateOperationParseErrors;
import org.rasguard.server.metrics.IngestMetricsInterceptor;
import org.rasguard.server.ras.RasStatusOperation;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The FHIR REST API at {@code /fhir}: HAPI's JPA resource providers (CRUD, search, history,
 * {@code $validate}), the system provider (transaction and batch Bundles), ValueSet operations,
 * {@code $ras-status}, {@code $cds-report} and the CapabilityStatement.
 */
@Configuration
@Import({IngestValidationConfig.class, AuditConfig.class})
public class FhirRestConfig {

    @Bean
    public RestfulServer restfulServer(
            FhirContext fhirContext,
            IFhirSystemDao<Bundle, Meta> systemDao,
            ResourceProviderFactory resourceProviders,
            JpaSystemProvider<Bundle, Meta> systemProvider,
            ValueSetOperationProvider valueSetOperations,
            JpaStorageSettings storageSettings,
            ISearchParamRegistry searchParamRegistry,
            IValidationSupport validationSupport,
            DatabaseBackedPagingProvider pagingProvider,
            DaoRegistry daoRegistry,
            RasStatusEngine rasStatusEngine,
            IngestValidationInterceptor ingestValidation,
            IngestValidator ingestValidator,
            CdsReportProvider cdsReport,
            IngestMetricsInterceptor ingestMetrics,
            KnowledgeBase knowledge,
            org.rasguard.server.config.ServerConfig config) {
        // Structurally invalid FHIR (unknown elements, wrong JSON types) is refused, not silently trimmed.
        fhirContext.setParserErrorHandler(new StrictErrorHandler());
        RestfulServer server = new RestfulServer(fhirContext);
        server.registerProviders(resourceProviders.createProviders());
        server.registerProvider(systemProvider);
        server.registerProvider(valueSetOperations);
        server.registerProvider(new RasStatusOperation(
                daoRegistry,
                rasStatusEngine,
                knowledge,
                new org.rasguard.patients.PersonIdentity(
                        config.patientEvidence().identifierSystems()),
                config.patientEvidence().maxResources()));
        server.registerProvider(cdsReport); // $cds-report: override analytics over the audit trail
        server.registerInterceptor(ingestMetrics);
        server.registerInterceptor(new BatchInCapabilityStatement());
        server.setServerConformanceProvider(new JpaCapabilityStatementProvider(
                server, systemDao, storageSettings, searchParamRegistry, validationSupport));
        pagingProvider.setDefaultPageSize(50);
        pagingProvider.setMaximumPageSize(500);
        server.setPagingProvider(pagingProvider);
        server.setDefaultResponseEncoding(EncodingEnum.JSON);
        server.setDefaultPrettyPrint(false);
        server.registerInterceptor(new TransactionErrorLocator(fhirContext));
        server.registerInterceptor(new BadInputExceptionMapper());
        // $validate validates in every RASGUARD_VALIDATION mode (ValidateOperationModule, IngestValidationConfig).
        server.registerInterceptor(new ValidateOperationParseErrors(ingestValidator));
        if (ingestValidation.isEnabled()) {
            server.registerInterceptor(ingestValidation);
        }
        return server;
    }
}
