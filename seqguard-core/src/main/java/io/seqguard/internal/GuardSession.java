package io.seqguard.internal;

import io.seqguard.StartupGuard;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The guard's own connection, held for the whole run because it carries the seqguard lock.
 *
 * <p>The lock is transaction level ({@code pg_advisory_xact_lock}), taken by a transaction that stays open on this
 * connection until the run ends: whatever happens to the run, the connection or a proxy in between, the lock ends
 * with that transaction and nothing stays behind on a server connection. A transaction-pooling proxy (PgBouncer
 * {@code pool_mode=transaction}) keeps one server connection for a transaction's whole duration, so the lock
 * serializes there as it does on a direct connection or in session pooling. While the lock is held, the guard's other
 * work on this connection runs inside that transaction, each unit behind a savepoint; before it is held, each unit is
 * a short transaction of its own. Every unit sets its limits with {@code SET LOCAL}; the lock transaction turns off,
 * for itself only, the server's idle-in-transaction and transaction timeouts, which would otherwise end it mid-run.
 *
 * <p>Waiting for the lock polls with short transactions instead of blocking in one: a blocked wait would keep one
 * of a transaction-pooling proxy's server connections for as long as it waits, and enough waiting instances would
 * take every one of them from the instance that holds the lock and needs some for its own work.
 */
