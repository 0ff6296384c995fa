package io.seqguard.bench;

import io.seqguard.GuardResult;
import io.seqguard.StartupGuard;
import io.seqguard.test.EmbeddedPostgres;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Locale;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * The start-up comparison: a 200-table application whose schema Flyway manages (100 versioned migrations of two
 * tables each, applied once before timing), rows inserted through the sequences, so both a boot-time
 * {@code migrate()} and the guard have nothing to change. What each costs at every boot is compared.
 */
final class StartupContenders {

    static final int MIGRATIONS = 100;
    static final int TABLES_PER_MIGRATION = 2;
    static final int ROWS_PER_TABLE = 20;

    private StartupContenders() {
    }

    /** Writes the migrations, creates the database, migrates it once and fills it. */
    static Workload app(EmbeddedPostgres pg, String database, Path migrations) throws IOException, SQLException {
        Files.createDirectories(migrations);
        int table = 0;
        for (int v = 1; v <= MIGRATIONS; v++) {
            StringBuilder sql = new StringBuilder();
            for (int k = 0; k < TABLES_PER_MIGRATION; k++) {
                table++;
                String name = String.format(Locale.ROOT, "app_%03d", table);
                String parent = table == 1 ? null : String.format(Locale.ROOT, "app_%03d", table - 1);
                sql.append("CREATE TABLE ").append(name).append(" (\n")
                        .append("    id bigserial PRIMARY KEY,\n")
                        .append("    parent_id bigint").append(parent == null ? "" : " REFERENCES " + parent)
                        .append(",\n")
                        .append("    name text NOT NULL,\n")
                        .append("    created_at timestamptz NOT NULL DEFAULT now()\n);\n")
                        .append("CREATE INDEX ").append(name).append("_parent ON ").append(name)
                        .append(" (parent_id);\n");
            }
            Files.writeString(migrations.resolve("V" + v + "__tables_" + (table - 1) + "_" + table + ".sql"),
                    sql.toString(), StandardCharsets.UTF_8);
        }
        Workload.execute(pg.dataSource("postgres"), "CREATE DATABASE " + database);
        DataSource ds = pg.dataSource(database);
        MigrateResult first = flyway(ds, migrations).migrate();
        if (first.migrationsExecuted != MIGRATIONS) {
            throw new IllegalStateException("expected " + MIGRATIONS + " migrations, Flyway ran "
                    + first.migrationsExecuted);
        }
        Workload w = new Workload("200-table application", database, ds, pg.jdbcUrl(database), MIGRATIONS
                + " Flyway migrations creating "
                + (MIGRATIONS * TABLES_PER_MIGRATION) + " tables (bigserial key, foreign key, index), " + ROWS_PER_TABLE
                + " rows each inserted through the sequence: nothing to migrate, nothing to repair");
        StringBuilder fill = new StringBuilder("DO $$ BEGIN\n");
        for (int t = 1; t <= table; t++) {
            fill.append(String.format(Locale.ROOT, "INSERT INTO app_%03d (name) SELECT 'row ' || g FROM "
                    + "generate_series(1, %d) g;%n", t, ROWS_PER_TABLE));
        }
        fill.append("END $$");
        Workload.execute(ds, fill.toString(), "VACUUM (FREEZE, ANALYZE)");
        for (int t = 1; t <= table; t++) {
            w.expect(String.format(Locale.ROOT, "public.app_%03d_id_seq", t), ROWS_PER_TABLE, false);
        }
        w.tables = table;
        w.rows = (long) table * ROWS_PER_TABLE;
        return w;
    }

    static Flyway flyway(DataSource ds, Path migrations) {
        return Flyway.configure().dataSource(ds).locations("filesystem:" + migrations).load();
    }

    /** Flyway's {@code configure()...load().migrate()} with nothing to migrate, as at every boot. */
    static final class FlywayMigrate implements Contender {
        private final Path migrations;
        private String last;

        FlywayMigrate(Path migrations) {
            this.migrations = migrations;
        }

        @Override
        public String name() {
            return "Flyway migrate() (no-op)";
        }

        @Override
        public boolean mutates() {
            return false;
        }

        @Override
        public long run(Workload w) {
            long t0 = System.nanoTime();
            MigrateResult result = flyway(w.dataSource, migrations).migrate();
            long elapsed = System.nanoTime() - t0;
            if (result.migrationsExecuted != 0) {
                throw new IllegalStateException("Flyway migrated something: " + result.migrationsExecuted);
            }
            last = "0 migrations executed (" + MIGRATIONS + " validated)";
            return elapsed;
        }

        @Override
        public String lastOutcome() {
            return last;
        }
    }

    /** seqguard's {@code StartupGuard} with its defaults (mode repair, jobs 2), as an application runs it at boot. */
    static final class Guard implements Contender {
        private String last;

        @Override
        public String name() {
            return "seqguard StartupGuard.run()";
        }

        @Override
        public boolean mutates() {
            return false;
        }

        @Override
        public long run(Workload w) {
            long t0 = System.nanoTime();
            GuardResult result = StartupGuard.configure().dataSource(w.dataSource).load().run();
            long elapsed = System.nanoTime() - t0;
            last = result.outcome() + ", " + SeqguardRun.counts(result.report());
            return elapsed;
        }

        @Override
        public String lastOutcome() {
            return last;
        }
    }
}
