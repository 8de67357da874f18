package org.rasguard.server;

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
        int shutdownGraceSeconds) {

    /** Every variable this server reads, in README order. */
    public static final List<String> VARIABLES = List.of(
            "RASGUARD_HOST",
            "RASGUARD_PORT",
            "RASGUARD_DATA_DIR",
            "RASGUARD_DB_URL",
            "RASGUARD_DB_USER",
            "RASGUARD_DB_PASSWORD",
            "RASGUARD_MAX_REQUEST_BYTES",
            "RASGUARD_SHUTDOWN_GRACE_SECONDS");

    static final long DEFAULT_MAX_REQUEST_BYTES = 20L * 1024 * 1024;

    /** The database to use: embedded H2 under the data directory, or a server named by a JDBC URL. */
    public record Database(Kind kind, String jdbcUrl, String user, String password) {

        public enum Kind { H2, POSTGRESQL }

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
        Path dataDir = Path.of(value(env, "RASGUARD_DATA_DIR", "./data")).toAbsolutePath().normalize();
        long maxRequestBytes = longValue(env, "RASGUARD_MAX_REQUEST_BYTES", DEFAULT_MAX_REQUEST_BYTES, 1024, Long.MAX_VALUE, problems);
        int graceSeconds = intValue(env, "RASGUARD_SHUTDOWN_GRACE_SECONDS", 20, 0, 600, problems);

        Database database = database(env, dataDir, problems);

        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
        return new ServerConfig(host, port, dataDir, database, maxRequestBytes, graceSeconds);
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

    private static String value(Function<String, String> env, String name, String fallback) {
        String raw = env.apply(name);
        return raw == null || raw.isBlank() ? fallback : raw.trim();
    }

    private static int intValue(Function<String, String> env, String name, int fallback, int min, int max, List<String> problems) {
        return (int) longValue(env, name, fallback, min, max, problems);
    }

    private static long longValue(Function<String, String> env, String name, long fallback, long min, long max, List<String> problems) {
        String raw = value(env, name, null);
        if (raw == null) {
            return fallback;
        }
        try {
            long parsed = Long.parseLong(raw);
            if (parsed < min || parsed > max) {
                problems.add(name + "=" + raw + " is out of range (" + min + ".." + max + ")");
            }
            return parsed;
        } catch (NumberFormatException e) {
            problems.add(name + "='" + raw + "' is not a whole number");
            return fallback;
        }
    }
}
