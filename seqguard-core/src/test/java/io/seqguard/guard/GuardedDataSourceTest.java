package io.seqguard.guard;

import static io.seqguard.guard.GuardFixture.q;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.seqguard.GuardConfiguration;
import io.seqguard.GuardOutcome;
import io.seqguard.GuardedDataSource;
import io.seqguard.StartupGuard;
import io.seqguard.StartupGuardException;
import io.seqguard.test.PostgresTest;
import io.seqguard.test.TestDatabase;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ConnectionBuilder;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.ShardingKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** The wrapper that hands out no connection before the guard passed, against a real server. */
@PostgresTest
class GuardedDataSourceTest {

    private final TestDatabase db;

    GuardedDataSourceTest(TestDatabase db) {
        this.db = db;
    }

    /** A pool stand-in over real connections: counts what it lends, can be closed, offers a connection builder. */
    static final class CountingPool implements DataSource, AutoCloseable {
        final DataSource delegate;
        final AtomicInteger lent = new AtomicInteger();
        volatile boolean closed;
        int loginTimeout;

        CountingPool(DataSource delegate) {
            this.delegate = delegate;
        }

        @Override
        public Connection getConnection() throws SQLException {
            if (closed) {
                throw new SQLException("pool is closed");
            }
            lent.incrementAndGet();
            return delegate.getConnection();
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            lent.incrementAndGet();
            return delegate.getConnection(username, password);
        }

        @Override
        public ConnectionBuilder createConnectionBuilder() {
            return new ConnectionBuilder() {
                @Override
                public ConnectionBuilder user(String username) {
                    return this;
                }

                @Override
                public ConnectionBuilder password(String password) {
                    return this;
                }

                @Override
                public ConnectionBuilder shardingKey(ShardingKey shardingKey) {
                    return this;
                }

                @Override
                public ConnectionBuilder superShardingKey(ShardingKey superShardingKey) {
                    return this;
                }

                @Override
                public Connection build() throws SQLException {
                    return getConnection();
                }
            };
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
            loginTimeout = seconds;
        }

