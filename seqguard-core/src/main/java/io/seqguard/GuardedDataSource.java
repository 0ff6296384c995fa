package io.seqguard;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ConnectionBuilder;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.ShardingKey;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A {@link DataSource} that hands out no connection until the {@link StartupGuard} has passed: the plain-Java way to
 * make sure nothing writes through a lagging sequence, whatever order the application starts its parts in.
 *
 * <pre>{@code
 * HikariDataSource pool = new HikariDataSource(hikariConfig);
 * DataSource dataSource = new GuardedDataSource(StartupGuard.configure().dataSource(pool).load());
 * // hand dataSource to the application; the first getConnection() runs the guard
 * }</pre>
 *
 * <ul>
 *   <li>The first {@code getConnection()} (any thread, any overload, or {@link #createConnectionBuilder()}) runs the
 *       guard, on the guard's own connections from the pool (never through this wrapper). Concurrent callers wait for
 *       that run, bounded by the guard's time limit plus 5 s; the guard runs exactly once.</li>
 *   <li>After success a volatile flag makes every call a straight delegation to the pool: no lock, no allocation.</li>
 *   <li>After failure every {@code getConnection()} throws an {@link SQLException} with SQLState {@code 55000}
 *       ({@link #GUARD_FAILED_SQL_STATE}) carrying the guard's message, its cause the {@link StartupGuardException}.
 *       The failure is remembered, not retried on each call: a refused start-up should stay visible, and retrying on
 *       every request would run the guard in a loop. {@link #reset()} forgets it so that the next
 *       {@code getConnection()} runs the guard again.</li>
 *   <li>{@link #unwrap(Class)} and {@link #isWrapperFor(Class)} reach the pool (and what it wraps); every other
 *       method delegates, so the pool keeps its own behaviour. {@link #close()} closes the pool when it is
 *       {@link AutoCloseable}.</li>
 * </ul>
 */
public final class GuardedDataSource implements DataSource, AutoCloseable {

    /**
     * The SQLState of the exception {@code getConnection()} throws after the guard failed: object not in prerequisite
     * state.
     */
    public static final String GUARD_FAILED_SQL_STATE = "55000";

    private static final long WAIT_GRACE_MILLIS = 5_000;

    private final DataSource delegate;
    private final StartupGuard guard;
    private final AtomicReference<CompletableFuture<GuardResult>> run = new AtomicReference<>();
    private volatile boolean passed;

    /**
     * Wraps the guard's own data source (the pool).
     *
     * @param guard the guard to run on first use; in mode {@link GuardMode#OFF} the wrapper passes at once
     */
    public GuardedDataSource(StartupGuard guard) {
        this.guard = Objects.requireNonNull(guard, "guard must not be null");
        this.delegate = guard.configuration().getDataSource();
        if (delegate == null) {
            throw new IllegalArgumentException("guard has no dataSource: configure dataSource(...) before load()");
        }
    }

    /** {@return the pool this wraps} */
    public DataSource getDelegate() {
        return delegate;
    }

    /** {@return whether the guard has passed, so that every call is a plain delegation} */
    public boolean isGuardPassed() {
        return passed;
    }

    /** {@return the guard's result once it has passed; null before, or after a failure} */
    public GuardResult getGuardResult() {
        CompletableFuture<GuardResult> current = run.get();
        return current != null && passed ? current.getNow(null) : null;
    }

    /**
     * Forgets a failed guard run so that the next {@code getConnection()} runs the guard again.
     *
     * @return true when a failed run was forgotten; false when the guard passed, is running or has not run
     */
    public boolean reset() {
        CompletableFuture<GuardResult> current = run.get();
        return current != null && current.isCompletedExceptionally() && run.compareAndSet(current, null);
    }

    /**
     * Runs the guard now unless it has already passed (useful at a framework's start-up, before the first request).
     *
     * @throws SQLException carrying the guard's message when it fails
     */
    public void awaitGuard() throws SQLException {
        if (!passed) {
            pass();
        }
    }

    @Override
    public Connection getConnection() throws SQLException {
        if (!passed) {
            pass();
        }
        return delegate.getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        if (!passed) {
            pass();
        }
        return delegate.getConnection(username, password);
    }

    /** A builder whose {@code build()} waits for the guard like {@link #getConnection()}. */
    @Override
    public ConnectionBuilder createConnectionBuilder() throws SQLException {
        ConnectionBuilder builder = delegate.createConnectionBuilder();
        return new ConnectionBuilder() {
            @Override
            public ConnectionBuilder user(String username) {
                builder.user(username);
                return this;
            }

            @Override
            public ConnectionBuilder password(String password) {
                builder.password(password);
                return this;
            }

            @Override
            public ConnectionBuilder shardingKey(ShardingKey shardingKey) {
                builder.shardingKey(shardingKey);
                return this;
            }

            @Override
            public ConnectionBuilder superShardingKey(ShardingKey superShardingKey) {
                builder.superShardingKey(superShardingKey);
                return this;
            }

            @Override
            public Connection build() throws SQLException {
                if (!passed) {
                    pass();
                }
                return builder.build();
            }
        };
    }

    private void pass() throws SQLException {
        CompletableFuture<GuardResult> current = run.get();
        if (current == null) {
            CompletableFuture<GuardResult> mine = new CompletableFuture<>();
            current = run.compareAndExchange(null, mine);
            if (current == null) {
                current = mine;
                try {
                    GuardResult result = guard.run();
                    passed = true;
                    mine.complete(result);
                } catch (RuntimeException | Error e) {
                    mine.completeExceptionally(e);
                }
            }
        }
        long wait = guard.configuration().getTimeLimit().toMillis() + WAIT_GRACE_MILLIS;
        try {
            current.get(wait, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new SQLException("seqguard startup guard failed, so this data source hands out no connection: "
                    + cause.getMessage(), GUARD_FAILED_SQL_STATE, cause);
        } catch (TimeoutException e) {
            throw new SQLException("seqguard startup guard did not finish within " + wait + " ms; no connection is "
                    + "handed out until it passes", GUARD_FAILED_SQL_STATE, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for the seqguard startup guard", GUARD_FAILED_SQL_STATE,
                    e);
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

    /** This wrapper, the pool, or whatever the pool unwraps to. */
    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        if (iface.isInstance(delegate)) {
            return iface.cast(delegate);
        }
        return delegate.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || iface.isInstance(delegate) || delegate.isWrapperFor(iface);
    }

    /** Closes the pool when it is {@link AutoCloseable} (HikariCP, most pools); otherwise does nothing. */
    @Override
    public void close() {
        if (delegate instanceof AutoCloseable) {
            try {
                ((AutoCloseable) delegate).close();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("closing the pool failed: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public String toString() {
        return "GuardedDataSource[" + delegate + (passed ? ", guard passed" : "") + "]";
    }
}
