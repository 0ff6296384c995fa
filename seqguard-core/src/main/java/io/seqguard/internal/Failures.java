package io.seqguard.internal;

import java.sql.SQLException;

/**
 * Tells a failure that breaks the whole run from one that spoils a single read. A lost connection, a terminated
 * backend or a server going down fails every later statement too: turned into "this table could not be read" it would
 * mark thousands of sequences unverified and let a run end as if it had merely found some unreadable tables. Such a
 * failure ends the run instead.
 */
final class Failures {

    /** insufficient_privilege: the role may not read what the statement names. */
    static final String INSUFFICIENT_PRIVILEGE = "42501";

    private Failures() {
    }

    /**
     * Whether the failure means the session (or the server) is gone: SQLState class 08 (connection exception),
     * {@code 57P01} admin_shutdown ({@code pg_terminate_backend}, a fast shutdown), {@code 57P02} crash_shutdown,
     * {@code 57P03} cannot_connect_now, or a connection the driver has closed.
     */
    static boolean breaksRun(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                if (state != null && (state.startsWith("08") || state.startsWith("57P"))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Rethrows a failure that breaks the run; returns quietly for one that only spoils what it read. */
    static void rethrowIfBroken(SQLException e) throws SQLException {
        if (breaksRun(e)) {
            throw e;
        }
    }

    static boolean noPrivilege(SQLException e) {
        return INSUFFICIENT_PRIVILEGE.equals(e.getSQLState());
    }
}
