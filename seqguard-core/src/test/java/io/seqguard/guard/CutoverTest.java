package io.seqguard.guard;

import static io.seqguard.guard.GuardFixture.q;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.seqguard.Cutover;
import io.seqguard.CutoverConfiguration;
import io.seqguard.CutoverException;
import io.seqguard.CutoverResult;
import io.seqguard.GuardOutcome;
import io.seqguard.SequenceReport;
import io.seqguard.UnknownObjectException;
import io.seqguard.Verdict;
import io.seqguard.Witness;
import io.seqguard.test.Await;
import io.seqguard.test.EmbeddedPostgres;
import io.seqguard.test.TestDatabase;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cutover as one step, end to end on two servers with native logical replication and an application that writes
 * through the sequences on the old primary until it is stopped: the cutover refuses while it still writes, stops
 * before the repair unless told to disable the subscription, and then repairs with the old primary as witness so
 * that the application's inserts on the new primary succeed. On PostgreSQL 19 it synchronizes the sequences one last
 * time first. Runs on every major the suite runs on (12, 18 and 19 in CI).
 */
class CutoverTest {

    private static final String SCHEMA = GuardFixture.SCHEMA + " cutover cmd";
    private static final String TABLES_PUBLICATION = "tables ü";
    private static final String SEQUENCES_PUBLICATION = "sequences ü";
    private static final String SUBSCRIPTION = "cutover sub; ü";

    private static EmbeddedPostgres oldServer;
    private static EmbeddedPostgres newServer;
    private static TestDatabase oldDb;
    private static TestDatabase newDb;
    private static boolean sequenceSync;

    @BeforeAll
    static void replicate() throws Exception {
        oldServer = EmbeddedPostgres.builder().start();
        newServer = EmbeddedPostgres.builder().start();
        oldDb = TestDatabase.create(oldServer, "cutover_old");
        newDb = TestDatabase.create(newServer, "cutover_new");
        sequenceSync = oldDb.majorVersion() >= 19;
        GuardFixture.execute(oldDb.dataSource(), GuardFixture.ddl(SCHEMA));
        GuardFixture.execute(newDb.dataSource(), GuardFixture.ddl(SCHEMA));
        oldDb.execute("CREATE PUBLICATION " + q(TABLES_PUBLICATION) + " FOR ALL TABLES");
        String publications = q(TABLES_PUBLICATION);
        if (sequenceSync) {
            oldDb.execute("CREATE PUBLICATION " + q(SEQUENCES_PUBLICATION) + " FOR ALL SEQUENCES");
            publications += ", " + q(SEQUENCES_PUBLICATION);
        }
        write(40);
        newDb.execute("CREATE SUBSCRIPTION " + q(SUBSCRIPTION) + " CONNECTION 'host=127.0.0.1 port="
                + oldServer.port() + " dbname=" + oldDb.name() + " user=postgres' PUBLICATION " + publications
                + " WITH (slot_name = 'seqguard_cutover_slot')");
    }

    @AfterAll
    static void stopServers() {
        if (newServer != null) {
            newServer.close();
        }
        if (oldServer != null) {
            oldServer.close();
        }
    }

    /** A second subscription to the old primary, enabled, that never connects (no slot of its own is made). */
    private static void enableAnotherSubscription(String name) {
        newDb.execute("CREATE SUBSCRIPTION " + q(name) + " CONNECTION 'host=127.0.0.1 port=" + oldServer.port()
                + " dbname=" + oldDb.name() + " user=postgres' PUBLICATION " + q(TABLES_PUBLICATION)
                + " WITH (connect = false, slot_name = 'seqguard_other_slot')");
        newDb.execute("ALTER SUBSCRIPTION " + q(name) + " ENABLE");
    }

    /** A subscription that never connected is dropped without its publisher. */
    private static void dropAnotherSubscription(String name) {
        newDb.execute("ALTER SUBSCRIPTION " + q(name) + " DISABLE", "ALTER SUBSCRIPTION " + q(name)
                + " SET (slot_name = NONE)", "DROP SUBSCRIPTION " + q(name));
    }

    /** The application on the old primary: one row per table per round, through the sequences. */
    private static void write(int rounds) throws Exception {
        try (Connection c = oldDb.dataSource().getConnection()) {
            for (int i = 0; i < rounds; i++) {
                for (String table : GuardFixture.tables(SCHEMA)) {
                    GuardFixture.insertThroughSequence(c, table);
                }
            }
        }
    }

