package org.rasguard.server.config;

import static org.rasguard.server.config.Env.booleanValue;
import static org.rasguard.server.config.Env.intValue;
import static org.rasguard.server.config.Env.list;
import static org.rasguard.server.config.Env.longValue;
import static org.rasguard.server.config.Env.value;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Every setting of the server, read once from {@code RASGUARD_*} environment variables at start and
 * validated before anything else happens. A bad value stops the server with a message naming the
 * variable; nothing is guessed.
 *
 * <p>The README's configuration table lists the same variables; {@link #VARIABLES} is the list a test
 * compares it with.
 */
public record ServerConfig(
        String host,
        int port,
        Path dataDir,
        Database database,
        long maxRequestBytes,
        int maxBundleEntries,
        int shutdownGraceSeconds,
        Validation validation,
        List<String> cdsFhirServers,
        boolean cdsWildTypeInfo,
        java.util.Set<org.rasguard.knowledge.G12cInhibitor> cdsG12cCombinations,
        List<String> corsOrigins,
        int storeCacheResources,
        PatientEvidence patientEvidence,
        org.rasguard.server.config.SecuritySettings security,
        org.rasguard.server.config.UiSettings ui,
        Observability observability,
        int reminderDays,
        org.rasguard.server.config.LateResultSettings lateResults,
        boolean exitAfterWarmUp) {

    /** Every variable this server reads, in README order; each feature's settings list its own. */
    public static final List<String> VARIABLES = java.util.stream.Stream.of(
                    List.of(
                            "RASGUARD_HOST",
                            "RASGUARD_PORT",
                            "RASGUARD_DATA_DIR",
                            "RASGUARD_DB_URL",
                            "RASGUARD_DB_USER",
                            "RASGUARD_DB_PASSWORD",
                            "RASGUARD_MAX_REQUEST_BYTES",
                            "RASGUARD_MAX_BUNDLE_ENTRIES",
                            "RASGUARD_SHUTDOWN_GRACE_SECONDS",
                            "RASGUARD_VALIDATION",
                            "RASGUARD_CDS_FHIR_SERVERS",
                            "RASGUARD_CDS_WILDTYPE_INFO",
                            "RASGUARD_CDS_G12C_COMBINATIONS",
                            "RASGUARD_CORS_ORIGINS",
                            "RASGUARD_CDS_CORS_ORIGINS",
                            "RASGUARD_STORE_CACHE_RESOURCES",
                            "RASGUARD_CDS_SHARED_PATIENT_IDS",
                            "RASGUARD_PATIENT_IDENTIFIER_SYSTEMS",
                            "RASGUARD_EVIDENCE_MAX_RESOURCES",
                            "RASGUARD_REMINDER_DAYS",
                            "RASGUARD_EXIT_AFTER_WARM_UP"),
                    org.rasguard.server.config.SecuritySettings.VARIABLES,
                    org.rasguard.server.config.UiSettings.VARIABLES,
                    // Audit trail and logs (Observability)
                    List.of("RASGUARD_AUDIT", "RASGUARD_AUDIT_RETENTION_DAYS", "RASGUARD_LOG_FORMAT"),
                    org.rasguard.server.config.LateResultSettings.VARIABLES)
            .flatMap(List::stream)
            .toList();

    static final long DEFAULT_MAX_REQUEST_BYTES = 20L * 1024 * 1024;
    static final int DEFAULT_MAX_BUNDLE_ENTRIES = 1000;

    /** The database to use: embedded H2 under the data directory, or a server named by a JDBC URL. */
    public record Database(Kind kind, String jdbcUrl, String user, String password) {

        public enum Kind {
            H2,
            POSTGRESQL
        }

        /** The URL without credentials, safe to log. */
        public String describe() {
            int query = jdbcUrl.indexOf('?');
            return query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
        }

        @Override
        public String toString() {
            return "Database[" + kind + ", " + describe() + "]";
        }
    }

    /**
     * What the server does with the result of validating incoming Observations, DiagnosticReports and
     * Bundles against FHIR R4 and the genomics profiles (see {@code org.rasguard.server.ingest}).
     */
    public enum Validation {
        /** No validation; structurally invalid FHIR is still refused by the parser. */
        OFF,
        /** Invalid FHIR is refused; profile deviations are stored and reported as warnings. */
        WARN,
        /** As {@link #WARN}, and a profile error refuses the resource too. */
        STRICT
    }

    /**
     * The audit trail and the logs.
     *
     * @param audit record every CDS decision as an AuditEvent ({@code RASGUARD_AUDIT}, default on; off
     *     only to measure what auditing costs)
     * @param auditRetentionDays delete AuditEvents older than this many days; null keeps them all
     * @param jsonLogs one JSON object per log line instead of text ({@code RASGUARD_LOG_FORMAT=json});
     *     logback.xml reads the variable itself, this only validates it
     */
    public record Observability(boolean audit, Integer auditRetentionDays, boolean jsonLogs) {}

    /**
     * Whose results are a patient's (issue 14: evidence belongs to the patient).
     *
     * @param cdsSharedPatientIds the EHRs calling the CDS service use our store's patient ids
     *     ({@code RASGUARD_CDS_SHARED_PATIENT_IDS}, default false: match by identifier only, by id only
     *     when a call's fhirServer is this server)
     * @param identifierSystems identifier systems that identify a person ({@code RASGUARD_PATIENT_IDENTIFIER_SYSTEMS});
     *     empty: every system
     * @param maxResources how many of a patient's resources the store reads for one decision
     *     ({@code RASGUARD_EVIDENCE_MAX_RESOURCES}); past it the status is unknown, reason truncated
     */
    public record PatientEvidence(
            boolean cdsSharedPatientIds, java.util.Set<String> identifierSystems, int maxResources) {
        public PatientEvidence {
            identifierSystems = java.util.Set.copyOf(identifierSystems);
        }
    }

    /** Thrown when the environment holds a value the server cannot start with. */
    public static final class InvalidConfigException extends RuntimeException {
        public InvalidConfigException(List<String> problems) {
            super("Invalid configuration:\n  - " + String.join("\n  - ", problems));
        }
    }

    public static ServerConfig fromEnvironment() {
        return from(System.getenv()::get);
    }

    public static ServerConfig from(Map<String, String> environment) {
        return from(environment::get);
    }

    /** Reads and validates every setting; collects all problems before failing, so one run shows them all. */
    public static ServerConfig from(Function<String, String> env) {
        List<String> problems = new ArrayList<>();

        String host = value(env, "RASGUARD_HOST", "127.0.0.1");
        try {
            InetAddress.getByName(host);
        } catch (UnknownHostException | SecurityException e) {
            problems.add("RASGUARD_HOST='" + host + "' is not an address or a resolvable host name");
        }

        int port = intValue(env, "RASGUARD_PORT", 8080, 0, 65535, problems);
        Path dataDir = Path.of(value(env, "RASGUARD_DATA_DIR", "./data"))
                .toAbsolutePath()
                .normalize();
        long maxRequestBytes =
                longValue(env, "RASGUARD_MAX_REQUEST_BYTES", DEFAULT_MAX_REQUEST_BYTES, 1024, Long.MAX_VALUE, problems);
        // Entries of one transaction or batch Bundle (issue 16, row 10); each is a write or a search of its own.
        int maxBundleEntries =
                intValue(env, "RASGUARD_MAX_BUNDLE_ENTRIES", DEFAULT_MAX_BUNDLE_ENTRIES, 1, 100_000, problems);
        int graceSeconds = intValue(env, "RASGUARD_SHUTDOWN_GRACE_SECONDS", 20, 0, 600, problems);

        Database database = database(env, dataDir, problems);
        Validation validation = validation(env, problems);

        // CDS Hooks: the client FHIR servers the service may call (https unless written http://) and the
        // wild-type info card. Empty list: never call out.
        List<String> cdsFhirServers = list(env, "RASGUARD_CDS_FHIR_SERVERS");
        try {
            org.rasguard.cdshooks.FhirServerAllowlist.of(cdsFhirServers);
        } catch (IllegalArgumentException e) {
            problems.add("RASGUARD_CDS_FHIR_SERVERS: " + e.getMessage());
        }
        boolean cdsWildTypeInfo = booleanValue(env, "RASGUARD_CDS_WILDTYPE_INFO", false, problems);
        java.util.Set<org.rasguard.knowledge.G12cInhibitor> cdsG12cCombinations = g12cCombinations(env, problems);
        List<String> corsOrigins = corsOrigins(env, problems);

        // Resources of our store the CDS service keeps between calls (0: read the store every call).
        int storeCacheResources = intValue(env, "RASGUARD_STORE_CACHE_RESOURCES", 20_000, 0, 10_000_000, problems);

        PatientEvidence patientEvidence = new PatientEvidence(
                booleanValue(env, "RASGUARD_CDS_SHARED_PATIENT_IDS", false, problems),
                java.util.Set.copyOf(list(env, "RASGUARD_PATIENT_IDENTIFIER_SYSTEMS")),
                intValue(
                        env,
                        "RASGUARD_EVIDENCE_MAX_RESOURCES",
                        org.rasguard.cdshooks.CdsHooksService.Settings.DEFAULT_EVIDENCE_MAX_RESOURCES,
                        1,
                        1_000_000,
                        problems));

        org.rasguard.server.config.SecuritySettings security =
                org.rasguard.server.config.SecuritySettings.from(env, host, problems);
        org.rasguard.server.config.UiSettings ui = org.rasguard.server.config.UiSettings.from(env, security, problems);

        Observability observability = observability(env, problems);
        org.rasguard.server.config.LateResultSettings lateResults =
                org.rasguard.server.config.LateResultSettings.from(env, problems);

        // patient-view: at most one RAS testing reminder per patient per this many days.
        int reminderDays = intValue(
                env,
                "RASGUARD_REMINDER_DAYS",
                org.rasguard.decision.ChartDecider.DEFAULT_REMINDER_DAYS,
                1,
                3650,
                problems);

        // A training run: start, warm up, stop (the class-data archive is written at exit; README, Faster start).
        boolean exitAfterWarmUp = booleanValue(env, "RASGUARD_EXIT_AFTER_WARM_UP", false, problems);

        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
        return new ServerConfig(
                host,
                port,
                dataDir,
                database,
                maxRequestBytes,
                maxBundleEntries,
                graceSeconds,
                validation,
                cdsFhirServers,
                cdsWildTypeInfo,
                cdsG12cCombinations,
                corsOrigins,
                storeCacheResources,
                patientEvidence,
                security,
                ui,
                observability,
                reminderDays,
                lateResults,
                exitAfterWarmUp);
    }

    /**
     * The browser origins allowed to call {@code /fhir} and {@code /cds-services} from another origin
     * (CORS, Fetch standard): {@code RASGUARD_CORS_ORIGINS}, or its older name
     * {@code RASGUARD_CDS_CORS_ORIGINS} (from when only the CDS service had CORS). Both set to different
     * lists is a mistake the operator must settle; empty: no CORS headers at all.
     */
    private static List<String> corsOrigins(Function<String, String> env, List<String> problems) {
        List<String> current = list(env, "RASGUARD_CORS_ORIGINS");
        List<String> alias = list(env, "RASGUARD_CDS_CORS_ORIGINS");
        String variable = "RASGUARD_CORS_ORIGINS";
        List<String> origins = current;
        if (!alias.isEmpty()) {
            if (!current.isEmpty() && !java.util.Set.copyOf(current).equals(java.util.Set.copyOf(alias))) {
                problems.add(
                        "RASGUARD_CORS_ORIGINS and RASGUARD_CDS_CORS_ORIGINS (its older name) are both set and differ:"
                                + " keep RASGUARD_CORS_ORIGINS only");
                return List.of();
            }
            origins = current.isEmpty() ? alias : current;
            variable = current.isEmpty() ? "RASGUARD_CDS_CORS_ORIGINS" : variable;
        }
        for (String origin : origins) {
            // An origin is scheme, host and optional port (RFC 6454 6.2): no path, no trailing slash.
            if (!origin.equals("*") && !origin.matches("(?i)https?://([a-z0-9.-]+|\\[[0-9a-f:.]+\\])(:[0-9]{1,5})?")) {
                problems.add(variable + ": '" + origin + "' is not an origin (scheme://host[:port]) or *");
            }
        }
        // Browsers send scheme and host in lower case; the allowlist compares exactly.
        return origins.stream()
                .map(origin -> origin.toLowerCase(Locale.ROOT))
                .distinct()
                .toList();
    }

    private static Database database(Function<String, String> env, Path dataDir, List<String> problems) {
        String url = value(env, "RASGUARD_DB_URL", null);
        String user = value(env, "RASGUARD_DB_USER", null);
        String password = value(env, "RASGUARD_DB_PASSWORD", null);
        if (url == null) {
            // Embedded H2 in file mode. DB_CLOSE_ON_EXIT=FALSE: we close it ourselves on shutdown.
            // WRITE_DELAY=0: a commit reaches the file before the client hears 200, so a killed
            // process loses no acknowledged transaction (H2's default delays writes by 500 ms).
            String h2 = "jdbc:h2:file:" + dataDir.resolve("rasguard").toString().replace('\\', '/')
                    + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0";
            return new Database(Database.Kind.H2, h2, user == null ? "sa" : user, password == null ? "" : password);
        }
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.startsWith("jdbc:postgresql:")) {
            return new Database(Database.Kind.POSTGRESQL, url, user, password);
        }
        if (lower.startsWith("jdbc:h2:")) {
            return new Database(Database.Kind.H2, url, user == null ? "sa" : user, password == null ? "" : password);
        }
        problems.add("RASGUARD_DB_URL must start with jdbc:postgresql: (PostgreSQL) or jdbc:h2: (embedded H2)");
        return null;
    }

    /**
     * The KRAS G12C inhibitors whose approved antibody combination the CDS service honours: all by
     * default, {@code none} for none. Lets an operator drop a combination whose approval is withdrawn
     * (clinical.md 2.2: adagrasib with cetuximab) without waiting for a release.
     */
    private static java.util.Set<org.rasguard.knowledge.G12cInhibitor> g12cCombinations(
            Function<String, String> env, List<String> problems) {
        java.util.Set<org.rasguard.knowledge.G12cInhibitor> honoured =
                java.util.EnumSet.noneOf(org.rasguard.knowledge.G12cInhibitor.class);
        String value = value(env, "RASGUARD_CDS_G12C_COMBINATIONS", null);
        if (value == null) {
            return java.util.EnumSet.allOf(org.rasguard.knowledge.G12cInhibitor.class);
        }
        if (value.trim().equalsIgnoreCase("none")) {
            return honoured;
        }
        for (String name : list(env, "RASGUARD_CDS_G12C_COMBINATIONS")) {
            try {
                honoured.add(org.rasguard.knowledge.G12cInhibitor.valueOf(name.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                problems.add("RASGUARD_CDS_G12C_COMBINATIONS: '" + name + "' is not sotorasib, adagrasib or none");
            }
        }
        return honoured;
    }

    private static Observability observability(Function<String, String> env, List<String> problems) {
        String audit = value(env, "RASGUARD_AUDIT", "on");
        if (!audit.equals("on") && !audit.equals("off")) {
            problems.add("RASGUARD_AUDIT='" + audit + "' is not on or off");
        }
        Integer retention = value(env, "RASGUARD_AUDIT_RETENTION_DAYS", null) == null
                ? null
                : intValue(env, "RASGUARD_AUDIT_RETENTION_DAYS", 0, 1, 36_500, problems);
        // Exactly the two lower-case words: logback.xml picks its appender by this value.
        String format = value(env, "RASGUARD_LOG_FORMAT", "text");
        if (!format.equals("text") && !format.equals("json")) {
            problems.add("RASGUARD_LOG_FORMAT='" + format + "' is not text or json");
        }
        return new Observability(!audit.equals("off"), retention, format.equals("json"));
    }

    private static Validation validation(Function<String, String> env, List<String> problems) {
        String raw = value(env, "RASGUARD_VALIDATION", "warn");
        try {
            return Validation.valueOf(raw.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            problems.add("RASGUARD_VALIDATION='" + raw + "' is not one of off, warn, strict");
            return Validation.WARN;
        }
    }
}
