package io.seqguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.seqguard.test.PgBouncer;
import io.seqguard.test.PostgresTest;
import io.seqguard.test.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code seqguard repair} through PgBouncer, as an SRE runs it from several deploy jobs at once: eight runs in
 * session or transaction pooling while four writers insert through the sequences. Every run exits 0, each lagging
 * sequence is moved by exactly one run, no lock stays behind, and a later run straight to the server finds all
 * aligned.
 */
@PostgresTest
class PgBouncerCliTest {

    private static final int RUNS = 8;
    private static final int WRITERS = 4;
    private static final int TABLES = 12;
    private static final Pattern REPAIRED = Pattern.compile("\"action\": \"repaired\"");

    @BeforeEach
    void needsPgBouncer() {
        PgBouncer.assumeInstalled();
    }

    @ParameterizedTest
    @EnumSource(PgBouncer.PoolMode.class)
    void eightRepairRunsAtOnceWhileFourWritersInsert(PgBouncer.PoolMode mode, TestDatabase db) throws Exception {
        String schema = "bouncer_" + mode.name().toLowerCase(Locale.ROOT);
        List<String> tables = new ArrayList<>();
        List<String> ddl = new ArrayList<>(List.of("CREATE SCHEMA " + schema));
        for (int i = 0; i < TABLES; i++) {
            String table = schema + ".\"Order Lines " + i + "; DROP TABLE x\"";
            ddl.add("CREATE TABLE " + table + " (id bigserial PRIMARY KEY, note text)");
            ddl.add("INSERT INTO " + table + " (id, note) SELECT g, 'copied' FROM generate_series(1, " + (50 + i)
                    + ") g");
            tables.add(table);
        }
        db.execute(ddl.toArray(String[]::new));
        List<CliTest.Run> runs = new ArrayList<>();
        try (PgBouncer bouncer = PgBouncer.builder(db.server()).poolMode(mode).start()) {
            String url = bouncer.jdbcUrl(db.name());
            CountDownLatch firstRepaired = new CountDownLatch(1);
            AtomicBoolean runsDone = new AtomicBoolean();
            ExecutorService executor = Executors.newFixedThreadPool(RUNS + WRITERS);
            try {
                List<Future<CliTest.Run>> started = new ArrayList<>();
                for (int i = 0; i < RUNS; i++) {
                    started.add(executor.submit(() -> {
                        CliTest.Run run = CliTest.run(Map.of(), "repair", "--url", url, "--user", "postgres",
                                "--schema", schema, "--format", "json", "--jobs", "2");
                        firstRepaired.countDown();
                        return run;
                    }));
                }
                List<Future<Integer>> writers = new ArrayList<>();
                for (int w = 0; w < WRITERS; w++) {
                    writers.add(executor.submit(() -> insertUntil(bouncer.dataSource(db.name()), tables,
                            firstRepaired, runsDone)));
                }
                for (Future<CliTest.Run> run : started) {
                    runs.add(run.get(120, TimeUnit.SECONDS));
                }
                runsDone.set(true);
                for (Future<Integer> writer : writers) {
                    // a duplicate key would fail the writer
                    assertThat(writer.get(30, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(20);
                }
            } finally {
                executor.shutdownNow();
            }
            assertThat(db.queryForLong("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")).isZero();
        }
        int repaired = 0;
        for (CliTest.Run run : runs) {
            assertThat(run.code()).as(run.err()).isEqualTo(ExitCode.ALIGNED);
            Matcher m = REPAIRED.matcher(run.out());
            while (m.find()) {
                repaired++;
            }
        }
        assertThat(repaired).as("each lagging sequence moved by exactly one run").isEqualTo(TABLES);
        CliTest.Run direct = CliTest.run(Map.of(), "verify", "--url", db.jdbcUrl(), "--user", "postgres",
                "--schema", schema);
        assertThat(direct.code()).as(direct.err()).isEqualTo(ExitCode.ALIGNED);
    }

    /** Inserts through the sequences, once the first run repaired them, until every run is done (at least 20). */
    private static int insertUntil(DataSource dataSource, List<String> tables, CountDownLatch firstRepaired,
            AtomicBoolean runsDone) throws Exception {
        firstRepaired.await();
        int mine = 0;
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            while (!runsDone.get() || mine < 20) {
                st.execute("INSERT INTO " + tables.get(ThreadLocalRandom.current().nextInt(tables.size()))
                        + " (note) VALUES ('app')");
                mine++;
            }
        }
        return mine;
    }
}
