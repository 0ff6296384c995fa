package io.seqguard.failure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.seqguard.AlignmentReport;
import io.seqguard.IncompleteVerificationException;
import io.seqguard.SequenceAligner;
import io.seqguard.SequenceReport;
import io.seqguard.SequenceStatus;
import io.seqguard.Verdict;
import io.seqguard.test.PostgresTest;
import io.seqguard.test.TestDatabase;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A statement timeout that cuts the read of a large unindexed table leaves that sequence unverified: never "aligned"
 * with next value 1 while the data reaches 2 million. The message names the column and the index to add.
 */
@PostgresTest
class StatementTimeoutTest {

    private static final String SCHEMA = "slow \"ü\"";

    private final TestDatabase db;

    StatementTimeoutTest(TestDatabase db) {
        this.db = db;
    }

    private static String q(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    @BeforeAll
    static void largeUnindexedTable(TestDatabase db) {
        db.execute("CREATE SCHEMA " + q(SCHEMA),
                "CREATE TABLE " + q(SCHEMA) + ".\"events; x\" (id bigserial, payload int)",
                // no parallel scan: one backend reads it all, which no 10 ms bound survives
                "ALTER TABLE " + q(SCHEMA) + ".\"events; x\" SET (parallel_workers = 0)",
                "INSERT INTO " + q(SCHEMA) + ".\"events; x\" (id) SELECT generate_series(1, 2000000)",
                "CREATE TABLE " + q(SCHEMA) + ".small (id serial PRIMARY KEY)",
                "INSERT INTO " + q(SCHEMA) + ".small SELECT generate_series(1, 10)");
    }

    @Test
    void theTimedOutReadIsUnverifiedAndNamesTheIndexToAdd() {
        AlignmentReport report = SequenceAligner.configure().dataSource(db.dataSource()).schemas(q(SCHEMA))
                .statementTimeout(Duration.ofMillis(10)).load().verify();

        SequenceReport events = report.sequences().stream().filter(s -> s.name().equals("events; x_id_seq"))
                .findFirst().orElseThrow();
        assertThat(events.status()).isEqualTo(SequenceStatus.NOT_VERIFIABLE);
        assertThat(events.dataBound()).isNull();
        assertThat(events.reason()).contains("took longer than the statement timeout (10 ms)")
                .contains("the column has no index; add one (CREATE INDEX ON " + q(SCHEMA) + ".\"events; x\" (id))")
                .contains("or raise statementTimeout");
        assertThat(report.verdict()).as("behind small_id_seq is drift; the unread one does not vanish")
                .isEqualTo(Verdict.DRIFT);
        assertThat(report.unverified()).extracting(SequenceReport::name).containsExactly("events; x_id_seq");

        // once the drift is repaired, what remains is the unread table: incomplete, never aligned
        SequenceAligner.configure().dataSource(db.dataSource()).schemas(q(SCHEMA)).excludeTables(q(SCHEMA)
                + ".\"events; x\"").load().repair();
        AlignmentReport after = SequenceAligner.configure().dataSource(db.dataSource()).schemas(q(SCHEMA))
                .statementTimeout(Duration.ofMillis(10)).load().verify();
        assertThat(after.verdict()).isEqualTo(Verdict.INCOMPLETE);
        assertThat(catchThrowableOfType(IncompleteVerificationException.class, after::requireAligned).getMessage())
                .contains("events; x_id_seq\" (not verifiable): reading max(id) of " + q(SCHEMA)
                        + ".\"events; x\" took longer than the statement timeout");

        // with time enough it reads the data, and the sequence is behind: the truth the timeout had hidden
        AlignmentReport patient = SequenceAligner.configure().dataSource(db.dataSource()).schemas(q(SCHEMA)).load()
                .verify();
        assertThat(patient.sequences()).filteredOn(s -> s.name().equals("events; x_id_seq")).singleElement()
                .satisfies(s -> {
                    assertThat(s.status()).isEqualTo(SequenceStatus.BEHIND);
                    assertThat(s.dataBound()).isEqualTo(2_000_000L);
                });
    }
}
