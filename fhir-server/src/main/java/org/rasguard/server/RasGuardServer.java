package org.rasguard.server;

import ca.uhn.fhir.jpa.searchparam.registry.SearchParamRegistryImpl;
import ca.uhn.fhir.rest.server.RestfulServer;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.rasguard.server.audit.AuditSearchParameters;
import org.rasguard.server.auth.RateLimit;
import org.rasguard.server.auth.Security;
import org.rasguard.server.config.ServerConfig;
import org.rasguard.server.fhir.FhirJpaConfig;
import org.rasguard.server.fhir.FhirRestConfig;
import org.rasguard.server.hooks.CdsHooksConfig;
import org.rasguard.server.hooks.CdsHooksServlet;
import org.rasguard.server.http.BundleEntryLimit;
import org.rasguard.server.http.ClientAborts;
import org.rasguard.server.http.CrossOrigin;
import org.rasguard.server.http.DecimalRangeInterceptor;
import org.rasguard.server.http.DecodedBodyFilter;
import org.rasguard.server.http.HealthHandler;
import org.rasguard.server.http.HostAllowlistHandler;
import org.rasguard.server.http.JsonErrorHandler;
import org.rasguard.server.http.JsonGuardFilter;
import org.rasguard.server.http.JsonServletErrorHandler;
import org.rasguard.server.http.RequestHygieneFilter;
import org.rasguard.server.http.RequestLogHandler;
import org.rasguard.server.ingest.ValidationWarmUp;
import org.rasguard.server.knowledge.KnowledgeConfig;
import org.rasguard.server.knowledge.KnowledgeLoader;
import org.rasguard.server.lateresults.LateResultConfig;
import org.rasguard.server.metrics.Metrics;
import org.rasguard.server.metrics.MetricsHandler;
import org.rasguard.server.store.StoreConfig;
import org.rasguard.server.subscriptions.SubscriptionDeliveryConfig;
import org.rasguard.server.ui.ClinicianPage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

/**
 * The one runnable RAS Guard process: embedded Jetty serving the FHIR API at {@code /fhir}, the CDS
 * Hooks service at {@code /cds-services}, {@code /health} and {@code /metrics}.
 *
 * <p>Start-up order matters to callers: the port is bound first and answers {@code /health} with 503
 * while HAPI builds its storage; only then is the application attached and {@code /health} turns
 * 200. Shutdown (SIGTERM) reverses it: stop accepting, let requests in flight finish, close the
 * database.
 */
