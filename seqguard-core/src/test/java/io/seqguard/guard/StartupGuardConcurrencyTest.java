package io.seqguard.guard;

import static io.seqguard.guard.GuardFixture.q;
import static org.assertj.core.api.Assertions.assertThat;

import io.seqguard.GuardResult;
import io.seqguard.GuardedDataSource;
import io.seqguard.SequenceReport;
import io.seqguard.StartupGuard;
import io.seqguard.test.PostgresTest;
import io.seqguard.test.TestDatabase;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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
        List<String> sql = new ArrayList<>(GuardFixture.ddl(schema));
        sql.addAll(GuardFixture.fill(schema, 200));
        List<String> tables = new ArrayList<>(GuardFixture.tables(schema));
        for (int i = 0; i < EXTRA_TABLES; i++) {
            String table = GuardFixture.table(schema, String.format("Tåble %02d; --", i));
            sql.add("CREATE TABLE " + table + " (id bigserial PRIMARY KEY, note text)");
            sql.add("INSERT INTO " + table + " (id, note) SELECT g, 'copied' FROM generate_series(1, " + (100 + i)
                    + ") g");
            tables.add(table);
        }
        GuardFixture.execute(db.dataSource(), sql);
        int lagging = GuardFixture.LAGGING_SEQUENCES + EXTRA_TABLES;

        List<GuardedDataSource> instances = new ArrayList<>();
        for (int i = 0; i < INSTANCES; i++) {
            instances.add(new GuardedDataSource(StartupGuard.configure().dataSource(db.dataSource())
                    .aligner(a -> a.schemas(q(schema)).jobs(1)).applicationName("instance-" + i)
                    .timeLimit(TIME_LIMIT).lockWaitTimeout(Duration.ofSeconds(45)).load()));
        }
        CountDownLatch start = new CountDownLatch(1);
        AtomicBoolean guardsDone = new AtomicBoolean();
        AtomicInteger inserts = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(INSTANCES + WRITERS);
        long t0 = System.nanoTime();
        try {
            List<Future<?>> guards = new ArrayList<>();
            for (GuardedDataSource instance : instances) {
                guards.add(executor.submit(() -> {
                    start.await();
                    instance.awaitGuard();
                    return null;
                }));
            }
            List<Future<Integer>> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                GuardedDataSource instance = instances.get(w);
                writers.add(executor.submit(() -> {
                    start.await();
                    int mine = 0;
                    // the first getConnection() waits for this instance's guard; then write until all guards are done
                    try (Connection c = instance.getConnection()) {
                        while (!guardsDone.get() || mine < 25) {
                            String table = tables.get(ThreadLocalRandom.current().nextInt(tables.size()));
                            GuardFixture.insertThroughSequence(c, table);
                            mine++;
                            inserts.incrementAndGet();
                        }
                    }
                    return mine;
                }));
            }
            start.countDown();
            for (Future<?> guard : guards) {
                guard.get(TIME_LIMIT.toSeconds() + 10, TimeUnit.SECONDS);
            }
            guardsDone.set(true);
            for (Future<Integer> writer : writers) {
                // any duplicate key would surface here as an SQLException (23505)
                assertThat(writer.get(30, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(25);
            }
        } finally {
            executor.shutdownNow();
        }
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
        assertThat(inserts.get()).isGreaterThanOrEqualTo(WRITERS * 25);
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
