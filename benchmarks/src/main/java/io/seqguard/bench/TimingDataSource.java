package io.seqguard.bench;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Wraps a data source and times every statement seqguard sends, by what the SQL does: where the time of a verb goes,
 * without touching seqguard. Categories come from the statement text (see {@link #category(String)}); times are
 * wall-clock per call, summed over all connections (so reads on two connections at once add up to more than the
 * wall-clock time of the verb).
 */
final class TimingDataSource implements DataSource {

    /** Calls, statements and nanoseconds of one category. */
    static final class Tally {
        final LongAdder calls = new LongAdder();
        final LongAdder statements = new LongAdder();
        final LongAdder nanos = new LongAdder();
    }

    private final DataSource delegate;
    final Map<String, Tally> tallies = new ConcurrentHashMap<>();

    TimingDataSource(DataSource delegate) {
        this.delegate = delegate;
    }

    Map<String, Tally> sorted() {
        return new TreeMap<>(tallies);
    }

    void clear() {
        tallies.clear();
    }

    private void record(String category, int statements, long nanos) {
        Tally t = tallies.computeIfAbsent(category, k -> new Tally());
        t.calls.increment();
        t.statements.add(statements);
        t.nanos.add(nanos);
    }

    /** What a statement (or a batch of statements in one string) is for. */
    static String category(String sql) {
        if (sql.contains("SELECT setval(")) {
            return "4 repair: forward-only setval";
        }
        if (sql.contains("SELECT max(") || sql.contains("SELECT min(")) {
            // on PostgreSQL 18 a chunk's state read rides in the same round trip, after the reads
            return sql.contains("pg_get_sequence_data") ? "3 data: max()/min() per table, then the chunk's states"
                    : "3 data: max()/min() per table";
        }
        if (sql.contains("pg_sequence_last_value")) {
            return "2 state: pg_sequence_last_value";
        }
        if (sql.contains("SELECT last_value, is_called FROM")) {
            return "2 state: SELECT last_value, is_called FROM seq";
        }
        if (sql.contains("pg_get_sequence_data") || sql.contains("pg_sequence_read_tuple")) {
            return "2 state: pg_get_sequence_data";
        }
        if (sql.contains("FROM pg_sequence s") || sql.contains("WITH feeds") || sql.contains("WITH RECURSIVE down")
                || sql.contains("pg_namespace")) {
            return "1 catalog";
        }
        return "0 other (session settings, server facts, locks)";
    }

    private static int count(String sql) {
        int n = 0;
        int from = 0;
        while ((from = sql.indexOf("SELECT ", from)) >= 0) {
            n++;
            from += 7;
        }
        return Math.max(1, n);
    }

    @Override
    public Connection getConnection() throws SQLException {
        long t0 = System.nanoTime();
        Connection c = delegate.getConnection();
        record("0 connect", 0, System.nanoTime() - t0);
        return wrap(c);
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return wrap(delegate.getConnection(username, password));
    }

    private Connection wrap(Connection c) {
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                new Handler(c, null));
    }

    private final class Handler implements InvocationHandler {
        private final Object target;
        private final String preparedSql;

        Handler(Object target, String preparedSql) {
            this.target = target;
            this.preparedSql = preparedSql;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            String sql = preparedSql;
            boolean executes = name.startsWith("execute");
            if (executes && args != null && args.length > 0 && args[0] instanceof String) {
                sql = (String) args[0];
            }
            long t0 = System.nanoTime();
            Object result;
            try {
                result = method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            long elapsed = System.nanoTime() - t0;
            if (executes && sql != null) {
                record(category(sql), count(sql), elapsed);
            } else if (name.equals("commit") || name.equals("rollback")) {
                record("0 other (session settings, server facts, locks)", 0, elapsed);
            }
            if (result instanceof PreparedStatement && name.startsWith("prepare")) {
                return Proxy.newProxyInstance(getClass().getClassLoader(),
                        new Class<?>[] {PreparedStatement.class}, new Handler(result, (String) args[0]));
            }
            if (result instanceof Statement && name.equals("createStatement")) {
                return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Statement.class},
                        new Handler(result, null));
            }
            return result;
        }
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return delegate.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        delegate.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        delegate.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return delegate.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return delegate.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return delegate.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return delegate.isWrapperFor(iface);
    }
}
