package io.seqguard.bench;

import io.seqguard.test.EmbeddedPostgres;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;

/** Builds the benchmark's databases on the embedded server. */
final class Workloads {

    /** Tables created per transaction: each CREATE TABLE holds locks until commit. */
    private static final int TABLES_PER_COMMIT = 200;

    private final EmbeddedPostgres pg;

    Workloads(EmbeddedPostgres pg) {
        this.pg = pg;
    }

    private DataSource create(String database) throws SQLException {
        Workload.execute(pg.dataSource("postgres"), "CREATE DATABASE " + database);
        return pg.dataSource(database);
    }

    /** Rows in table i: 50 to 149, so the maxima differ from table to table. */
    static long rowsOf(int i) {
        return 50 + i % 100;
    }

    static String tableName(int i) {
        return String.format(Locale.ROOT, "t_%05d", i);
    }

    /**
     * {@code n} tables {@code (id bigserial PRIMARY KEY, v int)} in one database, rows inserted with explicit ids
     * (so the sequences are never called), every odd-numbered sequence behind, every even one ahead of its data.
     */
    Workload tables(String name, String database, int n) throws SQLException {
        DataSource ds = create(database);
        Workload w = new Workload(name, database, ds, pg.jdbcUrl(database),
                n + " tables, bigserial primary key, 50-149 rows each inserted "
                + "with explicit ids; odd-numbered sequences never called (behind), even ones 10 above their data");
        addTables(w, ds, "public", n);
        vacuum(ds);
        return w;
    }

    private static void addTables(Workload w, DataSource ds, String schema, int n) throws SQLException {
        if (!"public".equals(schema)) {
            Workload.execute(ds, "CREATE SCHEMA " + schema);
        }
        // One DO block, committing every TABLES_PER_COMMIT tables (bounded lock count per transaction).
        Workload.execute(ds, """
                DO $$
                DECLARE t text;
                BEGIN
                  FOR i IN 1..%d LOOP
                    t := 't_' || lpad(i::text, 5, '0');
                    EXECUTE format('CREATE TABLE %%I.%%I (id bigserial PRIMARY KEY, v int NOT NULL)', '%s', t);
                    EXECUTE format('INSERT INTO %%I.%%I (id, v) SELECT g, g FROM generate_series(1, %%s) g',
                                   '%s', t, 50 + i %% 100);
                    IF i %% 2 = 0 THEN
                      PERFORM setval(format('%%I.%%I', '%s', t || '_id_seq'), 50 + i %% 100 + %d, true);
                    END IF;
                    IF i %% %d = 0 THEN COMMIT; END IF;
                  END LOOP;
                END $$""".formatted(n, schema, schema, schema, Workload.AHEAD, TABLES_PER_COMMIT));
        for (int i = 1; i <= n; i++) {
            w.expect(schema + "." + tableName(i) + "_id_seq", rowsOf(i), i % 2 == 1);
            w.rows += rowsOf(i);
        }
        w.tables += n;
    }

    /**
     * Schema per tenant: {@code schemas} schemas {@code tenant_0001 ...} of {@code perSchema} tables as above each,
     * every sequence behind. Built by server-side DO loops in two sessions at once (one per core of the machine it
     * was written for), committing every {@link #TABLES_PER_COMMIT} tables, without waiting for each commit's WAL
     * flush (building is not measured); then vacuumed schema by schema, in two sessions too.
     */
    Workload tenants(String name, String database, int schemas, int perSchema) throws Exception {
        DataSource ds = create(database);
        Workload w = new Workload(name, database, ds, pg.jdbcUrl(database), String.format(Locale.ROOT,
                "schema per tenant: %,d schemas of %,d tables each (%,d tables), bigserial primary key, 50-149 rows "
                        + "each inserted with explicit ids; every sequence never called (behind)", schemas,
                perSchema, schemas * perSchema));
        int sessions = 2;
        ExecutorService pool = Executors.newFixedThreadPool(sessions);
        try {
            List<Future<?>> builds = new ArrayList<>();
            for (int part = 0; part < sessions; part++) {
                String block = """
                        DO $$
                        DECLARE sch text; t text; n int := 0;
                        BEGIN
                          FOR s IN 1..%d LOOP
                            CONTINUE WHEN s %% %d <> %d;
                            sch := 'tenant_' || lpad(s::text, 4, '0');
                            EXECUTE format('CREATE SCHEMA %%I', sch);
                            FOR i IN 1..%d LOOP
                              t := 't_' || lpad(i::text, 5, '0');
                              EXECUTE format('CREATE TABLE %%I.%%I (id bigserial PRIMARY KEY, v int NOT NULL)', sch, t);
                              EXECUTE format('INSERT INTO %%I.%%I (id, v) SELECT g, g FROM generate_series(1, %%s) g',
                                             sch, t, 50 + i %% 100);
                              n := n + 1;
                              IF n %% %d = 0 THEN COMMIT; END IF;
                            END LOOP;
                          END LOOP;
                        END $$""".formatted(schemas, sessions, part, perSchema, TABLES_PER_COMMIT);
                builds.add(pool.submit(() -> {
                    Workload.execute(ds, "SET synchronous_commit = off", block);
                    return null;
                }));
            }
            for (Future<?> build : builds) {
                build.get();
            }
            builds.clear();
            for (int part = 0; part < sessions; part++) {
                int first = part;
                builds.add(pool.submit(() -> {
                    List<String> vacuums = new ArrayList<>();
                    for (int s = 1 + first; s <= schemas; s += sessions) {
                        List<String> tables = new ArrayList<>();
                        for (int i = 1; i <= perSchema; i++) {
                            tables.add(tenantSchema(s) + "." + tableName(i));
                        }
                        vacuums.add("VACUUM (FREEZE, ANALYZE) " + String.join(", ", tables));
                    }
                    Workload.execute(ds, vacuums.toArray(new String[0]));
                    return null;
                }));
            }
            for (Future<?> vacuum : builds) {
                vacuum.get();
            }
        } finally {
            pool.shutdownNow();
        }
        for (int s = 1; s <= schemas; s++) {
            for (int i = 1; i <= perSchema; i++) {
                w.expect(tenantSchema(s) + "." + tableName(i) + "_id_seq", rowsOf(i), true);
                w.rows += rowsOf(i);
            }
        }
        w.tables = schemas * perSchema;
        return w;
    }

