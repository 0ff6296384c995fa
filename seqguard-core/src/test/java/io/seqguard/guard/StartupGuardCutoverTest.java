package io.seqguard.guard;

import static io.seqguard.guard.GuardFixture.q;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.seqguard.GuardConfiguration;
import io.seqguard.GuardMode;
import io.seqguard.GuardOutcome;
import io.seqguard.GuardResult;
import io.seqguard.PrimaryIdentity;
import io.seqguard.StartupGuard;
import io.seqguard.StartupGuardException;
import io.seqguard.SubscriptionAction;
import io.seqguard.test.EmbeddedPostgres;
import io.seqguard.test.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The seed scenario, end to end: two servers, native logical replication ({@code CREATE PUBLICATION ... FOR ALL
 * TABLES} / {@code CREATE SUBSCRIPTION}) while the application writes through the sequences on the old primary,
 * cutover ({@code ALTER SUBSCRIPTION ... DISABLE}); without the guard the application's first inserts fail, with it
 * they succeed. On the way: an enabled subscription is refused by default and allowed when configured.
 */
class StartupGuardCutoverTest {

    private static final String SCHEMA = GuardFixture.SCHEMA + " cutover";
    private static final String PUBLICATION = "pub \"p\" ü";
    private static final String SUBSCRIPTION = "sub ü; DROP TABLE y";
    private static final String JOURNAL = "public.seqguard_journal";

    private static EmbeddedPostgres oldServer;
    private static EmbeddedPostgres newServer;
    private static TestDatabase oldDb;
    private static TestDatabase newDb;
    private static DataSource oldPrimary;
    private static DataSource newPrimary;

    @BeforeAll
    static void startTwoServers() {
        oldServer = EmbeddedPostgres.builder().start();
        newServer = EmbeddedPostgres.builder().start();
        oldDb = TestDatabase.create(oldServer, "guard_old");
        newDb = TestDatabase.create(newServer, "guard_new");
        oldPrimary = oldDb.dataSource();
        newPrimary = newDb.dataSource();
    }

    @AfterAll
    static void stopServers() {
        // the servers' files go with them, subscription and slot included
        if (newServer != null) {
            newServer.close();
        }
        if (oldServer != null) {
            oldServer.close();
        }
    }

    private static GuardConfiguration guard(DataSource dataSource) {
        return StartupGuard.configure().dataSource(dataSource).aligner(a -> a.schemas(q(SCHEMA)))
                .applicationName("cutover-app");
    }

    @Test
    void afterTheCutoverInsertsFailWithoutTheGuardAndSucceedWithIt() throws Exception {
        // the same schema on both sides (logical replication copies rows, not DDL)
        GuardFixture.execute(oldPrimary, GuardFixture.ddl(SCHEMA));
        GuardFixture.execute(newPrimary, GuardFixture.ddl(SCHEMA));
        // the old primary's own guard journals its runs; the journal table replicates like any other
        GuardResult onOld = guard(oldPrimary).journal(true).load().run();
        assertThat(onOld.outcome()).isEqualTo(GuardOutcome.ALIGNED);
        guard(newPrimary).mode("verify").journal(true).load().run();
        newDb.execute("TRUNCATE " + JOURNAL);

        List<String> tables = GuardFixture.tables(SCHEMA);
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            // phase 1: the application writes on the old primary while the subscription starts and catches up
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger written = new AtomicInteger();
            Future<?> writer = executor.submit(() -> writeThroughSequences(tables, stop, written, Integer.MAX_VALUE));
            awaitAtLeast(written, 20, writer);
            oldDb.execute("CREATE PUBLICATION " + q(PUBLICATION) + " FOR ALL TABLES");
            // a slot name allows only [a-z0-9_] and defaults to the subscription's name: a hostile name needs its own
            newDb.execute("CREATE SUBSCRIPTION " + q(SUBSCRIPTION) + " CONNECTION 'host=127.0.0.1 port="
                    + oldServer.port() + " dbname=" + oldDb.name() + " user=postgres' PUBLICATION "
                    + q(PUBLICATION) + " WITH (slot_name = 'guard_cutover_slot')");
            int atSubscription = written.get();
            // live changes (written after the subscription started) must arrive through the stream
            awaitAtLeast(written, atSubscription + 60, writer);
            awaitRows(newPrimary, tables.get(0), atSubscription + 10);
            stop.set(true);
            writer.get(30, TimeUnit.SECONDS);
            awaitReplicated(tables);
            assertThat(GuardFixture.queryLong(newPrimary, "SELECT count(*) FROM " + JOURNAL)).isEqualTo(1);

            // the subscription is still enabled: the cutover is not finished
            StartupGuardException refused = catchThrowableOfType(StartupGuardException.class,
                    () -> guard(newPrimary).load().run());
            assertThat(refused.reason()).isEqualTo(StartupGuardException.Reason.SUBSCRIPTION);
            assertThat(refused.enabledSubscriptions()).containsExactly(SUBSCRIPTION);
            assertThat(refused.getMessage())
                    .startsWith("seqguard startup guard refuses to repair database " + newDb.name()
                            + ": enabled subscription(s) " + q(SUBSCRIPTION) + " still feed it, so the cutover is not "
                            + "finished")
                    .contains("ALTER SUBSCRIPTION " + q(SUBSCRIPTION) + " DISABLE")
                    .contains("set onEnabledSubscription to proceed, verify or skip");
            assertThat(GuardFixture.queryLong(newPrimary, "SELECT last_value FROM " + q(SCHEMA) + ".plain_id_seq"))
                    .isEqualTo(1);
            // configurable: verify only, skip, or proceed with the repair
            StartupGuardException verified = catchThrowableOfType(StartupGuardException.class,
                    () -> guard(newPrimary).onEnabledSubscription(SubscriptionAction.VERIFY).load().run());
            assertThat(verified.reason()).isEqualTo(StartupGuardException.Reason.DRIFT);
            assertThat(guard(newPrimary).onEnabledSubscription("skip").load().run().outcome())
                    .isEqualTo(GuardOutcome.SKIPPED);
            GuardResult proceeded = guard(newPrimary).onEnabledSubscription(SubscriptionAction.PROCEED).load().run();
            assertThat(proceeded.outcome()).isEqualTo(GuardOutcome.REPAIRED);
            assertThat(proceeded.enabledSubscriptions()).containsExactly(SUBSCRIPTION);
            assertThat(proceeded.notes()).anySatisfy(n -> assertThat(n).contains("values replicated after this run"));

            // phase 2: replication goes on feeding rows with explicit ids, and the repair is stale at once
            stop.set(false);
            int before = written.get();
            Future<?> more = executor.submit(() -> writeThroughSequences(tables, stop, written, 40));
            more.get(60, TimeUnit.SECONDS);
            assertThat(written.get()).isEqualTo(before + 40);
            awaitReplicated(tables);
        } finally {
            executor.shutdownNow();
        }

