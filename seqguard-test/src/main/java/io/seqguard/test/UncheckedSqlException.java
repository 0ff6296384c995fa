package io.seqguard.test;

import java.sql.SQLException;

/**
 * A {@link SQLException} from a {@link TestDatabase} helper, unchecked so tests stay short, with the SQL that
 * failed in its message.
 */
public final class UncheckedSqlException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The statement that failed. */
    private final String sql;

    /**
     * Wraps a failure of one statement.
     *
     * @param sql the statement that failed
     * @param cause the driver's exception
     */
    public UncheckedSqlException(String sql, SQLException cause) {
        super(cause.getMessage() + " [SQLState " + cause.getSQLState() + "]\n  SQL: " + sql, cause);
        this.sql = sql;
    }

    /**
     * The statement that failed.
     *
     * @return the SQL text
     */
    public String sql() {
        return sql;
    }

    /**
     * The SQLState of the failure, for example {@code 23505} for a unique violation.
     *
     * @return the state, or {@code null} if the driver gave none
     */
    public String sqlState() {
        return getCause().getSQLState();
    }

    /**
     * The driver's exception.
     *
     * @return the cause
     */
    @Override
    public synchronized SQLException getCause() {
        return (SQLException) super.getCause();
    }
}
