package io.seqguard;

import static org.assertj.core.api.Assertions.assertThat;

import io.seqguard.test.PostgresTest;
import io.seqguard.test.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A repair without a source reads and moves each lagging sequence in one statement per chunk, right after its data
 * was read. These are the cases where that statement is not the whole story: a sequence another session holds still,
 * one already far enough, one the data does not put behind, a descending one, and one the role may only use.
 */
@PostgresTest
class PassRepairTest {

    private static final String HOSTILE = "\"Pass \"\"Q\"\"; DROP TABLE x\"";

    private final TestDatabase db;

    PassRepairTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void loadSchema() {
        db.execute("DROP SCHEMA IF EXISTS pass CASCADE", "DROP SCHEMA IF EXISTS " + HOSTILE + " CASCADE",
                "CREATE SCHEMA pass", "CREATE SCHEMA " + HOSTILE,
                "CREATE TABLE pass.a (id bigserial PRIMARY KEY)", "INSERT INTO pass.a SELECT generate_series(1, 40)",
                "CREATE TABLE pass.b (id bigserial PRIMARY KEY)", "INSERT INTO pass.b SELECT generate_series(1, 50)",
                "CREATE TABLE pass.c (id bigserial PRIMARY KEY)", "INSERT INTO pass.c SELECT generate_series(1, 60)",
                // already ahead: read in the same statement, never moved
                "CREATE TABLE pass.d (id serial PRIMARY KEY)", "INSERT INTO pass.d SELECT generate_series(1, 10)",
                "SELECT setval('pass.d_id_seq', 500)",
                // empty: the data puts it nowhere, so its state is read the usual way
                "CREATE TABLE pass.e (id serial PRIMARY KEY)",
                "CREATE SEQUENCE pass.down INCREMENT -1 MINVALUE -1000 MAXVALUE -1 START -1",
                "CREATE TABLE pass.f (id int DEFAULT nextval('pass.down') PRIMARY KEY)",
                "INSERT INTO pass.f VALUES (-3), (-70)",
                "CREATE TABLE " + HOSTILE + ".\"T; x\" (\"ï d\" bigserial PRIMARY KEY)",
                "INSERT INTO " + HOSTILE + ".\"T; x\" SELECT generate_series(1, 7)");
    }

    private SequenceAligner aligner(Duration lockTimeout) {
        return SequenceAligner.configure().dataSource(db.dataSource()).schemas("pass", HOSTILE)
                .allocation(AllocationRule.plain()).lockTimeout(lockTimeout).load();
    }

    private static Map<String, SequenceReport> bySequence(AlignmentReport report) {
        return report.sequences().stream().collect(Collectors.toMap(SequenceReport::displayName, Function.identity()));
    }

    @Test
    void readsAndMovesEachSequenceTheDataPutsBehind() {
        Map<String, SequenceReport> seq = bySequence(aligner(Duration.ofSeconds(10)).repair());

        assertThat(seq.get("pass.a_id_seq").action()).isEqualTo(RepairAction.REPAIRED);
        assertThat(seq.get("pass.a_id_seq").previousNextValue()).isEqualTo(1L);
        assertThat(seq.get("pass.a_id_seq").nextValue()).isEqualTo(41L);
        assertThat(seq.get("pass.d_id_seq").action()).as("ahead: never lowered").isEqualTo(RepairAction.NONE);
        assertThat(seq.get("pass.d_id_seq").status()).isEqualTo(SequenceStatus.ALIGNED);
        assertThat(seq.get("pass.d_id_seq").nextValue()).isEqualTo(501L);
        assertThat(seq.get("pass.e_id_seq").status()).isEqualTo(SequenceStatus.EMPTY);
        assertThat(seq.get("pass.e_id_seq").nextValue()).isEqualTo(1L);
        assertThat(seq.get("pass.down").action()).isEqualTo(RepairAction.REPAIRED);
        assertThat(seq.get("pass.down").nextValue()).isEqualTo(-71L);
        assertThat(db.queryForLong("SELECT last_value FROM pass.d_id_seq")).isEqualTo(500L);
        assertThat(db.queryForLong("SELECT nextval('pass.down')")).isEqualTo(-71L);
        assertThat(db.queryForLong("SELECT nextval(" + literal(HOSTILE + ".\"T; x_ï d_seq\"") + ")")).isEqualTo(8L);

        AlignmentReport again = aligner(Duration.ofSeconds(10)).repair();
        assertThat(again.withAction(RepairAction.REPAIRED)).as("a second repair finds nothing to move").isEmpty();
    }

