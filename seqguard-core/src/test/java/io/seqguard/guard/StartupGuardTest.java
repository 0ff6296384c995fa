package io.seqguard.guard;

import static io.seqguard.guard.GuardFixture.insertThroughSequence;
import static io.seqguard.guard.GuardFixture.q;
import static io.seqguard.guard.GuardFixture.queryLong;
import static io.seqguard.guard.GuardFixture.queryString;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.seqguard.GuardConfiguration;
import io.seqguard.GuardMode;
import io.seqguard.GuardOutcome;
import io.seqguard.GuardResult;
import io.seqguard.Operation;
import io.seqguard.PrimaryIdentity;
import io.seqguard.SequenceReport;
import io.seqguard.SequenceStatus;
import io.seqguard.StartupGuard;
import io.seqguard.StartupGuardException;
import io.seqguard.test.PostgresTest;
import io.seqguard.test.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The guard against one real server: modes, messages, journal, bounded waits, a killed backend, least privilege. */
@PostgresTest
class StartupGuardTest {

    private final TestDatabase db;

    StartupGuardTest(TestDatabase db) {
        this.db = db;
    }

    /** A fresh hostile schema with lagging sequences. */
    private String laggingSchema(String suffix, int rows) throws SQLException {
        String schema = GuardFixture.SCHEMA + " " + suffix;
        List<String> sql = new ArrayList<>(GuardFixture.ddl(schema));
        sql.addAll(GuardFixture.fill(schema, rows));
        GuardFixture.execute(db.dataSource(), sql);
        return schema;
    }

    private GuardConfiguration guard(String schema) {
        return StartupGuard.configure().dataSource(db.dataSource()).aligner(a -> a.schemas(q(schema)))
                .applicationName("guard-test");
    }

