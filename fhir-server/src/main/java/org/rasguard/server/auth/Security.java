package org.rasguard.server.auth;

import ca.uhn.fhir.rest.server.RestfulServer;
import com.fasterxml.jackson.core.StreamReadConstraints;
import jakarta.servlet.DispatcherType;
import java.time.Clock;
import java.util.EnumSet;
import javax.sql.DataSource;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.rasguard.server.config.SecuritySettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the security settings into the running server: what is authenticated (said once at start),
 * the CDS client JWT filter, the FHIR API's bearer-token authorization, the per-client rate limit and
 * the JSON nesting limit. {@link org.rasguard.server.RasGuardServer} calls these; the checks
 * themselves live in the classes named.
 */
public final class Security {

    /** Deepest JSON nesting our own parsers accept (HAPI's FHIR JSON parser keeps Jackson's 1000). */
    public static final int MAX_JSON_NESTING = 200;

    private static final Logger LOG = LoggerFactory.getLogger(Security.class);

    private Security() {}

    /**
     * Lowers Jackson's default nesting depth for every parser built after this call; run first thing
     * in {@code main}, before any ObjectMapper exists.
     */
    public static void limitJsonNesting() {
        StreamReadConstraints.overrideDefaultStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(MAX_JSON_NESTING)
                .build());
    }

    /** One log block at start: what is protected and how; loud when authentication is off. */
    public static void logPosture(SecuritySettings settings, String host) {
        if (settings.authDisabled()) {
            String banner = "*".repeat(78);
            LOG.warn(banner);
            LOG.warn("RASGUARD_AUTH=disabled: the CDS service and the FHIR API accept ANY caller on {}.", host);
            LOG.warn("Anyone who can reach this port can read and write patient data. Configure");
            LOG.warn("RASGUARD_CDS_ISSUERS, RASGUARD_FHIR_ISSUER and RASGUARD_FHIR_JWKS instead (README, Security).");
            LOG.warn(banner);
            return;
        }
        if (settings.cdsAuthRequired()) {
            LOG.info(
                    "CDS Hooks: client JWTs required from {} issuer(s), algorithms {}",
                    settings.cdsIssuers().size(),
                    settings.algorithms());
        } else {
            LOG.warn("CDS Hooks: no RASGUARD_CDS_ISSUERS, the service is open; serving loopback ({}) only", host);
        }
        if (settings.fhirAuthRequired()) {
            LOG.info(
                    "FHIR API: bearer tokens from {} required (SMART scopes); /fhir/metadata and /health public",
                    settings.fhirIssuer());
        } else {
            LOG.warn("FHIR API: no RASGUARD_FHIR_ISSUER, the API is open; serving loopback ({}) only", host);
        }
        if ((settings.cdsAuthRequired() || (settings.fhirAuthRequired() && settings.fhirAudience() == null))
                && settings.publicBaseUrl() == null) {
            LOG.warn("RASGUARD_PUBLIC_BASE_URL is not set: token audiences are checked against the Host header of"
                    + " each request; set it to the URL clients use (always, behind a proxy)");
        }
        LOG.info(
                "Rate limit: {}",
                settings.rateLimitPerSecond() == 0
                        ? "off"
                        : settings.rateLimitPerSecond() + " requests/s per client address");
    }

    /** Adds the CDS client JWT filter in front of {@code /cds-services/*}, when CDS issuers are configured. */
    public static void protectCdsHooks(
            ServletContextHandler application, SecuritySettings settings, DataSource database) {
        if (!settings.cdsAuthRequired()) {
            return;
        }
        ReplayStore replay = new JdbcReplayStore(database, Clock.systemUTC()).createTable();
        CdsJwtVerifier verifier = CdsJwtVerifier.create(settings, KeySources::of, replay, Clock.systemUTC());
        application.addFilter(
                new FilterHolder(new CdsAuthFilter(verifier, settings.publicBaseUrl())),
                "/cds-services/*",
                EnumSet.of(DispatcherType.REQUEST));
    }

    /**
     * Bearer-token authentication in front of {@code /fhir/*} (before any filter reads a body) and
     * SMART-scope authorization on the FHIR API, when a FHIR issuer is configured.
     */
    public static void protectFhirApi(
            ServletContextHandler application, RestfulServer fhir, SecuritySettings settings) {
        if (!settings.fhirAuthRequired()) {
            return;
        }
        AccessTokenVerifier verifier = new AccessTokenVerifier(
                settings.fhirIssuer(),
                KeySources.of(settings.fhirJwks()),
                settings.algorithms(),
                Clock.systemUTC(),
                settings.fhirMaxTokenLifetime());
        application.addFilter(
                new FilterHolder(new FhirAuthFilter(verifier, settings.fhirAudience(), settings.publicBaseUrl())),
                "/fhir/*",
                EnumSet.of(DispatcherType.REQUEST));
        SmartAuthorizationInterceptor authorization = new SmartAuthorizationInterceptor(
                verifier, settings.fhirAudience(), settings.publicBaseUrl(), fhir.getFhirContext());
        fhir.registerInterceptor(authorization);
        authorization.companions().forEach(fhir::registerInterceptor);
    }

    /** The per-client rate limit of {@code RASGUARD_RATE_LIMIT_PER_SECOND}; {@code /health} stays outside it. */
    public static RateLimit rateLimit(SecuritySettings settings) {
        return new RateLimit(settings.rateLimitPerSecond());
    }
}
