package io.seqguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.seqguard.test.PostgresTest;
import io.seqguard.test.TestDatabase;
import io.seqguard.test.UncheckedSqlException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * 10,000 tables on a server with the default {@code max_locks_per_transaction}: one transaction touching them all
 * runs out of lock table space, so verify and repair must chunk their work. Correctness only, no timing.
 *
 * <p>Table {@code scale.tNNNNN} holds ids {@code N % 100 + 1}, {@code N % 100 + 2} and {@code 1000 + N}. The
 * sequences of even tables are fresh (behind); those of odd tables are set to {@code 1000 + N + N % 3} (aligned).
 */
@PostgresTest
class ScaleTest {

    private static final int TABLES = 10_000;
    /** Tables per transaction while building and dropping: about 3 locks each (table, sequence, index). */
    private static final int BATCH = 500;

    private final TestDatabase db;

    ScaleTest(TestDatabase db) {
        this.db = db;
    }

    @Test
    void verifiesAndRepairsTenThousandTablesWithTheDefaultLockTable() {
        assertThat(db.queryForString("SHOW max_locks_per_transaction"))
                .as("the shared server must run with PostgreSQL's default lock table").isEqualTo("64");
        build();
        // control: what a naive one-transaction verify would do (max() of every table, then the sequence) fails
        assertThat(catchThrowableOfType(UncheckedSqlException.class, () -> db.execute(
                "DO $$ DECLARE m bigint; t text; BEGIN FOR i IN 0 .. " + (TABLES - 1) + " LOOP"
                        + " t := 't' || lpad(i::text, 5, '0');"
                        + " EXECUTE format('SELECT max(id) FROM scale.%I', t) INTO m;"
                        + " m := pg_sequence_last_value(format('scale.%I', t || '_id_seq')::regclass);"
                        + " END LOOP; END $$")))
                .as("control: reading every table and sequence in one transaction must overflow the lock table")
                .isNotNull()
                .satisfies(e -> assertThat(e.sqlState()).isEqualTo("53200"))
                .hasMessageContaining("max_locks_per_transaction");

        SequenceAligner aligner = SequenceAligner.configure().dataSource(db.dataSource()).schemas("scale").load();

        AlignmentReport verify = aligner.verify();
        assertThat(verify.sequences()).hasSize(TABLES);
        assertThat(names(verify.withStatus(SequenceStatus.BEHIND))).isEqualTo(sequenceNames(true));
        assertThat(names(verify.withStatus(SequenceStatus.ALIGNED))).isEqualTo(sequenceNames(false));
        for (SequenceReport s : verify.sequences()) {
            int n = number(s.name());
            assertThat(s.dataBound()).as("dataBound of %s", s.name()).isEqualTo(1000L + n);
            assertThat(s.columns()).hasSize(1);
            assertThat(s.columns().get(0).compared()).isTrue();
        }

        AlignmentReport repair = aligner.repair();
        assertThat(repair.sequences()).hasSize(TABLES);
        assertThat(repair.withAction(RepairAction.FAILED)).isEmpty();
        assertThat(names(repair.withAction(RepairAction.REPAIRED))).isEqualTo(sequenceNames(true));
        for (SequenceReport s : repair.withAction(RepairAction.REPAIRED)) {
            assertThat(s.previousNextValue()).as("previousNextValue of %s", s.name()).isEqualTo(1L);
            assertThat(s.nextValue()).as("nextValue of %s", s.name()).isEqualTo(1001L + number(s.name()));
        }

        AlignmentReport after = aligner.verify();
        assertThat(after.sequences()).hasSize(TABLES);
        assertThat(after.withStatus(SequenceStatus.ALIGNED)).hasSize(TABLES);
        assertThat(after.isAligned()).isTrue();

        // the server's own view, read in chunks that stay within the lock table
        for (int lo = 0; lo < TABLES; lo += BATCH) {
            long right = db.queryForLong("WITH s AS MATERIALIZED ("
                    + " SELECT c.oid, substr(c.relname, 2, 5)::int AS n FROM pg_class c"
                    + " JOIN pg_namespace ns ON ns.oid = c.relnamespace"
                    + " WHERE ns.nspname = 'scale' AND c.relkind = 'S'"
                    + " AND c.relname BETWEEN '" + table(lo) + "' AND '" + table(lo + BATCH - 1) + "_id_seq')"
                    + " SELECT count(*) FROM s WHERE pg_sequence_last_value(s.oid)"
                    + " = CASE WHEN n % 2 = 0 THEN 1000 + n ELSE 1000 + n + n % 3 END");
            assertThat(right).as("sequences of tables %s to %s at their expected value", table(lo),
                    table(lo + BATCH - 1)).isEqualTo(BATCH);
        }
    }

    @AfterAll
    static void dropSchema(TestDatabase db) {
        // one DROP SCHEMA ... CASCADE would lock all 10,000 tables in one transaction
        for (int lo = 0; lo < TABLES; lo += BATCH) {
            db.execute("DO $$ BEGIN FOR i IN " + lo + " .. " + (lo + BATCH - 1) + " LOOP"
                    + " EXECUTE format('DROP TABLE IF EXISTS scale.%I', 't' || lpad(i::text, 5, '0'));"
                    + " END LOOP; END $$");
        }
        db.execute("DROP SCHEMA IF EXISTS scale CASCADE");
    }

    private void build() {
        db.execute("DROP SCHEMA IF EXISTS scale CASCADE", "CREATE SCHEMA scale");
        for (int lo = 0; lo < TABLES; lo += BATCH) {
            // one transaction per batch keeps the locks of the new relations bounded
            db.execute("DO $$ DECLARE t text; BEGIN FOR i IN " + lo + " .. " + (lo + BATCH - 1) + " LOOP"
                    + " t := 't' || lpad(i::text, 5, '0');"
                    + " EXECUTE format('CREATE TABLE scale.%I (id bigserial PRIMARY KEY)', t);"
                    + " EXECUTE format('INSERT INTO scale.%I (id) VALUES (%s), (%s), (%s)', t,"
                    + "   i % 100 + 1, i % 100 + 2, 1000 + i);"
                    + " IF i % 2 = 1 THEN"
                    + "   PERFORM setval(format('scale.%I', t || '_id_seq'), 1000 + i + i % 3, true);"
                    + " END IF;"
                    + " END LOOP; END $$");
        }
        assertThat(db.queryForLong("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = 'scale' AND c.relkind = 'S'")).isEqualTo(TABLES);
    }

    private static String table(int n) {
        return String.format("t%05d", n);
    }

    private static int number(String sequenceName) {
        return Integer.parseInt(sequenceName.substring(1, 6));
    }

    private static Set<String> sequenceNames(boolean even) {
        Set<String> names = new HashSet<>();
        for (int n = even ? 0 : 1; n < TABLES; n += 2) {
            names.add(table(n) + "_id_seq");
        }
        return names;
    }

    private static Set<String> names(List<SequenceReport> sequences) {
        return sequences.stream().map(SequenceReport::name).collect(Collectors.toSet());
    }
}
