package io.seqguard.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.postgresql.PGConnection;

/**
 * Short transactions on a borrowed connection, shared by the aligner's and the guard's sessions: each sets its own
 * time limits with {@code SET LOCAL}, so nothing outlives it on a connection that goes back to a pool.
 */
final class Transactions {

    private Transactions() {
    }

    /** Work on the connection inside one transaction. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** How many statements {@link #limits} returns, for callers that count results. */
    static final int LIMIT_STATEMENTS = 4;

    /**
     * The statements that set a transaction's limits; numbers only, so nothing from outside reaches the text. They
     * also pin {@code search_path} to {@code pg_catalog} (temporary objects last), so that no catalog lookup, cast,
     * function or operator in seqguard's statements can be redirected by a schema the session's search_path puts
     * first: every other name seqguard sends is schema-qualified. And they turn {@code row_security} off: a read of a
     * table whose row-level security policies would filter the rows seqguard sees then fails (insufficient
     * privilege) instead of returning the maximum of the visible rows. The catalog read already leaves such tables
     * out; this holds for one whose policies were enabled since.
     */
    static String limits(long statementMillis, long lockMillis) {
        return "SET LOCAL statement_timeout = " + Math.max(1, statementMillis) + "; SET LOCAL lock_timeout = "
                + Math.max(1, lockMillis) + "; SET LOCAL search_path = pg_catalog, pg_temp"
                + "; SET LOCAL row_security = off";
    }

    /** Runs the work after the limits and commits; on failure rolls back and rethrows. */
    static <T> T run(Connection connection, String limits, Work<T> work) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(limits);
            T result = work.run(connection);
            connection.commit();
            return result;
        } catch (SQLException | RuntimeException | Error e) {
            // nothing of a failed unit, its SET LOCAL limits included, may stay on a connection that goes back
            rollbackQuietly(connection);
            throw e;
        }
    }

    /** What {@link #withoutServerPrepare} returns for a connection of another driver: nothing to restore. */
    static final int NOT_PGJDBC = Integer.MIN_VALUE;

    private static final boolean PGJDBC_PRESENT = pgjdbcPresent();

    /**
     * Turns pgjdbc's server-side prepared statements off on a borrowed connection, until
     * {@link #restorePrepareThreshold}. pgjdbc names a statement on the server ({@code S_1}, {@code S_2} ...) once
     * the same SQL ran {@code prepareThreshold} times on the connection (default 5; its statement cache keeps the
     * count across {@code prepareStatement} calls), and names {@code COMMIT} and {@code ROLLBACK} at their first use
     * unless the connection's threshold is 0. A transaction-pooling proxy (PgBouncer {@code pool_mode=transaction})
     * runs each transaction on whichever server connection is free, where that name is missing or another client's
     * ({@code prepared statement "S_1" already exists}). With the threshold 0, every statement seqguard creates on
     * the connection, plain or prepared, and every commit and rollback is parsed unnamed, for its own use only.
     * (A URL with {@code prepareThreshold=-1}, pgjdbc's "force binary", still names every statement.)
     *
     * @return the threshold to restore, or {@link #NOT_PGJDBC}
     */
    static int withoutServerPrepare(Connection connection) throws SQLException {
        if (!PGJDBC_PRESENT || !connection.isWrapperFor(PGConnection.class)) {
            return NOT_PGJDBC;
        }
        PGConnection pg = connection.unwrap(PGConnection.class);
        int threshold = pg.getPrepareThreshold();
        pg.setPrepareThreshold(0);
        return threshold;
    }

    /** Gives the connection back its own threshold, so that the pool lends it as it lent it. */
    static void restorePrepareThreshold(Connection connection, int threshold) {
        if (threshold == NOT_PGJDBC) {
            return;
        }
        try {
            connection.unwrap(PGConnection.class).setPrepareThreshold(threshold);
        } catch (SQLException ignored) {
            // a closed connection: the pool discards it
        }
    }

    /** The driver is provided by the application; a DataSource of another driver works without it. */
    private static boolean pgjdbcPresent() {
        try {
            Class.forName("org.postgresql.PGConnection", false, Transactions.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** Rolls back what can be; a broken connection is left to close(), and the pool discards it. */
    static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // a broken connection: close() hands it back and the pool discards it
        }
    }

    /** Hands the connection back; a failure to close leaves nothing to do with it. */
    static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // nothing left to do with it
        }
    }
}
