package io.seqguard.internal;

import io.seqguard.StartupGuard;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The guard's own connection, held for the whole run because it carries the session-level advisory lock. Every unit
 * of work is a short transaction with {@code SET LOCAL} limits; the lock is released before the connection goes back
 * to the pool, and a connection whose lock cannot be released is aborted so that the pool discards it rather than
 * lend a connection that still holds the lock.
 */
final class GuardSession implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StartupGuard.class);

    private final Connection connection;
    private final boolean wasAutoCommit;
    /** Null when no lock is held; else whether the held lock is exclusive. */
    private Boolean held;

    GuardSession(Connection connection) throws SQLException {
        this.connection = connection;
        this.wasAutoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
    }

    <T> T inTransaction(long statementMillis, long lockMillis, Transactions.Work<T> work) throws SQLException {
        return Transactions.run(connection, Transactions.limits(statementMillis, lockMillis), work);
    }

    /** Takes the lock if it is free, without waiting. */
    boolean tryLock(boolean exclusive, long statementMillis) throws SQLException {
        boolean got = inTransaction(statementMillis, statementMillis, c -> {
            try (PreparedStatement ps = c.prepareStatement(exclusive ? "SELECT pg_try_advisory_lock(?)"
                    : "SELECT pg_try_advisory_lock_shared(?)")) {
                ps.setLong(1, StartupGuard.ADVISORY_LOCK_KEY);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getBoolean(1);
                }
            }
        });
        if (got) {
            held = exclusive;
        }
        return got;
    }

    /**
     * Waits for the lock, at most {@code waitMillis} ({@code lock_timeout}; SQLState 55P03 when it passes). The lock
     * is session level: it outlives the transaction that took it.
     */
    void waitLock(boolean exclusive, long waitMillis) throws SQLException {
        inTransaction(waitMillis + 5_000, waitMillis, c -> {
            try (PreparedStatement ps = c.prepareStatement(exclusive ? "SELECT pg_advisory_lock(?)"
                    : "SELECT pg_advisory_lock_shared(?)")) {
                ps.setLong(1, StartupGuard.ADVISORY_LOCK_KEY);
                ps.executeQuery().close();
            }
            return null;
        });
        held = exclusive;
    }

    /** Releases the lock when held; a connection that cannot release it is aborted. */
    void unlock() {
        if (held == null) {
            return;
        }
        boolean exclusive = held;
        held = null;
        try {
            boolean released = inTransaction(10_000, 10_000, c -> {
                try (PreparedStatement ps = c.prepareStatement(exclusive ? "SELECT pg_advisory_unlock(?)"
                        : "SELECT pg_advisory_unlock_shared(?)")) {
                    ps.setLong(1, StartupGuard.ADVISORY_LOCK_KEY);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return rs.getBoolean(1);
                    }
                }
            });
            if (!released) {
                log.warn("seqguard startup guard: the seqguard lock was not held any more when releasing it");
            }
        } catch (SQLException e) {
            log.warn("seqguard startup guard: could not release the seqguard lock ({}); discarding the connection so "
                    + "that the server ends the session and its lock", e.getMessage());
            abort();
        }
    }

    private void abort() {
        try {
            connection.abort(Runnable::run);
        } catch (SQLException | RuntimeException e) {
            log.debug("seqguard startup guard: abort failed", e);
        }
    }

    @Override
    public void close() {
        unlock();
        try {
            connection.setAutoCommit(wasAutoCommit);
        } catch (SQLException ignored) {
            // a broken connection: the pool validates it before lending it again
        } finally {
            Transactions.closeQuietly(connection);
        }
    }
}
