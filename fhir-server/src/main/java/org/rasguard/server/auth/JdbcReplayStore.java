package org.rasguard.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ReplayStore} in the server's own database (H2 or PostgreSQL), so a replay is refused after a
 * restart and by every replica that shares the database. One small table, created at start with plain
 * JDBC: the primary key is a SHA-256 of issuer and {@code jti}, so a second insert of the same token
 * fails with a unique-key violation (SQLSTATE 23505 on both databases), atomically, without a
 * read-then-write race between replicas. Expired rows are purged now and then.
 */
public final class JdbcReplayStore implements ReplayStore {

    static final String TABLE = "rasguard_jwt_replay";
    private static final Logger LOG = LoggerFactory.getLogger(JdbcReplayStore.class);
    private static final String UNIQUE_VIOLATION = "23505";
    private static final Duration PURGE_EVERY = Duration.ofMinutes(5);

    private final DataSource dataSource;
    private final Clock clock;
    private final AtomicLong nextPurge = new AtomicLong();

    public JdbcReplayStore(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /** Creates the table if it is not there yet; safe to run on every start, on every replica. */
    public JdbcReplayStore createTable() {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS " + TABLE
                    + " (token_key VARCHAR(64) NOT NULL PRIMARY KEY, expires_at BIGINT NOT NULL)");
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create the table " + TABLE + ": " + e.getMessage(), e);
        }
        return this;
    }

    @Override
    public boolean firstUse(String issuer, String jti, Instant forgetAfter) {
        purgeNowAndThen();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO " + TABLE + " (token_key, expires_at) VALUES (?, ?)")) {
            connection.setAutoCommit(true);
            insert.setString(1, key(issuer, jti));
            insert.setLong(2, forgetAfter.getEpochSecond());
            insert.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                return false;
            }
            throw new IllegalStateException("Replay store unavailable: SQLSTATE " + e.getSQLState(), e);
        }
    }

    private void purgeNowAndThen() {
        long now = clock.millis();
        long due = nextPurge.get();
        if (now < due || !nextPurge.compareAndSet(due, now + PURGE_EVERY.toMillis())) {
            return;
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement delete =
                        connection.prepareStatement("DELETE FROM " + TABLE + " WHERE expires_at < ?")) {
            connection.setAutoCommit(true);
            delete.setLong(1, clock.instant().getEpochSecond());
            int purged = delete.executeUpdate();
            if (purged > 0) {
                LOG.debug("Purged {} expired JWT ids", purged);
            }
        } catch (SQLException e) {
            LOG.warn("Could not purge expired JWT ids: SQLSTATE {}", e.getSQLState());
        }
    }

    static String key(String issuer, String jti) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(issuer.getBytes(StandardCharsets.UTF_8));
            sha256.update((byte) 0);
            sha256.update(jti.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha256.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