public final class RasGuardServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RasGuardServer.class);

    private final ServerConfig config;
    private final Server jetty;
    private final ServerConnector connector;
    private final HealthHandler health;
    private final Metrics metrics = new Metrics();
    private volatile boolean ready;
    private volatile AnnotationConfigApplicationContext spring;

    public RasGuardServer(ServerConfig config) {
        this.config = config;
        QueuedThreadPool threads = new QueuedThreadPool(200, 8);
        threads.setName("rasguard-http");
        this.jetty = new Server(threads);
        this.connector = new ServerConnector(jetty);
        connector.setHost(config.host());
        connector.setPort(config.port());
        // A request body that stalls this long is answered 408 (DecodedBodyFilter); Jetty's default, said here.
        connector.setIdleTimeout(TimeUnit.SECONDS.toMillis(30));
        jetty.addConnector(connector);
        jetty.setErrorHandler(new JsonErrorHandler());
        this.health = new HealthHandler(() -> ready);
        jetty.setHandler(new GracefulHandler(new RequestLogHandler(new MetricsHandler(metrics, health), metrics)));
        jetty.setStopTimeout(TimeUnit.SECONDS.toMillis(config.shutdownGraceSeconds()));
        jetty.setStopAtShutdown(false); // we stop it ourselves, before the database
    }

    public static void main(String[] args) {
        Security.limitJsonNesting(); // before any JSON parser exists
        // A thread that dies of an exception (HAPI's rest-hook delivery threads do when an endpoint's answer
        // cannot be parsed) is one ERROR line with the thread and the exception's class: the JVM's default
        // prints the whole stack trace, with the endpoint and resource in its message, to the log.
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> LOG.error(
                "Thread {} ended by {}", thread.getName(), e.getClass().getName()));
        ServerConfig config;
        try {
            config = ServerConfig.fromEnvironment();
        } catch (ServerConfig.InvalidConfigException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        RasGuardServer server = new RasGuardServer(config);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "rasguard-shutdown"));
        try {
            server.start();
        } catch (Exception e) {
            LOG.error("RAS Guard could not start: {}", rootMessage(e));
            server.close();
            System.exit(1);
        }
        if (config.exitAfterWarmUp()) {
            server.exitAfterWarmUp();
        }
    }

    /**
     * RASGUARD_EXIT_AFTER_WARM_UP: the classes of a whole start and of the validator's warm-up are loaded
     * by now; a JVM started with {@code -XX:ArchiveClassesAtExit} writes them into an application
     * class-data archive as it exits (JEP 350), which later starts map instead of loading each class
     * from the jars again (README, Faster start).
     */
    private void exitAfterWarmUp() {
        int status = 0;
        try {
            if (!spring.getBean(ValidationWarmUp.class).awaitDone(java.time.Duration.ofMinutes(5))) {
                LOG.error("Validation warm-up still running after 5 minutes");
                status = 1;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = 1;
        }
        LOG.info("Warmed up; exiting (RASGUARD_EXIT_AFTER_WARM_UP)");
        close();
        System.exit(status);
    }

    /** Binds the port, then builds storage and knowledge; returns once {@code /health} answers 200. */
    public void start() throws Exception {
        long started = System.nanoTime();
        jetty.start();
        LOG.info(
                "RAS Guard listening on http://{}:{} (database: {})",
                config.host(),
                port(),
                config.database().describe());
        Security.logPosture(config.security(), config.host());

        AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
        context.registerBean(ServerConfig.class, () -> config);
        context.registerBean(Metrics.class, () -> metrics);
        context.register(
                FhirJpaConfig.class,
                StoreConfig.class,
                KnowledgeConfig.class,
                FhirRestConfig.class,
                CdsHooksConfig.class,
                SubscriptionDeliveryConfig.class,
                LateResultConfig.class);
        spring = context;
        context.refresh();
        context.getBean(HikariDataSource.class)
                .setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(metrics.registry()));
        // Stored while the servlets are built (both take seconds, on different cores); awaited before
        // ready: /health 200 means the knowledge is stored, and RASGUARD_DEMO_DATA's example patients.
        CompletableFuture<Void> knowledgeStored = CompletableFuture.runAsync(() -> {
            context.getBean(KnowledgeLoader.class).load();
            context.getBean(AuditSearchParameters.class).retireUnsearched();
            // Our SearchParameters (stored Bundles by patient; AuditEvent's not indexed) in force before /health says
            // ready.
            context.getBean(SearchParamRegistryImpl.class).forceRefresh();
            ClinicianPage.loadDemoData(context, config);
        });

        ServletContextHandler application = new ServletContextHandler("/");
        application.setErrorHandler(new JsonServletErrorHandler());
        // A client gone while its answer is written: one INFO line, never a 500 with stack traces.
        application.addFilter(new FilterHolder(new ClientAborts.Filter()), "/*", EnumSet.of(DispatcherType.REQUEST));
        // Methods and charsets nothing here serves: 405 / 415 before any other code sees them.
        application.addFilter(new FilterHolder(new RequestHygieneFilter()), "/*", EnumSet.of(DispatcherType.REQUEST));
        // Authentication next: an unauthenticated caller gets 401 before any body is read.
        Security.protectCdsHooks(application, config.security(), context.getBean(DataSource.class));
        RestfulServer restfulServer = context.getBean(RestfulServer.class);
        Security.protectFhirApi(application, restfulServer, config.security());
        // The body decompressed and in UTF-8, its size limit counted on that; then nesting and number
        // checks on it, before any parser builds objects from the body.
        application.addFilter(
                new FilterHolder(new DecodedBodyFilter(config.maxRequestBytes())),
                "/*",
                EnumSet.of(DispatcherType.REQUEST));
        application.addFilter(new FilterHolder(new JsonGuardFilter()), "/*", EnumSet.of(DispatcherType.REQUEST));
        restfulServer.setUncompressIncomingContents(false); // DecodedBodyFilter did, within the limit
        restfulServer.registerInterceptor(new DecimalRangeInterceptor());
        RateLimit rateLimit = Security.rateLimit(config.security());
        restfulServer.registerInterceptor(new BundleEntryLimit(config.maxBundleEntries(), rateLimit::charge));
        ServletHolder fhir = new ServletHolder("fhir", restfulServer);
        fhir.setInitOrder(1);
        application.addServlet(fhir, "/fhir/*");
        application.addServlet(
                new ServletHolder("cds-hooks", CdsHooksServlet.create(context, config)), "/cds-services/*");
        ClinicianPage.register(application, context, config); // "/" and /ui/*, only while CDS and FHIR are open
        // /health and /metrics stay outside the Host allowlist and the rate limit. CORS (RASGUARD_CORS_ORIGINS)
        // outside both: preflights are answered before them, and their refusals carry the CORS headers.
        Handler served = CrossOrigin.around(
                new HostAllowlistHandler(
                        rateLimit.protect(application), config.security().allowedHosts()),
                config.corsOrigins());
        served.setServer(jetty);
        served.start();
        try {
            knowledgeStored.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
        health.setHandler(served);

        ready = true;
        LOG.info("RAS Guard ready in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        // Profile snapshots for the first lab request, now that start-up no longer needs the CPU.
        context.getBean(ValidationWarmUp.class).start();
    }

    /** The bound port (useful when configured as 0). */
    public int port() {
        return connector.getLocalPort();
    }

    /** Graceful stop: refuse new requests, finish those in flight, then close the database. */
    @Override
    public synchronized void close() {
        if (!ready && spring == null && !jetty.isStarted()) {
            return;
        }
        ready = false;
        LOG.info("RAS Guard stopping");
        try {
            jetty.stop();
        } catch (Exception e) {
            LOG.warn("Jetty did not stop cleanly: {}", rootMessage(e));
        }
        AnnotationConfigApplicationContext context = spring;
        spring = null;
        if (context != null) {
            context.close();
        }
        LOG.info("RAS Guard stopped");
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
