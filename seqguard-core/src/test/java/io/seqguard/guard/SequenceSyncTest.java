package io.seqguard.guard;

import static io.seqguard.guard.GuardFixture.q;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.seqguard.AlignmentReport;
import io.seqguard.GuardConfiguration;
import io.seqguard.GuardOutcome;
import io.seqguard.GuardResult;
import io.seqguard.SequenceAligner;
import io.seqguard.SequenceReport;
import io.seqguard.StartupGuard;
import io.seqguard.StartupGuardException;
import io.seqguard.SubscriptionAction;
import io.seqguard.test.Await;
import io.seqguard.test.EmbeddedPostgres;
import io.seqguard.test.TestDatabase;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL 19 replicates sequences ({@code FOR ALL SEQUENCES}): at {@code CREATE SUBSCRIPTION} and at
 * {@code REFRESH SEQUENCES} it sets the publisher's values, backwards too. A repair made while a subscription still
 * has sequences to synchronize would be undone, so the guard refuses it, even when the subscription is disabled; a
 * database that subscribes to sequences at all is warned about on every run; a synchronization stuck on a definition
 * mismatch is named; unlogged sequences, which nothing replicates, are flagged. Two servers of 19 (through the test
 * kit's installed provider in CI); on older majors the class says why it did not run.
 */
class SequenceSyncTest {

    private static final String SCHEMA = "sync \"ü\"; DROP TABLE x";
    private static final String PUBLICATION = "all seqs ü";
    private static final String SUBSCRIPTION = "seqs from old ü";

    private static EmbeddedPostgres publisherServer;
    private static EmbeddedPostgres subscriberServer;
    private static TestDatabase publisher;
    private static TestDatabase subscriber;

    @BeforeAll
    static void twoServersOf19() {
        publisherServer = EmbeddedPostgres.builder().start();
        publisher = TestDatabase.create(publisherServer, "sync_pub");
        assumeTrue(publisher.majorVersion() >= 19, "sequence synchronization exists from PostgreSQL 19 on; this run "
                + "uses PostgreSQL " + publisher.majorVersion());
        subscriberServer = EmbeddedPostgres.builder().start();
        subscriber = TestDatabase.create(subscriberServer, "sync_sub");
        for (TestDatabase db : new TestDatabase[] {publisher, subscriber}) {
            db.execute("CREATE SCHEMA " + q(SCHEMA),
                    "CREATE TABLE " + q(SCHEMA) + ".orders (id bigserial PRIMARY KEY, note text)",
                    "CREATE SEQUENCE " + q(SCHEMA) + ".\"mismatch; x\" INCREMENT " + (db == publisher ? 10 : 1),
                    "CREATE UNLOGGED SEQUENCE " + q(SCHEMA) + ".\"unlogged ü\"");
        }
        publisher.execute("INSERT INTO " + q(SCHEMA) + ".orders (note) SELECT 'x' FROM generate_series(1, 50)",
                "SELECT nextval('" + q(SCHEMA).replace("'", "''") + ".\"mismatch; x\"') FROM generate_series(1, 5)",
                "CREATE PUBLICATION " + q(PUBLICATION) + " FOR ALL SEQUENCES");
        // the rows arrive with their ids (as pgcopydb or COPY would bring them): the sequence stays at 1 here
        subscriber.execute("INSERT INTO " + q(SCHEMA) + ".orders SELECT generate_series(1, 80), 'copied'");
    }

    @AfterAll
    static void stopServers() {
        if (subscriberServer != null) {
            subscriberServer.close();
        }
        if (publisherServer != null) {
            publisherServer.close();
        }
    }

    private static GuardConfiguration guard() {
        return StartupGuard.configure().dataSource(subscriber.dataSource())
                .aligner(a -> a.schemas(q(SCHEMA)).allowUnverified(q(SCHEMA) + ".\"mismatch; x\"",
                        q(SCHEMA) + ".\"unlogged ü\""));
    }

    private static String sub() {
        return q(SUBSCRIPTION);
    }

    @Test
    void pendingReadyStuckAndUnloggedSequencesAreNamedAndARepairThatWouldBeUndoneIsRefused() {
        // created disabled: its sequences wait for their first synchronization (state i)
        subscriber.execute("CREATE SUBSCRIPTION " + sub() + " CONNECTION 'host=127.0.0.1 port="
                + publisherServer.port() + " dbname=" + publisher.name() + " user=postgres' PUBLICATION "
                + q(PUBLICATION) + " WITH (enabled = false, slot_name = 'seqguard_sync_slot')");
        assertThat(subscriber.queryForLong("SELECT count(*) FROM pg_subscription_rel WHERE srsubstate = 'i'"))
                .as("sequences pending").isPositive();

        StartupGuardException pending = catchThrowableOfType(StartupGuardException.class,
                () -> guard().load().run());
        assertThat(pending.reason()).isEqualTo(StartupGuardException.Reason.SEQUENCE_SYNC);
        assertThat(pending.getMessage())
                .contains("subscription " + sub() + " (disabled) has ")
                .contains("still waiting for their first synchronization")
                .contains("ALTER SUBSCRIPTION " + sub() + " ENABLE; ALTER SUBSCRIPTION " + sub()
                        + " REFRESH SEQUENCES")
                .contains("or set onPendingSequenceSync to proceed, verify or skip");
        assertThat(subscriber.queryForLong("SELECT last_value FROM " + q(SCHEMA) + ".orders_id_seq"))
                .as("nothing repaired").isEqualTo(1);

        // the aligner's report names the subscription on each sequence it holds, and the unlogged one
        AlignmentReport verify = SequenceAligner.configure().dataSource(subscriber.dataSource()).schemas(q(SCHEMA))
                .load().verify();
        SequenceReport orders = find(verify, "orders_id_seq");
        assertThat(orders.notes()).anySatisfy(n -> assertThat(n).startsWith("subscription " + sub()
                + " (disabled) has not synchronized it yet (state i)"));
        assertThat(find(verify, "unlogged ü").notes()).anySatisfy(n -> assertThat(n).startsWith("unlogged: no "
                + "replication carries it"));

        // enabled, it synchronizes what matches; the mismatched sequence keeps failing
        subscriber.execute("ALTER SUBSCRIPTION " + sub() + " ENABLE");
        Await.until("the matching sequences to be synchronized", Duration.ofSeconds(60), () ->
                subscriber.queryForLong("SELECT last_value FROM " + q(SCHEMA) + ".orders_id_seq") == 50);
        Await.until("the mismatched sequence's synchronization to fail", Duration.ofSeconds(60), () ->
                subscriber.queryForLong("SELECT sync_seq_error_count FROM pg_stat_subscription_stats") > 0);
        subscriber.execute("ALTER SUBSCRIPTION " + sub() + " DISABLE");
        StartupGuardException stuck = catchThrowableOfType(StartupGuardException.class,
                () -> guard().load().run());
        assertThat(stuck.reason()).isEqualTo(StartupGuardException.Reason.SEQUENCE_SYNC);
        assertThat(stuck.getMessage()).contains("has 1 of its ").contains("that synchronization has failed ")
                .contains("'mismatched or renamed sequence on subscriber'");

        // proceed: the repair runs, and the run says a later REFRESH SEQUENCES would undo it
        GuardResult proceeded = guard().onPendingSequenceSync(SubscriptionAction.PROCEED).load().run();
        assertThat(proceeded.outcome()).isEqualTo(GuardOutcome.REPAIRED);
        assertThat(proceeded.notes()).anySatisfy(n -> assertThat(n).startsWith("database " + subscriber.name()
                + " subscribes to sequences (" + sub() + " (disabled)): every ALTER SUBSCRIPTION ... "
                + "REFRESH SEQUENCES sets the publisher's values here, backwards too"));
        assertThat(proceeded.toDetails().get("notes").toString()).contains("subscribes to sequences");
        assertThat(subscriber.queryForLong("SELECT last_value FROM " + q(SCHEMA) + ".orders_id_seq")).isEqualTo(80);
    }

    private static SequenceReport find(AlignmentReport report, String name) {
        return report.sequences().stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " in " + report));
    }
}
