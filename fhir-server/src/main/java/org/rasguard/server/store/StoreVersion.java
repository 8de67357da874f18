package org.rasguard.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * A number that changes whenever what our FHIR store holds changes: one row in the server's own
 * database (H2 or PostgreSQL), incremented by {@link StoreChangeInterceptor} inside every
 * transaction that creates, updates or deletes a resource, just before that transaction commits.
 *
 * <p>What it is for: a cache entry stamped with the number read <em>before</em> its data was
 * loaded is current for exactly as long as the number stays the same. A write that commits while
 * the data is being loaded makes the number differ at the next look, so the entry is reloaded; the
 * error can only ever be one reload too many, never a stale answer. The row lives in the shared
 * database, so this holds for every replica.
 */
public final class StoreVersion {

    static final String TABLE = "rasguard_store_version";
    static final String INCREMENT = "UPDATE " + TABLE + " SET version = version + 1 WHERE id = 1";
    private static final String UNIQUE_VIOLATION = "23505";

    private final DataSource dataSource;

    public StoreVersion(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Creates the table and its one row if they are not there; safe on every start and every replica. */
    public StoreVersion createTable() {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            connection.setAutoCommit(true);
            statement.execute(
                    "CREATE TABLE IF NOT EXISTS " + TABLE + " (id INT NOT NULL PRIMARY KEY, version BIGINT NOT NULL)");
            try (ResultSet row = statement.executeQuery("SELECT COUNT(*) FROM " + TABLE + " WHERE id = 1")) {
                row.next();
                if (row.getLong(1) == 0) {
                    statement.executeUpdate("INSERT INTO " + TABLE + " (id, version) VALUES (1, 0)");
                }
            }
        } catch (SQLException e) {
            if (!UNIQUE_VIOLATION.equals(e.getSQLState())) { // another replica inserted the row first: fine
                throw new IllegalStateException("Cannot create the table " + TABLE + ": " + e.getMessage(), e);
            }
        }
        return this;
    }

    /** The number now, as committed; one primary-key read. */
    public long current() {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select =
                        connection.prepareStatement("SELECT version FROM " + TABLE + " WHERE id = 1")) {
            connection.setAutoCommit(true);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    throw new IllegalStateException("The row of " + TABLE + " is missing");
                }
                return row.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read " + TABLE + ": SQLSTATE " + e.getSQLState(), e);
        }
    }
}
