package io.seqguard.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seqguard.test.Await;
import io.seqguard.test.PostgresTest;
import io.seqguard.test.TestDatabase;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The guard's lock: a transaction-level advisory lock whose transaction stays open on the guard's connection, with
 * the guard's other work inside it behind savepoints. Watched from another connection through {@code pg_locks}, by
 * the identity the documentation gives ({@code classid 1936028007, objid 1969320548, objsubid 1}).
 */
@PostgresTest
class GuardSessionTest {

    private static final String SEQGUARD_LOCKS = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
            + " AND granted AND classid = 1936028007 AND objid = 1969320548 AND objsubid = 1";

    private final TestDatabase db;

    GuardSessionTest(TestDatabase db) {
        this.db = db;
    }

    @Test
    void theLockLivesInAnOpenTransactionAndEndsWithIt() throws SQLException {
        try (GuardSession session = new GuardSession(db.dataSource().getConnection())) {
            assertThat(session.tryLock(true, 10_000)).isTrue();
            assertThat(db.queryForLong(SEQGUARD_LOCKS + " AND mode = 'ExclusiveLock'")).isOne();
            assertThat(session.lockLoss()).isNull();

            session.unlock();

            assertThat(db.queryForLong(SEQGUARD_LOCKS)).isZero();
            assertThat(session.lockLoss()).isNotNull();
        }
    }

    @Test
    void aFailingUnitOfWorkLeavesTheLockAndItsTransactionIntact() throws SQLException {
        try (GuardSession session = new GuardSession(db.dataSource().getConnection())) {
            assertThat(session.tryLock(true, 10_000)).isTrue();

            assertThatThrownBy(() -> session.inTransaction(10_000, 10_000, c -> query(c, "SELECT 1 / 0")))
                    .isInstanceOf(SQLException.class).hasMessageContaining("division by zero");

            assertThat(session.lockLoss()).isNull();
            // the unit's limits apply to the unit, inside the still open transaction
            assertThat(session.<String>inTransaction(1234, 10_000, c -> query(c, "SHOW statement_timeout")))
                    .isEqualTo("1234ms");
            assertThat(db.queryForLong(SEQGUARD_LOCKS)).isOne();
        }
        assertThat(db.queryForLong(SEQGUARD_LOCKS)).isZero();
    }

    @Test
    void sharedHoldersExcludeAnExclusiveOneUntilTheyEnd() throws SQLException {
        try (GuardSession verify1 = new GuardSession(db.dataSource().getConnection());
                GuardSession verify2 = new GuardSession(db.dataSource().getConnection());
                GuardSession repair = new GuardSession(db.dataSource().getConnection())) {
            assertThat(verify1.tryLock(false, 10_000)).isTrue();
            assertThat(verify2.tryLock(false, 10_000)).isTrue();
            assertThat(repair.tryLock(true, 10_000)).isFalse();
            assertThat(repair.awaitLock(true, 10_000, 60_000, () -> true)).as("told to stop").isFalse();
            // a try that fails leaves no transaction open behind it
            assertThat(db.queryForLong("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                    + " AND state LIKE 'idle in transaction%'")).isEqualTo(2);

            verify1.unlock();
            assertThat(repair.tryLock(true, 10_000)).isFalse();
            verify2.unlock();
            assertThat(repair.awaitLock(true, 10_000, 60_000, () -> false)).isTrue();
            assertThat(db.queryForLong(SEQGUARD_LOCKS + " AND mode = 'ExclusiveLock'")).isOne();
        }
    }

    /**
     * A database whose sessions may idle in a transaction for 300 ms at most (and, from PostgreSQL 17 on, whose
     * transactions last 300 ms at most) ends neither the lock's transaction nor the lock: both are turned off for
     * that transaction alone. Another connection of the same database still gets the database's limit.
     */
    @Test
    void theServersTransactionTimeoutsDoNotEndTheLock() throws SQLException {
        boolean transactionTimeout = db.majorVersion() >= 17;
        db.execute("ALTER DATABASE " + db.name() + " SET idle_in_transaction_session_timeout = '300ms'");
        if (transactionTimeout) {
            db.execute("ALTER DATABASE " + db.name() + " SET transaction_timeout = '300ms'");
        }
        try (GuardSession session = new GuardSession(db.dataSource().getConnection())) {
            assertThat(session.tryLock(true, 10_000)).isTrue();
            long pid = db.queryForLong("SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted");
            // idle for a second, or ended by a timeout
            Await.until("the lock's transaction to be idle for a second", Duration.ofSeconds(20),
                    () -> db.queryForLong("SELECT count(*) FROM pg_stat_activity WHERE pid = " + pid
                            + " AND (state <> 'idle in transaction' OR xact_start > clock_timestamp() - interval '1 s'"
                            + " OR state_change > clock_timestamp() - interval '1 s')") == 0);

            assertThat(session.lockLoss()).isNull();
            assertThat(db.queryForLong(SEQGUARD_LOCKS)).isOne();
            try (Connection other = db.dataSource().getConnection()) {
                assertThat(query(other, "SHOW idle_in_transaction_session_timeout")).isEqualTo("300ms");
            }
        } finally {
            db.execute("ALTER DATABASE " + db.name() + " RESET idle_in_transaction_session_timeout");
            if (transactionTimeout) {
                db.execute("ALTER DATABASE " + db.name() + " RESET transaction_timeout");
            }
        }
    }

    @Test
    void aTerminatedLockConnectionIsALostLock() throws SQLException {
        try (GuardSession session = new GuardSession(db.dataSource().getConnection())) {
            assertThat(session.tryLock(false, 10_000)).isTrue();
            long pid = db.queryForLong("SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted"
                    + " AND classid = 1936028007 AND objid = 1969320548 AND objsubid = 1");

            db.queryForString("SELECT pg_terminate_backend(" + pid + ")");
            Await.until("the lock's backend to exit", Duration.ofSeconds(20),
                    () -> db.queryForLong(SEQGUARD_LOCKS) == 0);

            assertThat(session.lockLoss()).startsWith("its connection (server backend pid " + pid + ") failed: ");
        }
    }

    private static String query(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
