package io.seqguard.test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fresh database of its own on a {@link PostgresServer}, dropped by {@link #close()}.
 *
 * <p>{@link PostgresTest} classes get one injected; other tests (jqwik properties, for example) use
 * {@code try (TestDatabase db = TestDatabase.create("prefix")) { ... }}. The helpers run as the server's
 * superuser, each statement in its own auto-commit transaction, and wrap {@link SQLException} into
 * {@link UncheckedSqlException} with the SQL in the message.
 */
public final class TestDatabase implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TestDatabase.class);

    /** SQLState object_in_use: the template or the database still has sessions. */
    private static final String OBJECT_IN_USE = "55006";
    private static final long BUSY_RETRY_NANOS = 10_000_000_000L;

    private final PostgresServer server;
    private final String name;
    private final Set<String> roles = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();

    private TestDatabase(PostgresServer server, String name) {
        this.server = server;
        this.name = name;
    }

    /**
     * Creates a database on {@link PostgresServer#shared()}.
     *
     * @param prefix the start of the name, for example the test class; unsafe characters become {@code _}
     * @return the new database
     */
    public static TestDatabase create(String prefix) {
        return create(PostgresServer.shared(), prefix);
    }

    /**
     * Creates a database (a copy of {@code template1}) on the given server.
     *
     * @param server the server
     * @param prefix the start of the name; a random suffix makes it unique
     * @return the new database
     */
    public static TestDatabase create(PostgresServer server, String prefix) {
        Objects.requireNonNull(server, "server");
        String name = uniqueName(prefix);
        long started = System.nanoTime();
        adminWithRetry(server, "CREATE DATABASE " + quoteIdentifier(name));
        LOG.debug("Created database {} in {} ms", name, (System.nanoTime() - started) / 1_000_000);
        return new TestDatabase(server, name);
    }

    /**
     * {@code MyClass} becomes {@code my_class_<random hex>}: lower-case letters, digits and {@code _}, a letter
     * first, at most 51 bytes.
     */
    static String uniqueName(String prefix) {
        String safe = (prefix == null ? "" : prefix).replaceAll("([a-z0-9])([A-Z])", "$1_$2")
                .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]+", "_").replaceAll("^_+|_+$", "");
        if (safe.isEmpty() || !Character.isLetter(safe.charAt(0))) {
            safe = "t_" + safe;
        }
        if (safe.length() > 40) {
            safe = safe.substring(0, 40);
        }
        return safe + "_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffff_ffff_ffL);
    }

    /**
     * The database name.
     *
     * @return lower-case, safe to use unquoted
     */
    public String name() {
        return name;
    }

    /**
     * The server this database lives on.
     *
     * @return the server
     */
    public PostgresServer server() {
        return server;
    }

    /**
     * The server's major version.
     *
     * @return for example 18
     */
    public int majorVersion() {
        return server.majorVersion();
    }

    /**
     * A JDBC URL for this database, without credentials (see {@link PostgresServer#superuser()}).
     *
     * @return a {@code jdbc:postgresql:} URL
     */
    public String jdbcUrl() {
        return server.jdbcUrl(name);
    }

    /**
     * A data source for this database as the superuser.
     *
     * @return a new, unpooled data source
     */
    public DataSource dataSource() {
        return server.dataSource(name);
    }

    /**
     * A data source for this database as another role, for example one made by {@link #createRole}.
     *
     * @param user the role
     * @param password its password; the embedded server does not check it
     * @return a new, unpooled data source
     */
    public DataSource dataSource(String user, String password) {
        return server.dataSource(name, user, password);
    }

    /**
     * Runs statements one after another on one connection in auto-commit mode, stopping at the first failure.
     *
     * @param sqlStatements the statements, each a single SQL statement (or several separated by {@code ;})
     * @throws UncheckedSqlException naming the statement that failed
     */
    public void execute(String... sqlStatements) {
        String current = "(connect to " + name + ")";
        try (Connection connection = dataSource().getConnection(); Statement statement = connection.createStatement()) {
            for (String sql : sqlStatements) {
                current = sql;
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new UncheckedSqlException(current, e);
        }
    }

    /**
     * Runs a query that returns one row with one non-null number.
     *
     * @param sql for example {@code SELECT count(*) FROM t}
     * @return the value
     * @throws UncheckedSqlException if the query fails, returns no row, or returns null
     */
    public long queryForLong(String sql) {
        String value = queryForString(sql);
        if (value == null) {
            throw new UncheckedSqlException(sql, new SQLException("Query returned NULL, expected a number"));
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new UncheckedSqlException(sql, new SQLException("Query returned '" + value + "', not a number"));
        }
    }

    /**
     * Runs a query that returns one row and returns its first column as text.
     *
     * @param sql for example {@code SHOW server_version}
     * @return the value, {@code null} for SQL NULL
     * @throws UncheckedSqlException if the query fails or returns no row
     */
    public String queryForString(String sql) {
        try (Connection connection = dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            if (!rs.next()) {
                throw new SQLException("Query returned no row");
            }
            return rs.getString(1);
        } catch (SQLException e) {
            throw new UncheckedSqlException(sql, e);
        }
    }

    /**
     * Creates a login role (not a superuser) that {@link #close()} drops again. Roles belong to the whole server,
     * not to this database: pick names no other test class uses, for example {@code name() + "_app"}.
     *
     * @param role the role name (quoted by the server, any characters allowed)
     * @param password its password, or {@code null} for none
     * @throws UncheckedSqlException if it exists already
     */
    public void createRole(String role, String password) {
        Objects.requireNonNull(role, "role");
        String template = password == null ? "SELECT format('CREATE ROLE %I LOGIN', ?)"
                : "SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', ?, ?)";
        String ddl = template;
        try (Connection connection = dataSource().getConnection();
                PreparedStatement format = connection.prepareStatement(template)) {
            format.setString(1, role);
            if (password != null) {
                format.setString(2, password);
            }
            try (ResultSet rs = format.executeQuery()) {
                rs.next();
                ddl = rs.getString(1);
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute(ddl);
            }
        } catch (SQLException e) {
            // Never put the password into an exception message.
            throw new UncheckedSqlException(password == null ? ddl : "CREATE ROLE " + quoteIdentifier(role)
                    + " LOGIN PASSWORD '***'", e);
        }
        roles.add(role);
    }

    /**
     * Drops the database, ending its open sessions first, and the roles made by {@link #createRole}. Safe to call
     * more than once; failures to drop roles are logged, not thrown.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (server.majorVersion() >= 13) {
            adminWithRetry(server, "DROP DATABASE IF EXISTS " + quoteIdentifier(name) + " WITH (FORCE)");
        } else {
            dropTerminatingSessions();
        }
        for (String role : roles) {
            try {
                admin(server, "DROP ROLE IF EXISTS " + quoteIdentifier(role));
            } catch (UncheckedSqlException e) {
                LOG.warn("Cannot drop role {} of test database {}: {}", role, name, e.getMessage());
            }
        }
        LOG.debug("Dropped database {}", name);
    }

    /** PostgreSQL 12 has no DROP DATABASE ... WITH (FORCE); terminated sessions take a moment to go. */
    private void dropTerminatingSessions() {
        String terminate = "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                + " WHERE datname = '" + name + "' AND pid <> pg_backend_pid()";
        long deadline = System.nanoTime() + BUSY_RETRY_NANOS;
        while (true) {
            try {
                admin(server, terminate, "DROP DATABASE IF EXISTS " + quoteIdentifier(name));
                return;
            } catch (UncheckedSqlException e) {
                if (!OBJECT_IN_USE.equals(e.sqlState()) || System.nanoTime() > deadline) {
                    throw e;
                }
                pause();
            }
        }
    }

    private static void adminWithRetry(PostgresServer server, String sql) {
        long deadline = System.nanoTime() + BUSY_RETRY_NANOS;
        while (true) {
            try {
                admin(server, sql);
                return;
            } catch (UncheckedSqlException e) {
                // CREATE DATABASE fails while anyone is connected to template1; such sessions are short.
                if (!OBJECT_IN_USE.equals(e.sqlState()) || System.nanoTime() > deadline) {
                    throw e;
                }
                pause();
            }
        }
    }

    private static void admin(PostgresServer server, String... sqlStatements) {
        String current = "(connect to " + server.defaultDatabase() + ")";
        try (Connection connection = server.dataSource(server.defaultDatabase()).getConnection();
                Statement statement = connection.createStatement()) {
            for (String sql : sqlStatements) {
                current = sql;
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new UncheckedSqlException(current, e);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

    static String quoteIdentifier(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    @Override
    public String toString() {
        return "TestDatabase[" + name + " on " + server + "]";
    }
}