    private static CutoverConfiguration cutover(List<String> lines) {
        return Cutover.configure().newPrimary(newDb.dataSource()).oldPrimary(oldDb.dataSource())
                .subscription(SUBSCRIPTION).catchUpTimeout(Duration.ofSeconds(60)).listener(lines::add)
                .guard(g -> g.aligner(a -> a.schemas(q(SCHEMA))));
    }

    @Test
    void refusesWhileTheOldPrimaryWritesStopsBeforeTheRepairAndThenRepairsWithTheOldPrimaryAsWitness()
            throws Exception {
        // another enabled subscription feeds the database: the repair would refuse it after step 5, so the cutover
        // refuses at step 2, with its own subscription still enabled
        String other = "other sub; ü";
        enableAnotherSubscription(other);
        try {
            CutoverException second = catchThrowableOfType(CutoverException.class,
                    () -> cutover(new ArrayList<>()).disableSubscription(true).load().run());
            assertThat(second.reason()).isEqualTo(CutoverException.Reason.OTHER_SUBSCRIPTION_ENABLED);
            assertThat(second.getMessage()).startsWith("seqguard cutover stopped at step 2: subscription(s) "
                    + q(other) + " also feed this database and are enabled").contains("nothing was changed");
            assertThat(newDb.queryForLong("SELECT count(*) FROM pg_subscription WHERE subenabled AND subname = '"
                    + SUBSCRIPTION.replace("'", "''") + "'")).isEqualTo(1);
        } finally {
            dropAnotherSubscription(other);
        }

        // the application still writes: the cutover refuses, and changes nothing
        AtomicBoolean stop = new AtomicBoolean();
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try (Connection c = oldDb.dataSource().getConnection()) {
                while (!stop.get()) {
                    GuardFixture.insertThroughSequence(c, GuardFixture.tables(SCHEMA).get(0));
                    GuardFixture.queryString(oldDb.dataSource(), "SELECT pg_sleep(0.05)");
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            CutoverException writing = catchThrowableOfType(CutoverException.class,
                    () -> cutover(new ArrayList<>()).disableSubscription(true).load().run());
            assertThat(writing.reason()).isEqualTo(CutoverException.Reason.SOURCE_STILL_WRITING);
            assertThat(writing.getMessage()).contains("the old primary's database keeps writing")
                    .contains("Stop every write on the old primary");
        } finally {
            stop.set(true);
            writer.get();
        }
        assertThat(newDb.queryForLong("SELECT count(*) FROM pg_subscription WHERE subenabled")).isEqualTo(1);

        // writes stopped; without being told to disable the subscription it stops before the repair, also while
        // another subscription feeds the database (that one's own cutover comes later: none of them is refused)
        write(5);
        List<String> lines = new ArrayList<>();
        enableAnotherSubscription(other);
        CutoverResult stopped;
        try {
            stopped = cutover(lines).load().run();
        } finally {
            dropAnotherSubscription(other);
        }
        assertThat(stopped.stoppedBeforeRepair()).isTrue();
        assertThat(stopped.nextStatement()).isEqualTo("ALTER SUBSCRIPTION " + q(SUBSCRIPTION) + " DISABLE");
        assertThat(stopped.report()).isNull();
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("step 3/6: the subscription has applied "
                + "everything up to "));
        assertThat(newDb.queryForLong("SELECT count(*) FROM pg_subscription WHERE subenabled")).isEqualTo(1);
        // everything the old primary had written has arrived
        for (String table : GuardFixture.tables(SCHEMA)) {
            assertThat(newDb.queryForLong("SELECT count(*) FROM " + table))
                    .isEqualTo(oldDb.queryForLong("SELECT count(*) FROM " + table));
        }

        // a guard option the new primary cannot satisfy fails before any step, so the subscription stays enabled
        List<String> none = new ArrayList<>();
        assertThatThrownBy(() -> cutover(none).disableSubscription(true)
                .guard(g -> g.aligner(a -> a.schemas(q(SCHEMA), "no_such_schema"))).load().run())
                .isInstanceOf(UnknownObjectException.class)
                .hasMessageStartingWith("seqguard cutover changed nothing: on the new primary, schemas: schema "
                        + "no_such_schema does not exist in this database.");
        assertThat(none).as("no step ran").isEmpty();
        assertThat(newDb.queryForLong("SELECT count(*) FROM pg_subscription WHERE subenabled")).isEqualTo(1);

        // told to disable it: the whole cutover
        lines.clear();
        CutoverResult done = cutover(lines).disableSubscription(true).load().run();
        assertThat(done.stoppedBeforeRepair()).isFalse();
        assertThat(done.repair().outcome()).isEqualTo(sequenceSync ? GuardOutcome.ALIGNED : GuardOutcome.REPAIRED);
        assertThat(done.report().verdict()).isEqualTo(Verdict.ALIGNED);
        assertThat(done.report().sequences()).as("the old primary witnessed every sequence")
                .extracting(SequenceReport::witness).isNotEmpty().doesNotContain(Witness.NONE);
        assertThat(newDb.queryForLong("SELECT count(*) FROM pg_subscription WHERE subenabled")).isZero();
        if (sequenceSync) {
            // 19 set the publisher's values during the cutover, while the subscription was still enabled
            assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("step 4/6: ALTER SUBSCRIPTION "
                    + q(SUBSCRIPTION) + " REFRESH SEQUENCES"));
        } else {
            assertThat(lines).anySatisfy(l -> assertThat(l).contains("exists from PostgreSQL 19 on"));
        }
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("step 6/6: verified: verify of database "
                + newDb.name() + ": aligned"));
        // the application's first inserts on the new primary
        try (Connection c = newDb.dataSource().getConnection()) {
            for (String table : GuardFixture.tables(SCHEMA)) {
                GuardFixture.insertThroughSequence(c, table);
            }
        }
        assertThat(GuardFixture.duplicateIds(newDb.dataSource(), SCHEMA)).isZero();

        // run again: the subscription is disabled now, so it cannot catch up: said so, nothing else done
        CutoverException disabled = catchThrowableOfType(CutoverException.class,
                () -> cutover(new ArrayList<>()).disableSubscription(true).load().run());
        assertThat(disabled.reason()).isEqualTo(CutoverException.Reason.SUBSCRIPTION_DISABLED);
        assertThat(disabled.getMessage()).contains("ALTER SUBSCRIPTION " + q(SUBSCRIPTION) + " ENABLE")
                .contains("If an earlier cutover disabled it after its repair, that cutover is done: verify");
    }

    @Test
    void aStandbyOfTheOldPrimaryIsRefusedAndAnUnknownSubscriptionIsNamed() throws Exception {
        try (EmbeddedPostgres standby = oldServer.startStandby()) {
            Await.until("the standby to have the database", Duration.ofSeconds(30), () -> {
                try (var c = standby.dataSource(oldDb.name()).getConnection()) {
                    return true;
                }
            });
            DataSource replica = standby.dataSource(oldDb.name());
            CutoverException refused = catchThrowableOfType(CutoverException.class,
                    () -> Cutover.configure().newPrimary(newDb.dataSource()).oldPrimary(replica)
                            .subscription(SUBSCRIPTION).load().run());
            assertThat(refused.reason()).isEqualTo(CutoverException.Reason.SOURCE_IS_STANDBY);
            assertThat(refused.getMessage()).startsWith("seqguard cutover stopped at step 1: the old primary is a "
                    + "standby (in recovery)");
        }
        CutoverException unknown = catchThrowableOfType(CutoverException.class,
                () -> Cutover.configure().newPrimary(newDb.dataSource()).oldPrimary(oldDb.dataSource())
                        .subscription("no such one").load().run());
        assertThat(unknown.reason()).isEqualTo(CutoverException.Reason.SUBSCRIPTION_NOT_FOUND);
        assertThat(unknown.getMessage()).contains("no subscription named 'no such one'");
        assertThatThrownBy(() -> Cutover.configure().newPrimary(newDb.dataSource()).load())
                .hasMessage("oldPrimary is required: call oldPrimary(...) before load()");
        // a failed login is named as the API user gave the connection
        assertThatThrownBy(() -> Cutover.configure().newPrimary(newDb.dataSource())
                .oldPrimary(oldServer.dataSource(oldDb.name(), "no_such_role", "x")).subscription(SUBSCRIPTION).load()
                .run()).hasMessageStartingWith("seqguard cutover could not connect to oldPrimary (the old primary): ")
                .hasMessageContaining("no_such_role");
    }
}
