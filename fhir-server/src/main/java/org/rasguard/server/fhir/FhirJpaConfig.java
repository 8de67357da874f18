package org.rasguard.server.fhir;

import ca.uhn.fhir.batch2.jobs.config.Batch2JobsConfig;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.config.ThreadPoolFactoryConfig;
import ca.uhn.fhir.jpa.batch2.JpaBatch2Config;
import ca.uhn.fhir.jpa.binary.api.IBinaryStorageSvc;
import ca.uhn.fhir.jpa.binstore.DatabaseBinaryContentStorageSvcImpl;
import ca.uhn.fhir.jpa.config.HapiJpaConfig;
import ca.uhn.fhir.jpa.config.r4.JpaR4Config;
import ca.uhn.fhir.jpa.config.util.HapiEntityManagerFactoryUtil;
import ca.uhn.fhir.jpa.dao.IFulltextSearchSvc;
import ca.uhn.fhir.jpa.model.config.PartitionSettings;
import ca.uhn.fhir.jpa.model.config.SubscriptionSettings;
import ca.uhn.fhir.jpa.model.dialect.HapiFhirH2Dialect;
import ca.uhn.fhir.jpa.model.dialect.HapiFhirPostgresDialect;
import ca.uhn.fhir.jpa.subscription.channel.config.SubscriptionChannelConfig;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import jakarta.persistence.EntityManagerFactory;
import java.util.Properties;
import javax.sql.DataSource;
import org.rasguard.server.config.ServerConfig;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Lazy;
import org.springframework.context.annotation.Primary;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;
import org.springframework.transaction.annotation.EnableTransactionManagement;

/**
 * HAPI FHIR JPA storage for R4 on H2 or PostgreSQL, wired without Spring Boot: the beans HAPI's
 * {@link JpaR4Config} and {@link HapiJpaConfig} expect from their host (data source, entity
 * manager, storage settings), nothing more.
 *
 * @see <a href="https://hapifhir.io/hapi-fhir/docs/server_jpa/configuration.html">HAPI JPA configuration</a>
 */
@Configuration
@EnableTransactionManagement
@Import({
    JpaR4Config.class,
    HapiJpaConfig.class,
    JpaBatch2Config.class,
    Batch2JobsConfig.class,
    ThreadPoolFactoryConfig.class,
    // In-memory message channels that HAPI's batch jobs (reindex, package install) run on.
    SubscriptionChannelConfig.class
})
public class FhirJpaConfig {

    /** HAPI's Spring Data repositories built on first use (see {@link LazyRepositories}). */
    @Bean
    public static BeanFactoryPostProcessor lazyRepositories() {
        return new LazyRepositories();
    }

    @Bean(destroyMethod = "close")
    public HikariDataSource dataSource(ServerConfig config) {
        ServerConfig.Database database = config.database();
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("rasguard-db");
        hikari.setJdbcUrl(database.jdbcUrl());
        hikari.setUsername(database.user());
        hikari.setPassword(database.password());
        hikari.setDriverClassName(
                database.kind() == ServerConfig.Database.Kind.H2 ? "org.h2.Driver" : "org.postgresql.Driver");
        hikari.setMaximumPoolSize(database.kind() == ServerConfig.Database.Kind.H2 ? 10 : 20);
        hikari.setConnectionTimeout(10_000);
        // Fails start-up with a clear message when the database cannot be reached.
        hikari.setInitializationFailTimeout(15_000);
        return new HikariDataSource(hikari);
    }

    @Primary
    @Bean
    public LocalContainerEntityManagerFactoryBean entityManagerFactory(
            ConfigurableListableBeanFactory beanFactory,
            FhirContext fhirContext,
            JpaStorageSettings storageSettings,
            DataSource dataSource,
            ServerConfig config) {
        LocalContainerEntityManagerFactoryBean factory =
                HapiEntityManagerFactoryUtil.newEntityManagerFactory(beanFactory, fhirContext, storageSettings);
        factory.setPersistenceUnitName("HAPI_PU");
        factory.setDataSource(dataSource);
        factory.setJpaProperties(hibernateProperties(config.database().kind()));
        return factory;
    }

    static Properties hibernateProperties(ServerConfig.Database.Kind kind) {
        Properties properties = new Properties();
        properties.put(
                "hibernate.dialect",
                kind == ServerConfig.Database.Kind.H2
                        ? HapiFhirH2Dialect.class.getName()
                        : HapiFhirPostgresDialect.class.getName());
        // HAPI's schema is created and upgraded in place at start (see README, Production: upgrades).
        properties.put("hibernate.hbm2ddl.auto", "update");
        properties.put("hibernate.format_sql", "false");
        properties.put("hibernate.show_sql", "false");
        properties.put("hibernate.jdbc.batch_size", "20");
        properties.put("hibernate.cache.use_query_cache", "false");
        properties.put("hibernate.cache.use_second_level_cache", "false");
        properties.put("hibernate.cache.use_structured_entries", "false");
        properties.put("hibernate.cache.use_minimal_puts", "false");
        properties.put("hibernate.search.enabled", "false");
        return properties;
    }