    static String tenantSchema(int s) {
        return String.format(Locale.ROOT, "tenant_%04d", s);
    }

    /**
     * One table of {@code rows} rows whose bigserial column has no index (UNLOGGED: it only speeds up building it,
     * a scan reads the same pages), its sequence behind, beside {@code others} indexed tables in schema
     * {@code rest}.
     */
    Workload unindexed(String name, String database, long rows, int others) throws SQLException {
        DataSource ds = create(database);
        Workload w = new Workload(name, database, ds, pg.jdbcUrl(database),
                String.format(Locale.ROOT, "big.events: %,d rows, bigserial "
                + "column id without any index, sequence behind; beside %,d indexed tables as above in schema rest; "
                + "max_parallel_workers_per_gather 0 in this database, so that the full scan is one process and "
                + "leaves the second core to the other reads (with parallel query the scan alone takes both cores of "
                + "this machine, and no client could overlap anything with it)", rows, others));
        Workload.execute(ds, "ALTER DATABASE " + database + " SET max_parallel_workers_per_gather = 0",
                "CREATE SCHEMA big",
                "CREATE UNLOGGED TABLE big.events (id bigserial, payload int NOT NULL)",
                "INSERT INTO big.events (id, payload) SELECT g, (g % 1000)::int FROM generate_series(1, " + rows
                        + ") g");
        w.expect("big.events_id_seq", rows, true);
        w.tables += 1;
        w.rows += rows;
        addTables(w, ds, "rest", others);
        vacuum(ds);
        return w;
    }

    /**
     * One sequence feeding 50 tables: {@code s_01.id} is a bigserial (it owns the sequence), {@code s_02 .. s_50}
     * take {@code DEFAULT nextval('s_01_id_seq')}. Table k holds ids k, k + 50, ..., so the highest id (5000) is in
     * s_50, not in the owning table (4951). The sequence is behind.
     */
    Workload shared(String name, String database) throws SQLException {
        DataSource ds = create(database);
        Workload w = new Workload(name, database, ds, pg.jdbcUrl(database),
                "one sequence shared by 50 tables (s_01 owns it, s_02..s_50 "
                + "DEFAULT nextval), 100 rows each, the highest id in s_50; the sequence never called (behind)");
        Workload.execute(ds, """
                DO $$
                BEGIN
                  CREATE TABLE s_01 (id bigserial PRIMARY KEY, v int NOT NULL);
                  FOR k IN 2..50 LOOP
                    EXECUTE format('CREATE TABLE %I (id bigint PRIMARY KEY DEFAULT nextval(''s_01_id_seq''), '
                                   'v int NOT NULL)', 's_' || lpad(k::text, 2, '0'));
                  END LOOP;
                  FOR k IN 1..50 LOOP
                    EXECUTE format('INSERT INTO %I (id, v) SELECT %s + 50 * (j - 1), j FROM generate_series(1, 100) j',
                                   's_' || lpad(k::text, 2, '0'), k);
                  END LOOP;
                END $$""");
        w.expect("public.s_01_id_seq", 5000, true);
        w.tables = 50;
        w.rows = 5000;
        vacuum(ds);
        return w;
    }

    /** Settles the new data (visibility map, hint bits, statistics) so no run pays for it. */
    private static void vacuum(DataSource ds) throws SQLException {
        Workload.execute(ds, "VACUUM (FREEZE, ANALYZE)");
    }
}
