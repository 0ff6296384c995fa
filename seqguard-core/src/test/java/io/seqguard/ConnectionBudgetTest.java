package io.seqguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seqguard.test.Await;
import io.seqguard.test.PostgresTest;
import io.seqguard.test.TestDatabase;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code jobs} is an upper bound on connections: on a real server that refuses more (a role with
 * {@code CONNECTION LIMIT 1}) and with a pool that makes the second borrower wait, the work goes on with the
 * connections there are, and a run never waits for one it no longer needs.
 */
@PostgresTest
class ConnectionBudgetTest {

    private static final String ROLE = "seqguard_one_conn_" + Long.toHexString(System.nanoTime());
    private static final String GUARD_ROLE = "seqguard_two_conn_" + Long.toHexString(System.nanoTime());
    private static final String GUARD_SCHEMA = "\"Guard budget \"\"G\"\"\"";
    private static final String WAIT_SCHEMA = "\"Guard wait; \"\"W\"\"\"";
    private static final String SCHEMA = "\"Budget \"\"B\"\"; DROP TABLE z\"";
    private static final int TABLES = 150;

    private final TestDatabase db;

    ConnectionBudgetTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeAll
    static void build(TestDatabase db) {
        db.createRole(ROLE, "secret");
        db.execute("ALTER ROLE " + ROLE + " CONNECTION LIMIT 1",
                "CREATE SCHEMA " + SCHEMA, "CREATE SCHEMA small",
                tablesHoldingTheirOwnNumber(SCHEMA),
                "CREATE TABLE small.one (id bigserial PRIMARY KEY)", "INSERT INTO small.one VALUES (5)",
                "GRANT USAGE ON SCHEMA " + SCHEMA + ", small TO " + ROLE,
                "GRANT SELECT ON ALL TABLES IN SCHEMA " + SCHEMA + ", small TO " + ROLE,
                "GRANT SELECT ON ALL SEQUENCES IN SCHEMA " + SCHEMA + ", small TO " + ROLE);
        db.createRole(GUARD_ROLE, "secret");
        db.execute("ALTER ROLE " + GUARD_ROLE + " CONNECTION LIMIT 2", "CREATE SCHEMA " + GUARD_SCHEMA,
                tablesHoldingTheirOwnNumber(GUARD_SCHEMA), "CREATE SCHEMA " + WAIT_SCHEMA,
                tablesHoldingTheirOwnNumber(WAIT_SCHEMA));
        for (String schema : new String[] {GUARD_SCHEMA, WAIT_SCHEMA}) {
            db.execute("GRANT USAGE ON SCHEMA " + schema + " TO " + GUARD_ROLE,
                    "GRANT SELECT ON ALL TABLES IN SCHEMA " + schema + " TO " + GUARD_ROLE,
                    "GRANT SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA " + schema + " TO " + GUARD_ROLE);
        }
    }

    /** {@link #TABLES} tables t1, t2, ... in the schema, table ti holding the one row i, each sequence behind it. */
    private static String tablesHoldingTheirOwnNumber(String schema) {
        String literal = "'" + schema.replace("'", "''") + "'";
        return "DO $$ BEGIN FOR i IN 1 .. " + TABLES + " LOOP"
                + " EXECUTE format('CREATE TABLE %s.%I (id bigserial PRIMARY KEY)', " + literal + ", 't' || i);"
                + " EXECUTE format('INSERT INTO %s.%I VALUES (%s)', " + literal + ", 't' || i, i);"
                + " END LOOP; END $$";
    }

    /** The limit counts backends, and a closed connection's backend exits a moment later: wait for it. */
    @BeforeEach
    void noSessionOfTheRoleLeft() {
        Await.until("the sessions of " + ROLE + " and " + GUARD_ROLE + " to end", Duration.ofSeconds(10),
                () -> db.queryForLong("SELECT count(*) FROM pg_stat_activity WHERE usename IN ('" + ROLE + "', '"
                        + GUARD_ROLE + "')") == 0);
    }

    private DataSource oneConnection() {
        return db.dataSource(ROLE, "secret");
    }

    @Test
    void jobsIsAnUpperBoundARefusedConnectionLeavesTheWorkToTheOthers() {
        AlignmentReport report = SequenceAligner.configure().dataSource(oneConnection()).schemas(SCHEMA).jobs(2)
                .load().verify();
        assertThat(report.sequences()).hasSize(TABLES);
        assertThat(report.withStatus(SequenceStatus.BEHIND)).as("every table holds ids its fresh sequence would reuse")
                .hasSize(TABLES);
    }

    /** A pool at its maximum size makes the second borrower wait: the run must not wait with it once it is done. */
    @Test
    @Timeout(120)
    void aRunDoesNotWaitForAConnectionThePoolCannotLend() {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger waiting = new AtomicInteger();
        try {
            AlignmentReport report = SequenceAligner.configure()
                    .dataSource(exhaustedPool(db.dataSource(), release, waiting)).schemas(SCHEMA).jobs(2).load()
                    .verify();
            assertThat(report.sequences()).hasSize(TABLES);
            Await.until("the run's helper to ask the pool", Duration.ofSeconds(10), () -> waiting.get() > 0);
            assertThat(waiting.get()).as("the run asked the pool for its second connection").isEqualTo(1);
        } finally {
            release.countDown();
        }
    }