final class GuardSession implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StartupGuard.class);

    private static final String SAVEPOINT = "seqguard_work";
    /**
     * The lock transaction: read committed whatever the pool's default, so that each statement reads the current
     * state and the idle transaction holds no snapshot between statements (vacuum is not held back); no
     * idle-in-transaction or transaction timeout (the latter exists from PostgreSQL 17 on) for this transaction.
     */
    private static final String LOCK_TRANSACTION = "SET TRANSACTION ISOLATION LEVEL READ COMMITTED; "
            + "SELECT pg_catalog.set_config(name, '0', true) FROM pg_catalog.pg_settings"
            + " WHERE name IN ('idle_in_transaction_session_timeout', 'transaction_timeout')";
    private static final String HOLDS_LOCK = "SELECT pg_catalog.count(*) FROM pg_catalog.pg_locks"
            + " WHERE locktype = 'advisory' AND granted AND pid = pg_catalog.pg_backend_pid()"
            + " AND classid::bigint = " + (StartupGuard.ADVISORY_LOCK_KEY >>> 32)
            + " AND objid::bigint = " + (StartupGuard.ADVISORY_LOCK_KEY & 0xffffffffL) + " AND objsubid = 1";
    private static final String LOCK_HOLDERS = "SELECT l.pid, l.mode, a.application_name, a.client_addr::text,"
            + " a.backend_start FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid"
            + " WHERE l.locktype = 'advisory' AND l.granted AND l.classid::bigint = ? AND l.objid::bigint = ?"
            + " AND l.objsubid = 1 AND l.pid <> pg_backend_pid()"
            + " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) ORDER BY l.pid";

    private static final long FIRST_POLL_MILLIS = 10;
    private static final long MAX_POLL_MILLIS = 200;

    private final Connection connection;
    private final boolean wasAutoCommit;
    private final int prepareThreshold;
    /** Null when no lock is held; else whether the held lock is exclusive. */
    private Boolean held;
    /** The server backend whose open transaction holds the lock. */
    private int lockPid;

    GuardSession(Connection connection) throws SQLException {
        this.connection = connection;
        this.wasAutoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        this.prepareThreshold = Transactions.withoutServerPrepare(connection);
    }

    /**
     * Runs the work with the limits: in a transaction of its own, or, while the lock is held, in the lock's
     * transaction behind a savepoint, so that a failing unit leaves the lock transaction intact.
     */
    <T> T inTransaction(long statementMillis, long lockMillis, Transactions.Work<T> work) throws SQLException {
        if (held == null) {
            return Transactions.run(connection, Transactions.limits(statementMillis, lockMillis), work);
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("SAVEPOINT " + SAVEPOINT + "; " + Transactions.limits(statementMillis, lockMillis));
            T result;
            try {
                result = work.run(connection);
            } catch (SQLException | RuntimeException | Error e) {
                try {
                    statement.execute("ROLLBACK TO SAVEPOINT " + SAVEPOINT);
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback); // the lock transaction is broken: lockLoss() says so
                }
                throw e;
            }
            statement.execute("RELEASE SAVEPOINT " + SAVEPOINT);
            return result;
        }
    }

    /**
     * Takes the lock if it is free, without waiting. When it is taken, its transaction stays open until
     * {@link #unlock()}; when not, nothing stays open.
     */
    boolean tryLock(boolean exclusive, long statementMillis) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(LOCK_TRANSACTION + "; " + Transactions.limits(statementMillis, statementMillis));
            try (ResultSet rs = statement.executeQuery("SELECT pg_catalog." + (exclusive
                    ? "pg_try_advisory_xact_lock(" : "pg_try_advisory_xact_lock_shared(")
                    + StartupGuard.ADVISORY_LOCK_KEY + "), pg_catalog.pg_backend_pid()")) {
                rs.next();
                if (rs.getBoolean(1)) {
                    held = exclusive;
                    lockPid = rs.getInt(2);
                    return true;
                }
            }
        } catch (SQLException | RuntimeException | Error e) {
            Transactions.rollbackQuietly(connection);
            throw e;
        }
        connection.rollback();
        return false;
    }

    /**
     * Polls for the lock until it is taken, {@code waitMillis} have passed or {@code stop} says so.
     *
     * @return whether the lock is held now
     */
    boolean awaitLock(boolean exclusive, long statementMillis, long waitMillis, BooleanSupplier stop)
            throws SQLException {
        long deadline = System.nanoTime() + waitMillis * 1_000_000;
        for (long pause = FIRST_POLL_MILLIS; ; pause = Math.min(MAX_POLL_MILLIS, pause * 2)) {
            if (tryLock(exclusive, statementMillis)) {
                return true;
            }
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0 || stop.getAsBoolean()) {
                return false;
            }
            try {
                Thread.sleep(Math.min(pause, left));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("Interrupted while waiting for the seqguard lock", e);
            }
        }
    }

    /**
     * Whether the lock is still held, asked of the server in the lock's own transaction: a connection that was
     * terminated, timed out or cut by a proxy has lost it, and another instance may have taken it meanwhile.
     *
     * @return null while it is held; else what happened, for a message
     */
    /**
     * Who else holds the seqguard lock in this database, for a message: pid, lock mode, application, client address
     * and connection time of each.
     */
    String lockHolders(long statementMillis, long lockMillis) {
        try {
            return inTransaction(statementMillis, lockMillis, c -> {
                List<String> holders = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement(LOCK_HOLDERS)) {
                    ps.setLong(1, StartupGuard.ADVISORY_LOCK_KEY >>> 32);
                    ps.setLong(2, StartupGuard.ADVISORY_LOCK_KEY & 0xffffffffL);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            String name = rs.getString(3);
                            holders.add("pid " + rs.getInt(1) + " (" + rs.getString(2)
                                    + (name != null && !name.isEmpty() ? ", application '" + name + "'" : "")
                                    + (rs.getString(4) != null ? ", from " + rs.getString(4) : "")
                                    + (rs.getTimestamp(5) != null
                                            ? ", connected since " + rs.getTimestamp(5).toInstant() : "")
                                    + ")");
                        }
                    }
                }
                return holders.isEmpty() ? "a session that has released it meanwhile" : String.join(", ", holders);
            });
        } catch (SQLException e) {
            return "another session (pg_locks not readable: " + e.getMessage() + ")";
        }
    }

    String lockLoss() {
        if (held == null) {
            return "the seqguard lock was not held";
        }
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(HOLDS_LOCK)) {
            rs.next();
            return rs.getLong(1) > 0 ? null : "the server says that its backend (pid " + lockPid
                    + ") no longer holds the seqguard lock";
        } catch (SQLException e) {
            return "its connection (server backend pid " + lockPid + ") failed: " + DriverMessages.clause(e);
        }
    }

    /** Ends the lock's transaction, which releases the lock; a connection that cannot end it is aborted. */
    void unlock() {
        if (held == null) {
            return;
        }
        held = null;
        try {
            connection.rollback();
        } catch (SQLException e) {
            log.warn("seqguard startup guard: could not end the transaction that holds the seqguard lock ({}); "
                    + "discarding the connection so that the server ends the session and its lock", e.getMessage());
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
        Transactions.restorePrepareThreshold(connection, prepareThreshold);
        try {
            connection.setAutoCommit(wasAutoCommit);
        } catch (SQLException ignored) {
            // a broken connection: the pool validates it before lending it again
        } finally {
            Transactions.closeQuietly(connection);
        }
    }
}
