package io.seqguard.guard;

import static io.seqguard.guard.GuardFixture.q;
import static org.assertj.core.api.Assertions.assertThat;

import io.seqguard.GuardOutcome;
import io.seqguard.GuardResult;
import io.seqguard.RepairAction;
import io.seqguard.StartupGuard;
import io.seqguard.StartupGuardException;
import io.seqguard.test.Await;
import io.seqguard.test.PgBouncer;
import io.seqguard.test.PostgresTest;
import io.seqguard.test.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The connection that holds the seqguard lock is terminated while the guard repairs: from then on the run is not
 * serialized with other instances, so it fails (never a success, never a verdict), says what happened and that
 * running again is safe, and leaves no lock behind. Straight to the server and through PgBouncer in both modes.
 */
@PostgresTest
class StartupGuardLockLossTest {

    /** How the guard reaches the server. */
    enum Route { DIRECT, PGBOUNCER_SESSION, PGBOUNCER_TRANSACTION }

    private static final String SEQGUARD_LOCK = "locktype = 'advisory' AND granted AND classid = 1936028007"
            + " AND objid = 1969320548 AND objsubid = 1";

    @ParameterizedTest
    @EnumSource(Route.class)
    void aLockConnectionTerminatedDuringTheRepairFailsTheRun(Route route, TestDatabase db) throws Exception {
        if (route != Route.DIRECT) {
            PgBouncer.assumeInstalled();
        }
        String schema = GuardFixture.SCHEMA + " lock lost " + route;
        List<String> sql = new ArrayList<>(GuardFixture.ddl(schema));
        sql.addAll(GuardFixture.fill(schema, 30));
        GuardFixture.execute(db.dataSource(), sql);
        String plain = GuardFixture.table(schema, "plain");
        PgBouncer bouncer = route == Route.DIRECT ? null : PgBouncer.builder(db.server())
                .poolMode(route == Route.PGBOUNCER_SESSION ? PgBouncer.PoolMode.SESSION
                        : PgBouncer.PoolMode.TRANSACTION).start();
        try (Connection writer = db.dataSource().getConnection(); Statement st = writer.createStatement()) {
            DataSource dataSource = bouncer == null ? db.dataSource() : bouncer.dataSource(db.name());
            // a writer in the middle of a transaction on one table: the online repair waits for it there
            writer.setAutoCommit(false);
            st.execute("INSERT INTO " + plain + " (id, note) VALUES (1000, 'in flight')");
            CompletableFuture<GuardResult> run = CompletableFuture.supplyAsync(() -> StartupGuard.configure()
                    .dataSource(dataSource).applicationName("lock loss " + route)
                    .aligner(a -> a.schemas(q(schema)).blockWritersDuringRepair(true)
                            .lockTimeout(Duration.ofSeconds(30)))
                    .load().run());
            Await.until("the repair to wait for the writer", Duration.ofSeconds(30),
                    () -> db.queryForLong("SELECT count(*) FROM pg_locks WHERE NOT granted AND locktype = 'relation'"
                            + " AND relation = '" + plain.replace("'", "''") + "'::regclass") == 1);
            long lockPid = db.queryForLong("SELECT pid FROM pg_locks WHERE " + SEQGUARD_LOCK);
            db.queryForString("SELECT pg_terminate_backend(" + lockPid + ")");
            Await.until("the lock to end with its backend", Duration.ofSeconds(20),
                    () -> db.queryForLong("SELECT count(*) FROM pg_locks WHERE " + SEQGUARD_LOCK) == 0);
            writer.commit();

            ExecutionException failed = catchExecution(run);

            assertThat(failed.getCause()).isInstanceOf(StartupGuardException.class);
            StartupGuardException e = (StartupGuardException) failed.getCause();
            assertThat(e.reason()).isEqualTo(StartupGuardException.Reason.DATABASE_ERROR);
            assertThat(e.getMessage())
                    .startsWith("seqguard startup guard lost the seqguard lock while repairing database " + db.name()
                            + ": its connection (server backend pid " + lockPid + ") failed: ")
                    .contains("the run was not serialized with other instances, so it fails")
                    .contains("running the guard again is safe");
            // what it did is reported, as a failure's report, not as a success
            assertThat(e.report().withAction(RepairAction.REPAIRED)).isNotEmpty();
            assertThat(db.queryForLong("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")).isZero();
        } finally {
            if (bouncer != null) {
                bouncer.close();
            }
        }
        GuardResult again = StartupGuard.configure().dataSource(db.dataSource()).aligner(a -> a.schemas(q(schema)))
                .load().run();
        assertThat(again.outcome()).isIn(GuardOutcome.ALIGNED, GuardOutcome.REPAIRED);
        assertThat(again.waitedForLock()).isFalse();
        assertThat(GuardFixture.duplicateIds(db.dataSource(), schema)).isZero();
    }

    private static ExecutionException catchExecution(CompletableFuture<GuardResult> run) throws Exception {
        try {
            GuardResult result = run.get(60, TimeUnit.SECONDS);
            throw new AssertionError("the run reported success after losing its lock: " + result);
        } catch (ExecutionException e) {
            return e;
        }
    }
}