    /**
     * An ALTER SEQUENCE left open holds a lock that stops setval() but not a read: the chunk's statement fails at that
     * sequence, after it moved the ones before it. Each is run alone then: the held one is behind with its repair
     * failed, the ones after it move, and the ones before it, found at their targets, are not claimed as moved (the
     * failed statement moved them, but an earlier repair could have left them there).
     */
    @Test
    void aSequenceHeldByAnotherSessionFailsAloneAndTheOthersMove() throws Exception {
        Map<String, SequenceReport> seq = repairWhileHeld("pass.b_id_seq");

        SequenceReport held = seq.get("pass.b_id_seq");
        assertThat(held.status()).isEqualTo(SequenceStatus.BEHIND);
        assertThat(held.action()).isEqualTo(RepairAction.FAILED);
        assertThat(held.reason()).contains("setval() failed").contains("lock timeout").contains("lockTimeout");
        SequenceReport before = seq.get("pass.a_id_seq");
        assertThat(before.status()).isEqualTo(SequenceStatus.ALIGNED);
        assertThat(before.action()).as("not claimed: its state before the failed statement is unknown")
                .isEqualTo(RepairAction.NONE);
        assertThat(before.nextValue()).isEqualTo(41L);
        assertThat(before.notes()).anyMatch(note -> note.contains("may have moved it there"));
        SequenceReport after = seq.get("pass.c_id_seq");
        assertThat(after.action()).isEqualTo(RepairAction.REPAIRED);
        assertThat(after.previousNextValue()).isEqualTo(1L);
        assertThat(after.nextValue()).isEqualTo(61L);
        assertThat(after.notes()).noneMatch(note -> note.contains("may have moved"));

        assertThat(db.queryForLong("SELECT nextval('pass.a_id_seq')")).isEqualTo(41L);
        assertThat(db.queryForLong("SELECT nextval('pass.c_id_seq')")).isEqualTo(61L);
        assertThat(db.queryForLong("SELECT nextval('pass.b_id_seq')")).as("untouched while held").isEqualTo(1L);
    }

    /** A repair run again, whose statement fails at the one sequence behind, claims none of the others as moved. */
    @Test
    void aRepeatedRepairWhoseStatementFailsClaimsNothingItDidNotMove() throws Exception {
        aligner(Duration.ofSeconds(10)).repair();
        db.execute("SELECT setval('pass.b_id_seq', 1, false)");

        Map<String, SequenceReport> seq = repairWhileHeld("pass.b_id_seq");

        assertThat(seq.values()).filteredOn(s -> s.action() == RepairAction.REPAIRED).isEmpty();
        assertThat(seq.get("pass.b_id_seq").action()).isEqualTo(RepairAction.FAILED);
        assertThat(seq.get("pass.a_id_seq").status()).isEqualTo(SequenceStatus.ALIGNED);
        assertThat(seq.get("pass.c_id_seq").status()).isEqualTo(SequenceStatus.ALIGNED);
    }

    /** Repairs while another session holds an ALTER SEQUENCE on the sequence open. */
    private Map<String, SequenceReport> repairWhileHeld(String sequence) throws Exception {
        try (Connection holder = db.dataSource().getConnection()) {
            holder.setAutoCommit(false);
            try (Statement st = holder.createStatement()) {
                st.execute("ALTER SEQUENCE " + sequence + " CACHE 1");
                return bySequence(aligner(Duration.ofMillis(300)).repair());
            } finally {
                holder.rollback();
            }
        }
    }

