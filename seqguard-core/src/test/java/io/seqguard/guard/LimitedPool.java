package io.seqguard.guard;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A hand-made stand-in for an exhausted pool: lends {@code lend} real connections, then blocks every further
 * {@code getConnection()} until released (at most 60 s), as a pool at its maximum size does.
 */
final class LimitedPool implements DataSource {

    private final DataSource delegate;
    private final int lend;
    private final CountDownLatch release;
    private final AtomicInteger lent = new AtomicInteger();

    LimitedPool(DataSource delegate, int lend, CountDownLatch release) {
        this.delegate = delegate;
        this.lend = lend;
        this.release = release;
    }

    @Override
    public Connection getConnection() throws SQLException {
        if (lent.incrementAndGet() > lend) {
            try {
                if (!release.await(60, TimeUnit.SECONDS)) {
                    throw new SQLException("pool exhausted");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted", e);
            }
        }
        return delegate.getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return getConnection();
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
