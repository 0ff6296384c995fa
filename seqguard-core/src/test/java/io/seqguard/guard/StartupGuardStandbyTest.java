package io.seqguard.guard;

import static io.seqguard.guard.GuardFixture.q;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.seqguard.GuardConfiguration;
import io.seqguard.GuardMode;
import io.seqguard.GuardOutcome;
import io.seqguard.GuardResult;
import io.seqguard.StandbyAction;
import io.seqguard.StartupGuard;
import io.seqguard.StartupGuardException;
import io.seqguard.test.EmbeddedPostgres;
import io.seqguard.test.TestDatabase;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** A real hot standby (a base backup of the primary, streaming from it): verify works, repair is refused. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StartupGuardStandbyTest {

    private static final String SCHEMA = GuardFixture.SCHEMA + " standby";

    private static EmbeddedPostgres primary;
    private static TestDatabase db;
    private static EmbeddedPostgres standby;
    private static DataSource replica;

    @BeforeAll
    static void startPrimaryAndStandby() throws Exception {
        primary = EmbeddedPostgres.builder().start();
        db = TestDatabase.create(primary, "guard_standby");
        List<String> sql = new ArrayList<>(GuardFixture.ddl(SCHEMA));
        sql.addAll(GuardFixture.fill(SCHEMA, 30));
        GuardFixture.execute(db.dataSource(), sql);
        standby = primary.startStandby();
        replica = standby.dataSource(db.name());
        awaitReplay();
    }

    @AfterAll
    static void stop() {
        if (standby != null) {
            standby.close();
        }
        // the primary's files go with it, the test database included
        if (primary != null) {
            primary.close();
        }
    }

    /**
     * Waits (bounded) until the standby shows what the primary shows for every table's rows and every sequence's
     * state. Waiting for an LSN is less reliable here: {@code setval()} commits without an xid, so its WAL is flushed
     * (and streamed) asynchronously, and an idle primary's insert position can sit past a page header that the standby
     * only reaches with the next record.
     */
    private static void awaitReplay() throws Exception {
        StringBuilder sql = new StringBuilder("SELECT concat_ws(',', ");
        for (String table : GuardFixture.tables(SCHEMA)) {
            sql.append("(SELECT count(*) FROM ").append(table).append("), ");
        }
        for (String sequence : List.of("\"MixedCase_Id_seq\"", "\"Order Lines; DROP TABLE x_id_seq\"",
                "plain_id_seq", "\"shared \"\"seq\"\"\"", "\"x; DROP TABLE y_id_seq\"")) {
            sql.append("(SELECT last_value || '/' || is_called FROM ").append(q(SCHEMA)).append('.').append(sequence)
                    .append("), ");
        }
        sql.setLength(sql.length() - 2);
        sql.append(")");
        String expected = GuardFixture.queryString(db.dataSource(), sql.toString());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!expected.equals(GuardFixture.queryString(replica, sql.toString()))) {
            assertThat(System.nanoTime()).as("standby replay of %s", expected).isLessThan(deadline);
            GuardFixture.queryString(replica, "SELECT pg_sleep(0.02)");
        }
    }

    private static GuardConfiguration guard(DataSource dataSource) {
        return StartupGuard.configure().dataSource(dataSource).aligner(a -> a.schemas(q(SCHEMA)));
    }

    @Test
    @Order(1)
    void verifyWorksOnTheStandbyAndNamesThePrimaryAsThePlaceToRepair() throws SQLException {
        assertThat(GuardFixture.queryString(replica, "SELECT pg_is_in_recovery()")).isEqualTo("t");

        StartupGuardException e = catchThrowableOfType(StartupGuardException.class,
                () -> guard(replica).mode(GuardMode.VERIFY).load().run());

        assertThat(e.reason()).isEqualTo(StartupGuardException.Reason.DRIFT);
        assertThat(e.standby()).as("a fact for failure analyzers, not only words").isTrue();
        assertThat(e.report().withStatus(io.seqguard.SequenceStatus.BEHIND)).hasSize(GuardFixture.LAGGING_SEQUENCES);
        assertThat(e.getMessage())
                .startsWith("seqguard startup guard (mode verify) on a standby (in recovery): 5 sequence(s)")
                .contains(".plain_id_seq: next value 1, but max in use is 30")
                .contains("Repair belongs to the primary: run the guard (mode repair) or the statements below "
                        + "against the primary.")
                .contains("SELECT setval(");
    }

    @Test
    @Order(2)
    void repairIsRefusedOnTheStandbyWithAPlainMessage() throws SQLException {
        String before = GuardFixture.queryString(db.dataSource(), "SELECT string_agg(last_value::text, ',') FROM "
                + q(SCHEMA) + ".plain_id_seq");

        StartupGuardException e = catchThrowableOfType(StartupGuardException.class,
                () -> guard(replica).journal(true).load().run());

        assertThat(e.reason()).isEqualTo(StartupGuardException.Reason.STANDBY);
        assertThat(e.standby()).isTrue();
        assertThat(e.getMessage())
                .startsWith("seqguard startup guard refuses to repair: this server is a standby (in recovery); "
                        + "repair belongs to the primary: run it against the primary. Verified here instead: "
                        + "5 sequence(s)");
        assertThat(GuardFixture.queryString(db.dataSource(), "SELECT string_agg(last_value::text, ',') FROM "
                + q(SCHEMA) + ".plain_id_seq")).isEqualTo(before);
    }

    @Test
    @Order(3)
    void startUpBehaviourOnAStandbyIsConfigurable() {
        GuardResult warned = guard(replica).onStandby(StandbyAction.WARN).load().run();
        assertThat(warned.outcome()).isEqualTo(GuardOutcome.DRIFT_TOLERATED);
        assertThat(warned.applied()).isEqualTo(GuardMode.VERIFY);
        assertThat(warned.standby()).isTrue();

        GuardResult skipped = guard(replica).onStandby("skip").load().run();
        assertThat(skipped.outcome()).isEqualTo(GuardOutcome.SKIPPED);
        assertThat(skipped.report()).isNull();

        StartupGuardException refused = catchThrowableOfType(StartupGuardException.class,
                () -> guard(replica).onStandby(StandbyAction.FAIL).mode("verify").load().run());
        assertThat(refused.reason()).isEqualTo(StartupGuardException.Reason.STANDBY);
        assertThat(refused.getMessage()).contains("(onStandby fail refuses every standby)");
    }

    @Test
    @Order(4)
    void afterTheRepairOnThePrimaryTheStandbyVerifiesAligned() throws Exception {
        GuardResult onPrimary = guard(db.dataSource()).load().run();
        assertThat(onPrimary.outcome()).isEqualTo(GuardOutcome.REPAIRED);
        assertThat(onPrimary.standby()).isFalse();
        awaitReplay();

        GuardResult onStandby = guard(replica).journal(true).load().run();

        assertThat(onStandby.outcome()).isEqualTo(GuardOutcome.ALIGNED);
        assertThat(onStandby.applied()).isEqualTo(GuardMode.VERIFY);
        assertThat(onStandby.standby()).isTrue();
        // physical replication keeps the system identifier: the standby names its primary
        assertThat(onStandby.primary().id()).isEqualTo(onPrimary.primary().id());
        assertThat(onStandby.notes()).contains("standby: verified only; repair belongs to the primary",
                "journal not written: a standby is read-only");
    }
}