        // cutover: replication stops; the application now writes to the new primary
        newDb.execute("ALTER SUBSCRIPTION " + q(SUBSCRIPTION) + " DISABLE");
        assertThat(GuardFixture.queryLong(newPrimary, "SELECT count(*) FROM pg_subscription WHERE subenabled"))
                .isZero();

        // without the guard: the application's first insert into every table collides
        List<String> failures = new ArrayList<>();
        for (String table : tables) {
            try (Connection c = newPrimary.getConnection()) {
                GuardFixture.insertThroughSequence(c, table);
            } catch (SQLException e) {
                assertThat(e.getSQLState()).as(e.getMessage()).isEqualTo("23505");
                failures.add(table);
            }
        }
        assertThat(failures).containsExactlyElementsOf(tables);

        // with the guard
        GuardResult result = guard(newPrimary).journal(true).load().run();

        assertThat(result.outcome()).isEqualTo(GuardOutcome.REPAIRED);
        assertThat(result.applied()).isEqualTo(GuardMode.REPAIR);
        assertThat(result.enabledSubscriptions()).isEmpty();
        assertThat(result.repaired()).hasSize(GuardFixture.LAGGING_SEQUENCES);
        assertThat(result.primary().id()).isNotEqualTo(onOld.primary().id());
        assertThat(result.primary().recognition()).isEqualTo(PrimaryIdentity.Recognition.FIRST_BOOT);
        assertThat(result.primary().previousPrimaryId()).isEqualTo(onOld.primary().id());
        assertThat(result.primary().describe()).startsWith("first boot against primary " + result.primary().id());
        for (String table : tables) {
            try (Connection c = newPrimary.getConnection()) {
                GuardFixture.insertThroughSequence(c, table);
                GuardFixture.insertThroughSequence(c, table);
            }
        }
        assertThat(GuardFixture.duplicateIds(newPrimary, SCHEMA)).isZero();
        assertThat(guard(newPrimary).journal(true).load().run().primary().recognition())
                .isEqualTo(PrimaryIdentity.Recognition.KNOWN);
    }

    /** The application on the old primary: one row per table per round, through the sequences. */
    private static Void writeThroughSequences(List<String> tables, AtomicBoolean stop, AtomicInteger written,
            int rounds) throws SQLException {
        try (Connection c = oldPrimary.getConnection()) {
            for (int i = 0; i < rounds && !stop.get(); i++) {
                for (String table : tables) {
                    GuardFixture.insertThroughSequence(c, table);
                }
                written.incrementAndGet();
            }
        }
        return null;
    }

    private static void awaitAtLeast(AtomicInteger counter, int value, Future<?> writer) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (counter.get() < value) {
            if (writer.isDone()) {
                writer.get();
            }
            assertThat(System.nanoTime()).as("waiting for %s rounds of writes", value).isLessThan(deadline);
            Thread.onSpinWait();
            GuardFixture.queryString(oldPrimary, "SELECT pg_sleep(0.01)");
        }
    }

    private static void awaitRows(DataSource dataSource, String table, long rows) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (GuardFixture.queryLong(dataSource, "SELECT count(*) FROM " + table) < rows) {
            assertThat(System.nanoTime()).as("waiting for %s rows in %s", rows, table).isLessThan(deadline);
            GuardFixture.queryString(dataSource, "SELECT pg_sleep(0.02)");
        }
    }

    /** Waits (bounded) until every table holds on the new primary what it holds on the old one. */
    private static void awaitReplicated(List<String> tables) throws Exception {
        for (String table : tables) {
            awaitRows(newPrimary, table, GuardFixture.queryLong(oldPrimary, "SELECT count(*) FROM " + table));
        }
        for (String table : tables) {
            String id = table.endsWith(q("MixedCase")) ? "\"Id\"" : "id";
            assertThat(GuardFixture.queryLong(newPrimary, "SELECT max(" + id + ") FROM " + table))
                    .isEqualTo(GuardFixture.queryLong(oldPrimary, "SELECT max(" + id + ") FROM " + table));
        }
    }
}
