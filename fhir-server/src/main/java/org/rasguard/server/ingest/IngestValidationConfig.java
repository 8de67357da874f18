package org.rasguard.server.ingest;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.validation.IInstanceValidatorModule;
import org.rasguard.knowledge.KnowledgeBase;
import org.rasguard.server.config.ServerConfig;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * Ingest validation as {@code RASGUARD_VALIDATION} asks. The validation packages are read at start
 * (part of being ready); the first validation against a profile generates its snapshot, which takes
 * seconds, so that is done once in the background with one of our own examples instead of in the
 * first lab's request ({@link ValidationWarmUp}), once the server is ready: started during start-up it
 * took one of the two cores from it for seconds (issue 19). The validator is built in every mode, also
 * {@code off}: {@code $validate} always validates ({@link ValidateOperationModule}).
 */
@Configuration
public class IngestValidationConfig {

    /** On HAPI JPA's own interceptor service, so that every write path (REST, transactions, demo data) is covered. */
    @Bean
    public SubjectIdentifierResolver subjectIdentifierResolver(
            ca.uhn.fhir.jpa.api.dao.DaoRegistry daos, ca.uhn.fhir.interceptor.api.IInterceptorService jpaInterceptors) {
        SubjectIdentifierResolver resolver = new SubjectIdentifierResolver(daos);
        jpaInterceptors.registerInterceptor(resolver);
        return resolver;
    }

    /** Our RAS variant example: warming up with it generates the Genomics Reporting Variant snapshots. */
    private static final String WARM_UP_EXAMPLE = "kras-g12d-present";

    /** Loaded in every mode: {@code $validate} validates even with {@code RASGUARD_VALIDATION=off}. */
    @Bean
    public IngestValidator ingestValidator(FhirContext fhirContext) {
        return new IngestValidator(fhirContext);
    }

    /** Started by {@code RasGuardServer} once {@code /health} is 200. */
    @Bean
    public ValidationWarmUp validationWarmUp(IngestValidator validator, KnowledgeBase knowledge) {
        return new ValidationWarmUp(
                validator,
                knowledge.examples().stream()
                        .filter(example ->
                                WARM_UP_EXAMPLE.equals(example.getIdElement().getIdPart()))
                        .findFirst()
                        .orElse(null));
    }

    @Bean
    public IngestValidationInterceptor ingestValidationInterceptor(ServerConfig config, IngestValidator validator) {
        if (config.validation() == ServerConfig.Validation.OFF) {
            return new IngestValidationInterceptor(null, ServerConfig.Validation.OFF);
        }
        return new IngestValidationInterceptor(validator, config.validation());
    }

    /**
     * The module HAPI's JPA DAOs validate with in {@code $validate} (they autowire an
     * {@link IInstanceValidatorModule}; primary over HAPI's own {@code myInstanceValidator}, whose
     * chain has neither Genomics Reporting nor mCODE): the ingest chain, so both say the same.
     */
    @Bean
    @Primary
    public IInstanceValidatorModule validateOperationModule(ServerConfig config, IngestValidator validator) {
        return new ValidateOperationModule(validator, config.validation());
    }
}
