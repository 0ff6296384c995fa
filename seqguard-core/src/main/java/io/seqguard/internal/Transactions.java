package io.seqguard.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

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
    static final int LIMIT_STATEMENTS = 3;

    /**
     * The statements that set a transaction's limits; numbers only, so nothing from outside reaches the text. They
     * also pin {@code search_path} to {@code pg_catalog} (temporary objects last), so that no catalog lookup, cast,
     * function or operator in seqguard's statements can be redirected by a schema the session's search_path puts
     * first: every other name seqguard sends is schema-qualified.
     */
    static String limits(long statementMillis, long lockMillis) {
        return "SET LOCAL statement_timeout = " + Math.max(1, statementMillis) + "; SET LOCAL lock_timeout = "
                + Math.max(1, lockMillis) + "; SET LOCAL search_path = pg_catalog, pg_temp";
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