    @Bean
    @Primary
    public JpaTransactionManager transactionManager(EntityManagerFactory entityManagerFactory) {
        return new JpaTransactionManager(entityManagerFactory);
    }

    /** Storage behaviour: strict references so a transaction with a dangling reference fails as a whole. */
    @Bean
    public JpaStorageSettings jpaStorageSettings() {
        JpaStorageSettings settings = new JpaStorageSettings();
        settings.setAllowExternalReferences(false);
        settings.setAutoCreatePlaceholderReferenceTargets(false);
        settings.setEnforceReferentialIntegrityOnWrite(true);
        settings.setEnforceReferentialIntegrityOnDelete(true);
        settings.setAllowMultipleDelete(false);
        settings.setExpungeEnabled(false);
        settings.setDeleteExpungeEnabled(false);
        settings.setIndexOnContainedResources(true);
        settings.setAdvancedHSearchIndexing(false);
        settings.setHibernateSearchIndexSearchParams(false);
        settings.setFetchSizeDefaultMaximum(1000);
        // Never answer a search from an earlier identical search: a result posted a second ago must be
        // seen by the next RAS decision (HAPI reuses cached results for 60 s by default).
        settings.setReuseCachedSearchResultsForMillis(null);
        // ValueSets are expanded on request (from the terminology tables or in memory), never by HAPI's
        // ten-minute background job: nothing here reads stored expansions (the RAS engine and ingest
        // validation read the knowledge package itself), and the job's expansions would go stale between runs.
        settings.setPreExpandValueSets(false);
        settings.setEnableTaskPreExpandValueSets(false);
        // HFJ_SPIDX_IDENTITY maps each index hash back to its resource type and parameter name for people
        // reading the tables; HAPI writes it and never reads it to answer anything (8.8.0: only
        // DaoSearchParamSynchronizer and the search predicate builders write it, through
        // SearchParamIdentityCacheSvcImpl). At start it cost one background transaction per search
        // parameter (1,530 rows after the first start on an empty database), competing with the start for the CPU.
        settings.setWriteToSearchParamIdentityTable(false);
        return settings;
    }

    /**
     * No full-text search service: Hibernate Search is off ({@code hibernate.search.enabled=false}
     * above), and HAPI takes the presence of this bean to mean it is on. With HAPI's default bean,
     * {@code ValueSet/$expand} of a ValueSet over a CodeSystem in our store (ras-status …) went to
     * Hibernate Search and failed with HSEARCH800001 (a 500); without it, HAPI expands from the
     * terminology tables. This is how HAPI's own test configuration runs without Hibernate Search
     * ({@code TestHSearchAddInConfig.NoFT}); every user of the service accepts its absence.
     */
    @Primary
    @Bean
    public IFulltextSearchSvc fullTextSearchSvc() {
        return null;
    }

    @Bean
    public PartitionSettings partitionSettings() {
        return new PartitionSettings();
    }

    /**
     * Subscriptions: rest-hook only (README, Late results), set here because HAPI's submitter reads the
     * supported types once, as it starts, to decide whether to match writes against Subscriptions at all.
     */
    @Bean
    public SubscriptionSettings subscriptionSettings() {
        SubscriptionSettings settings = new SubscriptionSettings();
        settings.addSupportedSubscriptionType(org.hl7.fhir.dstu2.model.Subscription.SubscriptionChannelType.RESTHOOK);
        // A write's match message is stored with the write (HAPI's resource-modified table, so it survives a
        // restart) and submitted for matching by a job every this many ms (HAPI's default 5000).
        settings.setSubscriptionIntervalInMs(1_000);
        return settings;
    }

    @Lazy
    @Bean
    public IBinaryStorageSvc binaryStorageSvc() {
        return new DatabaseBinaryContentStorageSvcImpl();
    }

    /** No client SearchParameter over Subscriptions or AuditEvents ({@link ClientSearchParameters}). */
    @Bean
    public ClientSearchParameters clientSearchParameters(IInterceptorService jpaInterceptors) {
        ClientSearchParameters guard = new ClientSearchParameters();
        jpaInterceptors.registerInterceptor(guard);
        return guard;
    }

    /** No stored string holds a character FHIR strings cannot, whatever path built the resource. */
    @Bean
    public StoredCharacters storedCharacters(IInterceptorService jpaInterceptors, FhirContext fhir) {
        StoredCharacters guard = new StoredCharacters(fhir);
        jpaInterceptors.registerInterceptor(guard);
        return guard;
    }
}