        @Override
        public int getLoginTimeout() {
            return loginTimeout;
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            if (iface.isInstance(delegate)) {
                return iface.cast(delegate);
            }
            throw new SQLException("not a wrapper for " + iface.getName());
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return iface.isInstance(delegate);
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private String laggingSchema(String suffix) throws SQLException {
        String schema = GuardFixture.SCHEMA + " " + suffix;
        List<String> sql = new ArrayList<>(GuardFixture.ddl(schema));
        sql.addAll(GuardFixture.fill(schema, 10));
        GuardFixture.execute(db.dataSource(), sql);
        return schema;
    }

    private GuardConfiguration guard(DataSource pool, String schema) {
        return StartupGuard.configure().dataSource(pool).aligner(a -> a.schemas(q(schema)))
                .journal(true).journalTable(q("journal " + schema));
    }

    private long journalRows(String schema) {
        return db.queryForLong("SELECT count(*) FROM " + q("journal " + schema));
    }

    @Test
    void theFirstGetConnectionRunsTheGuardOnceWhileConcurrentCallersWait() throws Exception {
        String schema = laggingSchema("once");
        CountingPool pool = new CountingPool(db.dataSource());
        GuardedDataSource guarded = new GuardedDataSource(guard(pool, schema).load());
        assertThat(pool.lent).hasValue(0);
        assertThat(guarded.isGuardPassed()).isFalse();

        int threads = 8;
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Long>> inserted = new ArrayList<>();
        try {
            for (int i = 0; i < threads; i++) {
                String table = GuardFixture.tables(schema).get(i % GuardFixture.tables(schema).size());
                Callable<Long> insert = () -> {
                    start.await();
                    try (Connection c = guarded.getConnection()) {
                        GuardFixture.insertThroughSequence(c, table);
                        return 1L;
                    }
                };
                inserted.add(executor.submit(insert));
            }
            start.countDown();
            for (Future<Long> f : inserted) {
                assertThat(f.get(60, TimeUnit.SECONDS)).isEqualTo(1L);
            }
        } finally {
            executor.shutdownNow();
        }
        assertThat(journalRows(schema)).isEqualTo(1);
        assertThat(guarded.isGuardPassed()).isTrue();
        assertThat(guarded.getGuardResult().outcome()).isEqualTo(GuardOutcome.REPAIRED);
        assertThat(guarded.getGuardResult().repaired()).hasSize(GuardFixture.LAGGING_SEQUENCES);

        // after the guard: one call, one connection from the pool, no further guard run
        int before = pool.lent.get();
        for (int i = 0; i < 5; i++) {
            guarded.getConnection().close();
        }
        assertThat(pool.lent.get() - before).isEqualTo(5);
        assertThat(journalRows(schema)).isEqualTo(1);
        assertThat(guarded.reset()).isFalse();
    }

    @Test
    void aFailedGuardIsRememberedAndEveryCallCarriesItsMessageUntilReset() throws Exception {
        String schema = laggingSchema("failed");
        CountingPool pool = new CountingPool(db.dataSource());
        GuardedDataSource guarded = new GuardedDataSource(guard(pool, schema).mode("verify").load());

        SQLException first = catchThrowableOfType(SQLException.class, guarded::getConnection);
        assertThat(first.getSQLState()).isEqualTo(GuardedDataSource.GUARD_FAILED_SQL_STATE);
        assertThat(first.getMessage())
                .startsWith("seqguard startup guard failed, so this data source hands out no connection: "
                        + "seqguard startup guard (mode verify) refuses start-up: 5 sequence(s)")
                .contains("plain_id_seq: next value 1, but max in use is 10");
        assertThat(first.getCause()).isInstanceOf(StartupGuardException.class);
        int lentByTheGuard = pool.lent.get();

        SQLException second = catchThrowableOfType(SQLException.class, () -> guarded.getConnection("u", "p"));
        assertThat(second.getMessage()).isEqualTo(first.getMessage());
        assertThat(pool.lent.get()).isEqualTo(lentByTheGuard);
        assertThat(journalRows(schema)).isEqualTo(1);
        assertThatThrownBy(() -> guarded.createConnectionBuilder().build())
                .isInstanceOf(SQLException.class).hasMessage(first.getMessage());
        assertThat(guarded.getGuardResult()).isNull();

        // an operator repairs; reset() lets the next call run the guard again
        StartupGuard.configure().dataSource(db.dataSource()).aligner(a -> a.schemas(q(schema))).load().run();
        assertThat(guarded.reset()).isTrue();
        guarded.getConnection().close();
        assertThat(guarded.isGuardPassed()).isTrue();
        assertThat(guarded.getGuardResult().outcome()).isEqualTo(GuardOutcome.ALIGNED);
        assertThat(journalRows(schema)).isEqualTo(2);
    }

    @Test
    void theConnectionBuilderWaitsForTheGuardToo() throws Exception {
        String schema = laggingSchema("builder");
        CountingPool pool = new CountingPool(db.dataSource());
        GuardedDataSource guarded = new GuardedDataSource(guard(pool, schema).load());
        try (Connection c = guarded.createConnectionBuilder().user("ignored").build()) {
            GuardFixture.insertThroughSequence(c, GuardFixture.tables(schema).get(0));
        }
        assertThat(guarded.isGuardPassed()).isTrue();
        assertThat(journalRows(schema)).isEqualTo(1);
    }

    @Test
    void itUnwrapsToThePoolAndKeepsThePoolsBehaviour() throws Exception {
        PGSimpleDataSource driver = db.dataSource().unwrap(PGSimpleDataSource.class);
        CountingPool pool = new CountingPool(driver);
        GuardedDataSource guarded = new GuardedDataSource(StartupGuard.configure().dataSource(pool).load());

        assertThat(guarded.getDelegate()).isSameAs(pool);
        assertThat(guarded.unwrap(CountingPool.class)).isSameAs(pool);
        assertThat(guarded.unwrap(PGSimpleDataSource.class)).isSameAs(driver);
        assertThat(guarded.unwrap(GuardedDataSource.class)).isSameAs(guarded);
        assertThat(guarded.isWrapperFor(CountingPool.class)).isTrue();
        assertThat(guarded.isWrapperFor(PGSimpleDataSource.class)).isTrue();
        assertThat(guarded.isWrapperFor(String.class)).isFalse();
        assertThatThrownBy(() -> guarded.unwrap(String.class)).isInstanceOf(SQLException.class);

        guarded.setLoginTimeout(7);
        assertThat(pool.getLoginTimeout()).isEqualTo(7);
        assertThat(guarded.getLoginTimeout()).isEqualTo(7);
        assertThatThrownBy(guarded::getParentLogger).isInstanceOf(SQLFeatureNotSupportedException.class);
        // nothing of that ran the guard or borrowed a connection
        assertThat(pool.lent).hasValue(0);
        assertThat(guarded.isGuardPassed()).isFalse();

        guarded.close();
        assertThat(pool.closed).isTrue();
    }

    @Test
    void modeOffPassesAtOnce() throws Exception {
        CountingPool pool = new CountingPool(db.dataSource());
        GuardedDataSource guarded = new GuardedDataSource(StartupGuard.configure().mode("off").dataSource(pool)
                .load());
        guarded.getConnection().close();
        assertThat(pool.lent).hasValue(1);
        assertThat(guarded.getGuardResult().outcome()).isEqualTo(GuardOutcome.SKIPPED);
    }
}
