package org.rasguard.server.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;

/**
 * The database an integration-test server runs on. By default the embedded H2 in the server's data
 * directory. When {@code .ci/run} (or a developer) provides a PostgreSQL server through the system
 * property {@code rasguard.it.postgres.url} (an admin JDBC URL, with {@code .user} and
 * {@code .password}), each call to {@link #fresh()} creates a new, empty database on it, so test
 * servers never see each other's data.
 */
public final class TestDatabase {

    private TestDatabase() {}

    /** Whether this run targets PostgreSQL. */
    public static boolean isPostgresql() {
        String url = System.getProperty("rasguard.it.postgres.url", "");
        return !url.isBlank();
    }

    /** Environment variables that point a server at a new empty database (none for embedded H2). */
    public static Map<String, String> fresh() {
        if (!isPostgresql()) {
            return Map.of();
        }
        String adminUrl = System.getProperty("rasguard.it.postgres.url");
        String user = System.getProperty("rasguard.it.postgres.user", "postgres");
        String password = System.getProperty("rasguard.it.postgres.password", "");
        String name =
                "rasguard_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection admin = DriverManager.getConnection(adminUrl, user, password);
                Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create test database on " + adminUrl, e);
        }
        String databaseUrl = adminUrl.substring(0, adminUrl.lastIndexOf('/') + 1) + name;
        return Map.of("RASGUARD_DB_URL", databaseUrl, "RASGUARD_DB_USER", user, "RASGUARD_DB_PASSWORD", password);
    }
}