    /** USAGE alone hides a never-called sequence's start and forbids setval(): the usual way names the grant. */
    @Test
    void aSequenceTheRoleMayOnlyUseGoesTheUsualWay() {
        db.createRole("pass_reader", "pw");
        db.execute("GRANT USAGE ON SCHEMA pass TO pass_reader",
                "GRANT SELECT ON ALL TABLES IN SCHEMA pass TO pass_reader",
                "GRANT USAGE ON ALL SEQUENCES IN SCHEMA pass TO pass_reader",
                "GRANT SELECT, UPDATE ON SEQUENCE pass.c_id_seq TO pass_reader");

        AlignmentReport report = SequenceAligner.configure().dataSource(db.dataSource("pass_reader", "pw"))
                .schemas("pass").allocation(AllocationRule.plain()).load().repair();
        Map<String, SequenceReport> seq = bySequence(report);

        assertThat(seq.get("pass.c_id_seq").action()).isEqualTo(RepairAction.REPAIRED);
        assertThat(seq.get("pass.a_id_seq").status()).isEqualTo(SequenceStatus.NO_PRIVILEGE);
        assertThat(seq.get("pass.a_id_seq").reason()).contains("GRANT SELECT ON SEQUENCE pass.a_id_seq");
        assertThat(seq.get("pass.d_id_seq").status()).as("called: its last value is readable with USAGE")
                .isEqualTo(SequenceStatus.ALIGNED);
        assertThat(db.queryForLong("SELECT nextval('pass.a_id_seq')")).isEqualTo(1L);
    }

    /**
     * SELECT on one sequence revoked after the catalog was read: the chunk's statement cannot read its state (on
     * PostgreSQL 18 it comes back without one, before it the statement fails), so it is left unmoved and named, and
     * the others still move.
     */
    @Test
    void aSequenceWhosePrivilegeIsRevokedDuringTheRunIsNamedAndTheOthersMove() {
        db.createRole("pass_writer", "pw");
        db.execute("GRANT USAGE ON SCHEMA pass TO pass_writer",
                "GRANT SELECT ON ALL TABLES IN SCHEMA pass TO pass_writer",
                "GRANT SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA pass TO pass_writer");
        AtomicBoolean revoked = new AtomicBoolean();
        AlignmentReport report = SequenceAligner.configure().dataSource(db.dataSource("pass_writer", "pw"))
                .schemas("pass").allocation(AllocationRule.plain()).progressListener((phase, done, total) -> {
                    if (phase.equals(ProgressListener.READING_DATA) && revoked.compareAndSet(false, true)) {
                        db.execute("REVOKE SELECT ON SEQUENCE pass.b_id_seq FROM pass_writer");
                    }
                }).load().repair();
        Map<String, SequenceReport> seq = bySequence(report);

        assertThat(revoked).isTrue();
        SequenceReport b = seq.get("pass.b_id_seq");
        assertThat(b.status()).isEqualTo(SequenceStatus.NO_PRIVILEGE);
        assertThat(b.action()).isNotEqualTo(RepairAction.REPAIRED);
        assertThat(b.reason()).contains("permission denied").contains("b_id_seq");
        assertThat(report.verdict()).isEqualTo(Verdict.INCOMPLETE);
        assertThat(seq.get("pass.a_id_seq").action()).isEqualTo(RepairAction.REPAIRED);
        assertThat(seq.get("pass.c_id_seq").action()).isEqualTo(RepairAction.REPAIRED);
        assertThat(seq.get("pass.c_id_seq").notes()).noneMatch(note -> note.contains("may have moved"));
        assertThat(db.queryForLong("SELECT nextval('pass.b_id_seq')")).as("unmoved").isEqualTo(1L);
        assertThat(db.queryForLong("SELECT nextval('pass.c_id_seq')")).isEqualTo(61L);
    }

    private static String literal(String name) {
        return "'" + name.replace("'", "''") + "'";
    }
}
