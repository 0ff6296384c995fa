package io.seqguard.guard;

import static io.seqguard.guard.GuardFixture.q;
import static org.assertj.core.api.Assertions.assertThat;

import io.seqguard.GuardResult;
import io.seqguard.GuardedDataSource;
import io.seqguard.SequenceReport;
import io.seqguard.StartupGuard;
import io.seqguard.test.PostgresTest;
import io.seqguard.test.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Eight application instances boot at once against lagging sequences; four of them start writing through the
 * sequences as soon as their own guard lets them, while the other guards still run.
 */
@PostgresTest
class StartupGuardConcurrencyTest {

    private static final int INSTANCES = 8;
    private static final int WRITERS = 4;
    private static final int EXTRA_TABLES = 20;
    private static final Duration TIME_LIMIT = Duration.ofSeconds(60);

    @Test
    void eightGuardsAndFourWritersNoDuplicateKeyAndEachSequenceMovedByExactlyOneGuard(TestDatabase db)
            throws Exception {
        String schema = GuardFixture.SCHEMA + " concurrent";
        List<String> tables = GuardFixture.laggingSchema(db.dataSource(), schema, EXTRA_TABLES);
        int lagging = GuardFixture.LAGGING_SEQUENCES + EXTRA_TABLES;

        List<GuardedDataSource> instances = new ArrayList<>();
        for (int i = 0; i < INSTANCES; i++) {
            instances.add(new GuardedDataSource(StartupGuard.configure().dataSource(db.dataSource())
                    .aligner(a -> a.schemas(q(schema)).jobs(1)).applicationName("instance-" + i)
                    .timeLimit(TIME_LIMIT).lockWaitTimeout(Duration.ofSeconds(45)).load()));
        }
        long t0 = System.nanoTime();
        int inserts = GuardFixture.bootAtOnce(instances, WRITERS, tables, TIME_LIMIT);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);

        Map<String, Integer> movedBy = new HashMap<>();
        int waited = 0;
        for (GuardedDataSource instance : instances) {
            GuardResult result = instance.getGuardResult();
            assertThat(result).isNotNull();
            assertThat(result.duration()).isLessThan(TIME_LIMIT);
            waited += result.waitedForLock() ? 1 : 0;
            for (SequenceReport s : result.repaired()) {
                movedBy.merge(s.qualifiedName(), 1, Integer::sum);
            }
        }
        assertThat(movedBy).hasSize(lagging);
        assertThat(movedBy.values()).containsOnly(1);
        assertThat(waited).isPositive();
        assertThat(inserts).isGreaterThanOrEqualTo(WRITERS * 25);
        assertThat(GuardFixture.duplicateIds(db.dataSource(), schema)).isZero();
        for (String table : tables) {
            assertThat(db.queryForLong("SELECT count(*) - count(DISTINCT " + (table.endsWith(q("MixedCase"))
                    ? "\"Id\"" : "id") + ") FROM " + table)).isZero();
        }
        assertThat(StartupGuard.configure().dataSource(db.dataSource()).aligner(a -> a.schemas(q(schema)))
                .mode("verify").load().run().report().isAligned()).isTrue();
        assertThat(db.queryForLong("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
                + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")).isZero();
        assertThat(millis).isLessThan(TIME_LIMIT.toMillis());
    }

}
