package io.seqguard.guard;

import static io.seqguard.guard.GuardFixture.q;
import static org.assertj.core.api.Assertions.assertThat;

import io.seqguard.GuardMode;
import io.seqguard.GuardOutcome;
import io.seqguard.StartupGuard;
import io.seqguard.test.PostgresTest;
import io.seqguard.test.TestDatabase;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;

/**
 * A pool lends the guard its connections and gets them back exactly as it lent them: the guard's own (which held the
 * lock's transaction) and the aligner's, read-only and read-write, with the driver's prepare threshold, auto-commit,
 * read-only flag, session settings and locks as they were.
 */
@PostgresTest
class LentConnectionsTest {

    /** Not pgjdbc's default (5), as a {@code prepareThreshold=7} in an application's URL would set it. */
    private static final int APPLICATION_THRESHOLD = 7;

    @Test
    void theGuardGivesThePoolItsConnectionsBackAsLent(TestDatabase db) throws Exception {
        String schema = GuardFixture.SCHEMA + " lent";
        List<String> sql = new ArrayList<>(GuardFixture.ddl(schema));
        sql.addAll(GuardFixture.fill(schema, 20));
        GuardFixture.execute(db.dataSource(), sql);
        List<Connection> lent = Collections.synchronizedList(new ArrayList<>());
        try {
            assertThat(StartupGuard.configure().dataSource(pool(db.dataSource(), lent))
                    .aligner(a -> a.schemas(q(schema)).jobs(2)).load().run().outcome())
                    .isEqualTo(GuardOutcome.REPAIRED);
            // the guard in mode verify reads on read-only sessions
            assertThat(StartupGuard.configure().dataSource(pool(db.dataSource(), lent)).mode(GuardMode.VERIFY)
                    .aligner(a -> a.schemas(q(schema)).jobs(2)).load().run().outcome())
                    .isEqualTo(GuardOutcome.ALIGNED);

            // each run: the lock's, and the aligner's (read-write for the repair, read-only for the verify)
            assertThat(lent).hasSizeGreaterThanOrEqualTo(4);
            for (Connection physical : lent) {
                assertThat(physical.isClosed()).isFalse();
                assertThat(physical.unwrap(PGConnection.class).getPrepareThreshold())
                        .isEqualTo(APPLICATION_THRESHOLD);
                assertThat(physical.getAutoCommit()).isTrue();
                assertThat(physical.isReadOnly()).isFalse();
                assertThat(physical.unwrap(BaseConnection.class).getTransactionState())
                        .isEqualTo(TransactionState.IDLE);
                assertThat(show(physical, "statement_timeout")).isEqualTo("0");
                assertThat(show(physical, "lock_timeout")).isEqualTo("0");
                assertThat(show(physical, "idle_in_transaction_session_timeout")).isEqualTo("0");
                assertThat(show(physical, "transaction_isolation")).isEqualTo("read committed");
            }
            assertThat(db.queryForLong("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")).isZero();
        } finally {
            for (Connection physical : lent) {
                physical.close();
            }
        }
    }

    /**
     * A pool in miniature: every connection it lends is a new physical one with the application's threshold, and
     * closing what it lent hands the physical connection back (kept open in {@code lent}) instead of closing it.
     */
    private static DataSource pool(DataSource server, List<Connection> lent) {
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("getConnection")) {
                        return forward(method, server, args);
                    }
                    Connection physical = server.getConnection();
                    physical.unwrap(PGConnection.class).setPrepareThreshold(APPLICATION_THRESHOLD);
                    lent.add(physical);
                    return Proxy.newProxyInstance(Connection.class.getClassLoader(),
                            new Class<?>[] {Connection.class}, (c, m, a) -> m.getName().equals("close") ? null
                                    : forward(m, physical, a));
                });
    }

    private static Object forward(Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static String show(Connection c, String setting) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
