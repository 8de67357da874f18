package org.rasguard.server;

import ca.uhn.fhir.rest.server.RestfulServer;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.rasguard.server.fhir.FhirJpaConfig;
import org.rasguard.server.fhir.FhirRestConfig;
import org.rasguard.server.knowledge.KnowledgeConfig;
import org.rasguard.server.hooks.CdsHooksServlet;
import org.rasguard.server.http.HealthHandler;
import org.rasguard.server.http.JsonErrorHandler;
import org.rasguard.server.http.JsonServletErrorHandler;
import org.rasguard.server.http.RequestBodyLimitFilter;
import org.rasguard.server.http.RequestLogHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

/**
 * The one runnable RAS Guard process: embedded Jetty serving the FHIR API at {@code /fhir}, the CDS
 * Hooks service at {@code /cds-services} and {@code /health}.
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
        jetty.addConnector(connector);
        jetty.setErrorHandler(new JsonErrorHandler());
        this.health = new HealthHandler(() -> ready);
        jetty.setHandler(new GracefulHandler(new RequestLogHandler(health)));
        jetty.setStopTimeout(TimeUnit.SECONDS.toMillis(config.shutdownGraceSeconds()));
        jetty.setStopAtShutdown(false); // we stop it ourselves, before the database
    }

    public static void main(String[] args) {
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
    }

    /** Binds the port, then builds storage and knowledge; returns once {@code /health} answers 200. */
    public void start() throws Exception {
        long started = System.nanoTime();
        jetty.start();
        LOG.info("RAS Guard listening on http://{}:{} (database: {})", config.host(), port(), config.database().describe());

        AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
        context.registerBean(ServerConfig.class, () -> config);
        context.register(FhirJpaConfig.class, KnowledgeConfig.class, FhirRestConfig.class);
        spring = context;
        context.refresh();

        ServletContextHandler application = new ServletContextHandler("/");
        application.setErrorHandler(new JsonServletErrorHandler());
        application.addFilter(new FilterHolder(new RequestBodyLimitFilter(config.maxRequestBytes())),
                "/*", EnumSet.of(DispatcherType.REQUEST));
        ServletHolder fhir = new ServletHolder("fhir", context.getBean(RestfulServer.class));
        fhir.setInitOrder(1);
        application.addServlet(fhir, "/fhir/*");
        application.addServlet(new ServletHolder("cds-hooks", new CdsHooksServlet()), "/cds-services/*");
        application.setServer(jetty);
        application.start();
        health.setHandler(application);

        ready = true;
        LOG.info("RAS Guard ready in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
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
