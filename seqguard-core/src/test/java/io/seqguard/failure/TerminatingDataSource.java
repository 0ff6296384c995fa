package io.seqguard.failure;

import io.seqguard.test.Await;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import javax.sql.DataSource;
import org.postgresql.PGConnection;

/**
 * A data source whose connections get their own backend terminated by the server ({@code pg_terminate_backend}, as
 * an operator or a failover would) right before they send a statement that matches: the failure that follows is the
 * server's own, the test only chooses the moment. The server cannot be asked to do that on its own at an exact step.
 */
final class TerminatingDataSource {

    private final DataSource delegate;
    private final DataSource killer;
    private final Predicate<String> when;
    private final AtomicInteger terminations = new AtomicInteger();
    private final int maxTerminations;
    private final boolean crash;

    /**
     * @param delegate the real data source
     * @param killer a superuser data source that terminates the backends
     * @param when which statements are preceded by the termination of their connection's backend
     * @param maxTerminations how many backends to terminate at most
     */
    TerminatingDataSource(DataSource delegate, DataSource killer, Predicate<String> when, int maxTerminations) {
        this(delegate, killer, when, maxTerminations, false);
    }

    /**
     * @param crash instead of terminating the backend, kill it with SIGKILL: the postmaster then takes the whole server
     *     through crash recovery, ending every session with it (a server crash, as far as a client can tell)
     */
    TerminatingDataSource(DataSource delegate, DataSource killer, Predicate<String> when, int maxTerminations,
            boolean crash) {
        this.delegate = delegate;
        this.killer = killer;
        this.when = when;
        this.maxTerminations = maxTerminations;
        this.crash = crash;
    }

    /** How many backends were terminated so far. */
    int terminations() {
        return terminations.get();
    }

    DataSource dataSource() {
        return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    Object result = invoke(delegate, method, args);
                    return method.getName().equals("getConnection") ? connection((Connection) result) : result;
                });
    }

    private Connection connection(Connection connection) throws SQLException {
        int pid = connection.unwrap(PGConnection.class).getBackendPID();
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("prepareStatement") && args[0] instanceof String sql) {
                        maybeTerminate(pid, sql);
                    }
                    Object result = invoke(connection, method, args);
                    if (result instanceof Statement statement && method.getName().equals("createStatement")) {
                        return statement(statement, pid);
                    }
                    return result;
                });
    }

    private Statement statement(Statement statement, int pid) {
        return (Statement) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Statement.class},
                (proxy, method, args) -> {
                    if (method.getName().startsWith("execute") && args != null && args.length > 0
                            && args[0] instanceof String sql) {
                        maybeTerminate(pid, sql);
                    }
                    return invoke(statement, method, args);
                });
    }

    private void maybeTerminate(int pid, String sql) throws SQLException {
        if (!when.test(sql) || terminations.get() >= maxTerminations) {
            return;
        }
        terminations.incrementAndGet();
        if (crash) {
            // the backends belong to the server's OS user: this JVM runs as root (CI) or as that user
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            Await.until("backend " + pid + " killed", Duration.ofSeconds(10),
                    () -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
            return;
        }
        try (Connection c = killer.getConnection(); Statement st = c.createStatement()) {
            st.execute("SELECT pg_terminate_backend(" + pid + ")");
        }
        Await.until("backend " + pid + " gone", Duration.ofSeconds(10), () -> {
            try (Connection c = killer.getConnection(); Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE pid = " + pid)) {
                rs.next();
                return rs.getLong(1) == 0;
            }
        });
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