    private void insertIntoEveryTable(DataSource dataSource, String schema) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            for (String table : GuardFixture.tables(schema)) {
                insertThroughSequence(c, table);
            }
        }
    }

    @Test
    void repairMovesEveryLaggingSequenceOnceAndTheApplicationCanInsert() throws Exception {
        String schema = laggingSchema("repair", 40);

        GuardResult first = guard(schema).load().run();

        assertThat(first.outcome()).isEqualTo(GuardOutcome.REPAIRED);
        assertThat(first.applied()).isEqualTo(GuardMode.REPAIR);
        assertThat(first.repaired()).hasSize(GuardFixture.LAGGING_SEQUENCES);
        assertThat(first.report().isAligned()).isTrue();
        assertThat(first.standby()).isFalse();
        assertThat(first.waitedForLock()).isFalse();
        assertThat(first.primary().fromSystemIdentifier()).isTrue();
        assertThat(first.primary().id())
                .isEqualTo(db.queryForString("SELECT system_identifier::text FROM pg_control_system()"));
        assertThat(first.primary().recognition()).isEqualTo(PrimaryIdentity.Recognition.UNKNOWN);
        SequenceReport shared = first.report().sequences().stream()
                .filter(s -> s.name().equals("shared \"seq\"")).findFirst().orElseThrow();
        assertThat(shared.previousNextValue()).isEqualTo(1L);
        assertThat(shared.nextValue()).isEqualTo(91L);
        insertIntoEveryTable(db.dataSource(), schema);

        GuardResult second = guard(schema).load().run();
        assertThat(second.outcome()).isEqualTo(GuardOutcome.ALIGNED);
        assertThat(second.repaired()).isEmpty();
        assertThat(second.report().operation()).as("a repair that found nothing to move is still a repair")
                .isEqualTo(Operation.REPAIR);
        assertThat(second.report().toJson()).contains("\"operation\": \"repair\"");
        // the guard left no lock and no session setting behind on its connections
        assertThat(db.queryForLong("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
                + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")).isZero();
    }

    @Test
    void verifyFailsListingEachLaggingSequenceAndTheStatementThatFixesIt() throws Exception {
        String schema = laggingSchema("verify", 10);
        String before = sequenceStates(schema);

        StartupGuardException e = catchThrowableOfType(StartupGuardException.class,
                () -> guard(schema).mode("verify").load().run());

        assertThat(e.reason()).isEqualTo(StartupGuardException.Reason.DRIFT);
        assertThat(e.report().withStatus(SequenceStatus.BEHIND)).hasSize(GuardFixture.LAGGING_SEQUENCES);
        assertThat(e.getMessage())
                .startsWith("seqguard startup guard (mode verify) refuses start-up: 5 sequence(s) in database")
                .contains("Fix: run SequenceAligner.repair() (or the startup guard in mode repair)")
                .contains("Statements that fix it (forward-only, safe to run more than once):")
                .contains("SELECT setval(");
        for (SequenceReport s : e.report().withStatus(SequenceStatus.BEHIND)) {
            assertThat(e.getMessage()).contains("  - " + s.qualifiedName() + ": next value 1, but max in use is");
        }
        assertThat(sequenceStates(schema)).isEqualTo(before);

        // the statements in the message are the fix
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute(e.report().toSql());
        }
        assertThat(guard(schema).mode(GuardMode.VERIFY).load().run().outcome()).isEqualTo(GuardOutcome.ALIGNED);
    }

    private String sequenceStates(String schema) throws SQLException {
        try (Connection c = db.dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT string_agg(sequencename || '=' "
                        + "|| coalesce(last_value::text, 'null'), ',' ORDER BY sequencename) FROM pg_sequences "
                        + "WHERE schemaname = ?")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    @Test
    void theJournalRecordsEveryRunAndRemembersThePrimary() throws Exception {
        String schema = laggingSchema("journal", 5);
        String journalSchema = "Audit ü; DROP TABLE x";
        String journalName = "Jöurnal \"quoted\"";
        String journal = q(journalSchema) + "." + q(journalName);
        db.execute("CREATE SCHEMA " + q(journalSchema));

        StartupGuardException drift = catchThrowableOfType(StartupGuardException.class,
                () -> guard(schema).mode("verify").journal(true).journalTable(journal).load().run());
        assertThat(drift.reason()).isEqualTo(StartupGuardException.Reason.DRIFT);

        GuardResult repaired = guard(schema).journal(true).journalTable(journal).load().run();
        GuardResult aligned = guard(schema).journal(true).journalTable(journal).load().run();

        assertThat(repaired.primary().recognition()).isEqualTo(PrimaryIdentity.Recognition.KNOWN);
        assertThat(repaired.primary().describe()).startsWith("known primary " + repaired.primary().id());
        assertThat(aligned.primary().recognition()).isEqualTo(PrimaryIdentity.Recognition.KNOWN);
        assertThat(db.queryForString("SELECT string_agg(outcome || '/' || mode || '/' || applied || '/' "
                + "|| jsonb_array_length(changed) || '/' || coalesce(first_boot::text, '-') || '/' || application, ' '"
                + " ORDER BY ran_at) FROM " + journal))
                .isEqualTo("failed_drift/verify/verify/0/true/guard-test repaired/repair/repair/5/false/guard-test "
                        + "aligned/repair/repair/0/false/guard-test");
        assertThat(db.queryForString("SELECT DISTINCT primary_id FROM " + journal))
                .isEqualTo(repaired.primary().id());
        assertThat(db.queryForString("SELECT changed -> 0 ->> 'sequence' FROM " + journal
                + " WHERE outcome = 'repaired'")).startsWith(q(GuardFixture.SCHEMA + " journal") + ".");
        assertThat(db.queryForLong("SELECT (changed -> 0 ->> 'to')::bigint FROM " + journal
                + " WHERE outcome = 'repaired'")).isGreaterThan(1);
        assertThat(db.queryForString("SELECT message FROM " + journal + " WHERE outcome = 'failed_drift'"))
                .contains("refuses start-up");

        // after a cutover the journal's rows name the old primary: the new one is a first boot
        db.execute("UPDATE " + journal + " SET primary_id = 'old-primary', ran_at = ran_at - interval '1 day'");
        GuardResult afterCutover = guard(schema).journal(true).journalTable(journal).load().run();
        assertThat(afterCutover.primary().recognition()).isEqualTo(PrimaryIdentity.Recognition.FIRST_BOOT);
        assertThat(afterCutover.primary().previousPrimaryId()).isEqualTo("old-primary");
        assertThat(afterCutover.primary().describe())
                .startsWith("first boot against primary " + afterCutover.primary().id())
                .contains("previous runs were against primary old-primary");
    }

    @Test
    void aJournalThatCannotBeCreatedDoesNotStopStartUp() throws Exception {
        String schema = laggingSchema("nojournal", 3);
        GuardResult result = guard(schema).journal(true).journalTable("\"no such schema\".j").load().run();
        assertThat(result.outcome()).isEqualTo(GuardOutcome.REPAIRED);
        assertThat(result.primary().recognition()).isEqualTo(PrimaryIdentity.Recognition.UNKNOWN);
        assertThat(result.notes()).anySatisfy(note -> assertThat(note)
                .startsWith("journal table \"no such schema\".j could not be created"));
    }

    @Test
    void anotherInstanceHoldingTheLockTooLongFailsClearlyWithinTheBound() throws Exception {
        String schema = laggingSchema("lockwait", 3);
        try (Connection holder = db.dataSource().getConnection(); Statement st = holder.createStatement()) {
            st.execute("SET application_name = 'the other instance'");
            st.execute("SELECT pg_advisory_lock(" + StartupGuard.ADVISORY_LOCK_KEY + ")");
            long pid = pid(holder);
            long t0 = System.nanoTime();

            StartupGuardException e = catchThrowableOfType(StartupGuardException.class,
                    () -> guard(schema).lockWaitTimeout(Duration.ofMillis(1500)).load().run());

            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertThat(e.reason()).isEqualTo(StartupGuardException.Reason.LOCK_TIMEOUT);
            assertThat(e.getMessage())
                    .startsWith("seqguard startup guard: another instance has held the seqguard lock for 1 s")
                    .contains("pid " + pid + " (ExclusiveLock, application 'the other instance'")
                    .contains("raise lockWaitTimeout");
            assertThat(millis).isBetween(1400L, 10_000L);
            // verify mode waits for a repairing instance as well (shared lock), bounded the same way
            StartupGuardException verify = catchThrowableOfType(StartupGuardException.class,
                    () -> guard(schema).mode("verify").lockWaitTimeout(Duration.ofMillis(300)).load().run());
            assertThat(verify.reason()).isEqualTo(StartupGuardException.Reason.LOCK_TIMEOUT);
        }
        assertThat(guard(schema).load().run().outcome()).isEqualTo(GuardOutcome.REPAIRED);
    }

    @Test
    void theTimeLimitEndsAGuardThatCannotGetAConnection() throws Exception {
        String schema = laggingSchema("timelimit", 3);
        CountDownLatch release = new CountDownLatch(1);
        // a pool that lends its first connection and then none: the guard's lock connection works, the aligner waits
        DataSource exhausted = new LimitedPool(db.dataSource(), 1, release);
        long t0 = System.nanoTime();
        try {
            StartupGuardException e = catchThrowableOfType(StartupGuardException.class,
                    () -> StartupGuard.configure().dataSource(exhausted).aligner(a -> a.schemas(q(schema)))
                            .timeLimit(Duration.ofMillis(1500)).load().run());
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertThat(e.reason()).isEqualTo(StartupGuardException.Reason.TIME_LIMIT);
            assertThat(e.getMessage())
                    .startsWith("seqguard startup guard did not finish within timeLimit (1500 ms); it was repairing "
                            + "database " + db.name())
                    .contains("raise timeLimit");
            assertThat(millis).isBetween(1400L, 5_000L);
        } finally {
            release.countDown();
        }
    }

    @Test
    void aBackendKilledDuringTheRepairFailsTheRunNamingWhatMovedAndTheNextRunConverges() throws Exception {
        String schema = laggingSchema("killed", 20);
        String plain = GuardFixture.table(schema, "plain");
        GuardConfiguration online = guard(schema)
                .aligner(a -> a.blockWritersDuringRepair(true).lockTimeout(Duration.ofSeconds(30)));
        try (Connection writer = db.dataSource().getConnection(); Statement st = writer.createStatement()) {
            // a writer in the middle of a transaction on one table: the online repair waits for it there
            writer.setAutoCommit(false);
            st.execute("INSERT INTO " + plain + " (id, note) VALUES (1000, 'in flight')");
            Thread killer = new Thread(() -> killWaiterOn(plain), "killer");
            killer.start();

            StartupGuardException e = catchThrowableOfType(StartupGuardException.class,
                    () -> online.load().run());

            killer.join(30_000);
            // a lost connection breaks the run: a failure, never a verdict on sequences it could not read
            assertThat(e.reason()).isEqualTo(StartupGuardException.Reason.DATABASE_ERROR);
            assertThat(e.report()).isNull();
            assertThat(e.getMessage())
                    .startsWith("seqguard startup guard (mode repair) failed while repairing database " + db.name())
                    .containsIgnoringCase("terminat")
                    .contains("before the failure it had moved 2 sequence(s) forward")
                    .contains("running the repair again is safe");
            writer.rollback();
        }

        GuardResult again = online.load().run();
        assertThat(again.outcome()).isEqualTo(GuardOutcome.REPAIRED);
        assertThat(again.repaired()).hasSize(3);
        assertThat(again.report().isAligned()).isTrue();
        insertIntoEveryTable(db.dataSource(), schema);
    }

    /** Waits (bounded) for a backend blocked on a lock of the table, then terminates it. */
    private void killWaiterOn(String table) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        try (Connection c = db.dataSource().getConnection();
                PreparedStatement find = c.prepareStatement("SELECT pid FROM pg_locks WHERE NOT granted "
                        + "AND locktype = 'relation' AND relation = ?::regclass");
                PreparedStatement kill = c.prepareStatement("SELECT pg_terminate_backend(?)")) {
            find.setString(1, table);
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = find.executeQuery()) {
                    if (rs.next()) {
                        kill.setInt(1, rs.getInt(1));
                        kill.executeQuery().close();
                        return;
                    }
                }
                c.createStatement().execute("SELECT pg_sleep(0.02)");
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aLeastPrivilegedRoleVerifiesWithSelectOnlyAndRepairNamesTheMissingGrant() throws Exception {
        String schema = laggingSchema("reader", 8);
        String role = db.name() + "_reader";
        db.createRole(role, "secret");
        db.execute("GRANT USAGE ON SCHEMA " + q(schema) + " TO " + q(role),
                "GRANT SELECT ON ALL TABLES IN SCHEMA " + q(schema) + " TO " + q(role),
                "GRANT SELECT ON ALL SEQUENCES IN SCHEMA " + q(schema) + " TO " + q(role));
        try {
            DataSource reader = db.dataSource(role, "secret");
            GuardConfiguration asReader = StartupGuard.configure().dataSource(reader)
                    .aligner(a -> a.schemas(q(schema))).journal(true).journalTable(q(schema) + ".journal");

            StartupGuardException verify = catchThrowableOfType(StartupGuardException.class,
                    () -> asReader.mode("verify").load().run());
            assertThat(verify.reason()).isEqualTo(StartupGuardException.Reason.DRIFT);
            assertThat(verify.report().withStatus(SequenceStatus.BEHIND)).hasSize(GuardFixture.LAGGING_SEQUENCES);

            StartupGuardException repair = catchThrowableOfType(StartupGuardException.class,
                    () -> asReader.mode("repair").load().run());
            assertThat(repair.reason()).isEqualTo(StartupGuardException.Reason.REPAIR_FAILED);
            assertThat(repair.getMessage())
                    .contains("could not repair 5 sequence(s)")
                    .contains("GRANT UPDATE ON SEQUENCE " + q(schema) + ".plain_id_seq TO " + role);

            // the owner repairs; the reader's verify then passes, its journal notes say why nothing was recorded
            guard(schema).load().run();
            GuardResult verified = asReader.mode("verify").load().run();
            assertThat(verified.outcome()).isEqualTo(GuardOutcome.ALIGNED);
            assertThat(verified.primary().fromSystemIdentifier()).isTrue();

            // where a managed service hides pg_control_system(), the primary is named by address, port and oid
            db.execute("REVOKE EXECUTE ON FUNCTION pg_control_system() FROM PUBLIC");
            try {
                GuardResult hidden = asReader.mode("verify").load().run();
                assertThat(hidden.outcome()).isEqualTo(GuardOutcome.ALIGNED);
                assertThat(hidden.primary().fromSystemIdentifier()).isFalse();
                assertThat(hidden.primary().id()).isEqualTo("fallback:127.0.0.1:" + db.queryForString(
                        "SELECT inet_server_port()") + "/" + db.queryForString(
                        "SELECT oid FROM pg_database WHERE datname = current_database()"));
                assertThat(hidden.primary().describe()).contains("(fallback identity: the system identifier is not "
                        + "readable)");
                // the journal needs CREATE on its schema: without it start-up goes on, and says so
                assertThat(hidden.notes()).anySatisfy(note -> assertThat(note)
                        .startsWith("journal table " + q(schema) + ".journal could not be created"));
            } finally {
                db.execute("GRANT EXECUTE ON FUNCTION pg_control_system() TO PUBLIC");
            }
        } finally {
            db.execute("DROP OWNED BY " + q(role));
        }
    }

    private static long pid(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void aFailedRunLeavesNoLockBehind() throws Exception {
        String schema = laggingSchema("nolock", 2);
        assertThatThrownBy(() -> guard(schema).mode("verify").load().run())
                .isInstanceOf(StartupGuardException.class);
        assertThat(db.queryForLong("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
                + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")).isZero();
        assertThat(queryString(db.dataSource(), "SELECT 1")).isEqualTo("1");
        assertThat(queryLong(db.dataSource(), "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                + " AND state = 'idle in transaction'")).isZero();
    }
}
