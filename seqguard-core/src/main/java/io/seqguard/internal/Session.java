package io.seqguard.internal;

import io.seqguard.SeqguardException;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.sql.DataSource;

/**
 * One borrowed connection. Every unit of work runs in its own short transaction that sets its time limits with
 * {@code SET LOCAL}, so the pool gets its connection back exactly as it lent it (auto-commit, read-only and the
 * driver's prepare threshold are restored on close). A read-only session opens read-only transactions: the server
 * itself refuses any write. Nothing of a session outlives its transactions on the server, and no statement is
 * prepared there by name ({@link Transactions#withoutServerPrepare}), so it works the same through a
 * transaction-pooling proxy.
 */
final class Session implements AutoCloseable {

    private final Connection connection;
    private final boolean wasAutoCommit;
    private final boolean wasReadOnly;
    private final int prepareThreshold;
    private final String limits;
    private final String catalogLimits;

    /**
     * The least statement timeout of catalog queries: at 10,000 tables the catalog takes most of a second, while a
     * statement timeout set low to bound full scans of unindexed tables must not fail the whole run.
     */
    static final Duration CATALOG_TIMEOUT = Duration.ofSeconds(60);

    /** PostgreSQL's too_many_connections: the server's or the role's limit is reached. */
    private static final String TOO_MANY_CONNECTIONS = "53300";
    private static final long TOO_MANY_CONNECTIONS_PATIENCE_MILLIS = 1_000;

    private Session(Connection connection, boolean readOnly, Duration statementTimeout, Duration lockTimeout)
            throws SQLException {
        this.connection = connection;
        this.wasAutoCommit = connection.getAutoCommit();
        this.wasReadOnly = connection.isReadOnly();
        connection.setAutoCommit(false);
        connection.setReadOnly(readOnly);
        this.prepareThreshold = Transactions.withoutServerPrepare(connection);
        this.limits = Transactions.limits(statementTimeout.toMillis(), lockTimeout.toMillis());
        this.catalogLimits = Transactions.limits(Math.max(statementTimeout.toMillis(), CATALOG_TIMEOUT.toMillis()),
                lockTimeout.toMillis());
    }

    static Session open(DataSource dataSource, boolean readOnly, Duration statementTimeout, Duration lockTimeout) {
        Connection connection;
        try {
            connection = connect(dataSource);
        } catch (SQLException e) {
            throw new SeqguardException("Could not connect to the database: " + DriverMessages.clause(e)
                    + ". Check the JDBC URL, user, password and that the server accepts connections.", e);
        }
        try {
            return new Session(connection, readOnly, statementTimeout, lockTimeout);
        } catch (SQLException e) {
            Transactions.closeQuietly(connection);
            throw new SeqguardException("Could not prepare the connection: " + e.getMessage(), e);
        }
    }

    /**
     * A closed connection's backend still counts against {@code max_connections} and a role's connection limit until
     * it has exited, a moment after the close: a run that follows another (the startup guard verifies, then
     * repairs) can be refused for its predecessor's connections. Such a refusal (SQLState 53300) is retried for
     * about a second; every other failure, and one that lasts, is the caller's. The guard borrows its lock's
     * connection this way too.
     */
    static Connection connect(DataSource dataSource) throws SQLException {
        long pause = 5;
        for (long waited = 0; ; waited += pause, pause *= 2) {
            try {
                return dataSource.getConnection();
            } catch (SQLException e) {
                if (!TOO_MANY_CONNECTIONS.equals(e.getSQLState()) || waited >= TOO_MANY_CONNECTIONS_PATIENCE_MILLIS) {
                    throw e;
                }
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("Interrupted while waiting for a connection slot", TOO_MANY_CONNECTIONS, e);
            }
        }
    }

    Connection connection() {
        return connection;
    }

    /**
     * Runs statements that each return at most one row in one round trip and one transaction; each row is read by
     * the reader. When the batch fails, nothing of it is kept and the caller decides how to isolate the failure.
     */
    @SuppressWarnings("unchecked")
    <T> List<T> queryEach(List<String> statements, RowReader<T> reader) throws SQLException {
        return (List<T>) queryEach(statements, Collections.nCopies(statements.size(), reader));
    }

    /** Like {@link #queryEach(List, RowReader)}, with a reader per statement. */
    List<Object> queryEach(List<String> statements, List<? extends RowReader<?>> readers) throws SQLException {
        StringBuilder sql = new StringBuilder(limits);
        for (String statement : statements) {
            sql.append(";\n").append(statement);
        }
        List<Object> rows = new ArrayList<>(statements.size());
        try (Statement statement = connection.createStatement()) {
            // no JDBC escapes ({fn ...}) in seqguard's statements: the driver's search for them costs a pass over
            // every character of a chunk's text
            statement.setEscapeProcessing(false);
            boolean isResult = statement.execute(sql.toString());
            int index = -Transactions.LIMIT_STATEMENTS; // the SET LOCAL commands come first
            while (true) {
                if (isResult) {
                    try (ResultSet rs = statement.getResultSet()) {
                        rows.add(rs.next() && index >= 0 && index < readers.size()
                                ? readers.get(index).read(rs) : null);
                    }
                    index++;
                } else if (statement.getUpdateCount() == -1) {
                    break;
                } else {
                    index++;
                }
                isResult = statement.getMoreResults();
            }
            if (index != statements.size()) {
                throw new SQLException("expected " + statements.size() + " results, got " + index);
            }
            connection.commit();
            return rows;
        } catch (SQLException | RuntimeException | Error e) {
            Transactions.rollbackQuietly(connection);
            throw e;
        }
    }

    /** Runs the callback in its own transaction with the session's limits. */
    <T> T inTransaction(Transactions.Work<T> work) throws SQLException {
        return Transactions.run(connection, limits, work);
    }

    /**
     * The schemas an unqualified name resolves through on this connection, in order: the application's own
     * search_path, which every other unit of work pins to {@code pg_catalog}. Read in a transaction of its own without
     * the pin; the function and the type are schema-qualified, so no schema in the path can redirect the read.
     */
    List<String> searchPath() throws SQLException {
        return Transactions.run(connection, "SET LOCAL statement_timeout = " + CATALOG_TIMEOUT.toMillis(), c -> {
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT pg_catalog.current_schemas(false)::pg_catalog.text[]")) {
                rs.next();
                java.sql.Array array = rs.getArray(1);
                List<String> schemas = new ArrayList<>();
                for (Object schema : (Object[]) array.getArray()) {
                    schemas.add((String) schema);
                }
                return schemas;
            }
        });
    }

    /** Like {@link #inTransaction}, for catalog queries: at least {@link #CATALOG_TIMEOUT} per statement. */
    <T> T inCatalogTransaction(Transactions.Work<T> work) throws SQLException {
        return Transactions.run(connection, catalogLimits, work);
    }

    @Override
    public void close() {
        Transactions.restorePrepareThreshold(connection, prepareThreshold);
        try {
            connection.setReadOnly(wasReadOnly);
            connection.setAutoCommit(wasAutoCommit);
        } catch (SQLException ignored) {
            // a broken connection: the pool validates it before lending it again
        } finally {
            Transactions.closeQuietly(connection);
        }
    }

    /** Reads the single row of one result. */
    @FunctionalInterface
    interface RowReader<T> {
        T read(ResultSet rs) throws SQLException;
    }
}
