package io.seqguard.guard;

import static io.seqguard.guard.GuardFixture.q;
import static org.assertj.core.api.Assertions.assertThat;

import io.seqguard.GuardOutcome;
import io.seqguard.GuardResult;
import io.seqguard.GuardedDataSource;
import io.seqguard.SequenceReport;
import io.seqguard.StartupGuard;
import io.seqguard.test.PgBouncer;
import io.seqguard.test.PostgresTest;
import io.seqguard.test.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The guard through PgBouncer, in session and in transaction pooling: eight instances repair at once while four of
 * them write through the sequences; every run succeeds, each lagging sequence is moved by exactly one of them, and
 * no seqguard lock stays on any of the proxy's server connections.
 */
@PostgresTest
class StartupGuardPgBouncerTest {

    private static final int INSTANCES = 8;
    private static final int WRITERS = 4;
    private static final int EXTRA_TABLES = 10;
    private static final Duration TIME_LIMIT = Duration.ofSeconds(60);

    @BeforeEach
    void needsPgBouncer() {
        PgBouncer.assumeInstalled();
    }

    /**
     * With a server pool of 3 in transaction pooling, seven instances waiting for the lock while the eighth repairs
     * would take every server connection if they waited inside a transaction; the holder's own work needs some.
     */
    @ParameterizedTest(name = "{0} pooling, {1} server connections")
    @CsvSource({"SESSION, 20", "TRANSACTION, 20", "TRANSACTION, 3"})
    void eightRepairsAndFourWritersThroughPgBouncer(PgBouncer.PoolMode mode, int serverConnections, TestDatabase db)
            throws Exception {
        String schema = GuardFixture.SCHEMA + " bouncer " + mode + " " + serverConnections;
        List<String> tables = GuardFixture.laggingSchema(db.dataSource(), schema, EXTRA_TABLES);
        int lagging = GuardFixture.LAGGING_SEQUENCES + EXTRA_TABLES;
        Map<String, Integer> movedBy = new HashMap<>();
        int waited = 0;
        try (PgBouncer bouncer = PgBouncer.builder(db.server()).poolMode(mode)
                .setting("default_pool_size", String.valueOf(serverConnections)).start()) {
            // unpooled, with the driver's defaults (prepareThreshold 5), as the command line connects
            DataSource through = bouncer.dataSource(db.name());
            List<GuardedDataSource> instances = new ArrayList<>();
            for (int i = 0; i < INSTANCES; i++) {
                instances.add(new GuardedDataSource(StartupGuard.configure().dataSource(through)
                        .aligner(a -> a.schemas(q(schema)).jobs(2)).applicationName("instance-" + i)
                        .timeLimit(TIME_LIMIT).lockWaitTimeout(Duration.ofSeconds(45)).load()));
            }
            GuardFixture.bootAtOnce(instances, WRITERS, tables, TIME_LIMIT);
            for (GuardedDataSource instance : instances) {
                GuardResult result = instance.getGuardResult();
                assertThat(result.outcome()).isIn(GuardOutcome.REPAIRED, GuardOutcome.ALIGNED);
                waited += result.waitedForLock() ? 1 : 0;
                for (SequenceReport s : result.repaired()) {
                    movedBy.merge(s.qualifiedName(), 1, Integer::sum);
                }
            }
            assertThat(db.queryForLong("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"))
                    .as("no seqguard lock left on the proxy's server connections").isZero();
        }
        assertThat(movedBy).hasSize(lagging);
        assertThat(movedBy.values()).containsOnly(1);
        assertThat(waited).as("instances that found the lock taken").isPositive();
        assertThat(GuardFixture.duplicateIds(db.dataSource(), schema)).isZero();
        // a later run straight to the server neither waits nor finds anything to do
        GuardResult direct = StartupGuard.configure().dataSource(db.dataSource()).aligner(a -> a.schemas(q(schema)))
                .lockWaitTimeout(Duration.ofSeconds(5)).load().run();
        assertThat(direct.waitedForLock()).isFalse();
        assertThat(direct.outcome()).isEqualTo(GuardOutcome.ALIGNED);
    }
}