    /** The guard's lock holds one connection and the aligner's first job another: two are enough for any jobs. */
    @Test
    void theGuardRepairsWithTwoConnections() {
        GuardResult result = StartupGuard.configure().dataSource(db.dataSource(GUARD_ROLE, "secret")).journal(false)
                .aligner(a -> a.schemas(GUARD_SCHEMA).jobs(4)).load().run();
        assertThat(result.outcome()).isEqualTo(GuardOutcome.REPAIRED);
        assertThat(result.repaired()).hasSize(TABLES);
        assertThat(db.queryForLong("SELECT nextval(format('%s.%I', '" + GUARD_SCHEMA.replace("'", "''")
                + "', 't1_id_seq')::regclass)"))
                .as("the repaired sequence hands out the id after the table's").isEqualTo(2);
    }

    /**
     * The server counts a closed connection until its backend has exited: a run that starts right after another (the
     * guard's verify, then its repair) may find the role's one slot still taken for a moment, and waits for it.
     */
    @Test
    void aConnectionSlotFreedAMomentLaterIsWaitedFor() throws Exception {
        AtomicInteger refusals = new AtomicInteger();
        DataSource freesTheSlotWhenRefused = closingWhenRefused(oneConnection(), refusals,
                oneConnection().getConnection());
        AlignmentReport report = SequenceAligner.configure().dataSource(freesTheSlotWhenRefused).schemas("small")
                .jobs(1).load().verify();
        assertThat(refusals).as("the run was refused at first, then waited for the slot").hasPositiveValue();
        assertThat(report.sequences()).singleElement()
                .satisfies(s -> assertThat(s.status()).isEqualTo(SequenceStatus.BEHIND));
    }

    /** The guard's own connection, the one for its lock, waits for a slot the same way. */
    @Test
    void theGuardWaitsForASlotFreedAMomentLater() throws Exception {
        DataSource guardRole = db.dataSource(GUARD_ROLE, "secret");
        AtomicInteger refusals = new AtomicInteger();
        DataSource freesBothSlotsWhenRefused = closingWhenRefused(guardRole, refusals, guardRole.getConnection(),
                guardRole.getConnection());
        GuardResult result = StartupGuard.configure().dataSource(freesBothSlotsWhenRefused).journal(false)
                .aligner(a -> a.schemas(WAIT_SCHEMA).jobs(1)).load().run();
        assertThat(refusals).as("the guard was refused at first, then waited for the slot").hasPositiveValue();
        assertThat(result.outcome()).isEqualTo(GuardOutcome.REPAIRED);
        assertThat(result.repaired()).hasSize(TABLES);
    }

    /**
     * The data source, whose first refusal for want of a connection slot (SQLState 53300) closes the holders of the
     * slots: their backends exit a moment later, as after a run that has just ended.
     */
    private static DataSource closingWhenRefused(DataSource real, AtomicInteger refusals, Connection... holders) {
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        if (e.getCause() instanceof SQLException refused && "53300".equals(refused.getSQLState())
                                && refusals.getAndIncrement() == 0) {
                            for (Connection holder : holders) {
                                holder.close();
                            }
                        }
                        throw e.getCause();
                    }
                });
    }

    @Test
    void aRoleLimitThatLastsFailsTheRunNamingIt() throws Exception {
        try (Connection holder = oneConnection().getConnection()) {
            assertThatThrownBy(() -> SequenceAligner.configure().dataSource(oneConnection()).schemas("small").jobs(1)
                    .load().verify())
                    .isInstanceOf(SeqguardException.class)
                    .hasMessageContaining("Could not connect to the database")
                    .hasMessageContaining("too many connections for role");
        }
    }

    @Test
    void oneJobWorksOnOneConnection() {
        AlignmentReport report = SequenceAligner.configure().dataSource(oneConnection()).schemas(SCHEMA).jobs(1)
                .load().verify();
        assertThat(report.sequences()).hasSize(TABLES);
        assertThat(report.withStatus(SequenceStatus.BEHIND)).hasSize(TABLES);
    }

    @Test
    void aSmallRunDoesNotWaitForAConnectionItDoesNotNeed() {
        AlignmentReport report = SequenceAligner.configure().dataSource(oneConnection()).schemas("small").jobs(2)
                .load().verify();
        assertThat(report.sequences()).singleElement()
                .satisfies(s -> assertThat(s.status()).isEqualTo(SequenceStatus.BEHIND))
                .satisfies(s -> assertThat(s.dataBound()).isEqualTo(5L));
    }

    /**
     * Lends one real connection, then makes every further borrower wait until released, as a pool at its maximum
     * size does (a server cannot produce that wait on demand), and fails it then.
     */
    private static DataSource exhaustedPool(DataSource real, CountDownLatch release, AtomicInteger waiting) {
        AtomicInteger lent = new AtomicInteger();
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getConnection") && lent.incrementAndGet() > 1) {
                        waiting.incrementAndGet();
                        release.await();
                        throw new SQLException("pool exhausted: no connection within the wait");
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
