package io.seqguard.failure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.seqguard.SeqguardException;
import io.seqguard.SequenceAligner;
import io.seqguard.StartupGuard;
import io.seqguard.StartupGuardException;
import io.seqguard.test.Await;
import io.seqguard.test.EmbeddedPostgres;
import io.seqguard.test.PostgresTest;
import io.seqguard.test.TestDatabase;
import java.time.Duration;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A run whose connection is lost half way (the backend terminated, as by an operator, a failover or a proxy that
 * went away) is a failure, never a verdict: the sequences it did not get to are not reported as merely unverifiable,
 * and nothing says "aligned".
 */
@PostgresTest
class BrokenRunTest {

    private static final String SCHEMA = "broken \"ü\"; DROP TABLE x";
    private static final int TABLES = 300;

    private final TestDatabase db;

    BrokenRunTest(TestDatabase db) {
        this.db = db;
    }

    private static String q(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    @BeforeEach
    void lagging() {
        db.execute("DROP SCHEMA IF EXISTS " + q(SCHEMA) + " CASCADE", "CREATE SCHEMA " + q(SCHEMA),
                "DO $$ BEGIN FOR i IN 1.." + TABLES + " LOOP EXECUTE format('CREATE TABLE %I.%I (id bigserial "
                        + "PRIMARY KEY); INSERT INTO %I.%I SELECT generate_series(1, 10)', '"
                        + SCHEMA.replace("'", "''") + "', 't' || i, '" + SCHEMA.replace("'", "''")
                        + "', 't' || i); END LOOP; END $$");
    }

    private DataSource terminatingOn(Predicate<String> statement) {
        return new TerminatingDataSource(db.dataSource(), db.dataSource(), statement, 1).dataSource();
    }

    private SequenceAligner aligner(DataSource dataSource) {
        return SequenceAligner.configure().dataSource(dataSource).schemas(q(SCHEMA)).jobs(2).load();
    }

    /** The driver words it either way, depending on whether it read the server's goodbye before it wrote. */
    private static void saysTheSessionWasLost(String message) {
        assertThat(message).containsAnyOf("(the connection was lost: check the server, then run again",
                "(the server ended the session");
    }

    /** A chunk's reads ({@code SELECT 0, max(...) ... UNION ALL ...}) or a read alone. */
    private static final Pattern READS_DATA = Pattern.compile("SELECT (\\d+, )?max\\(");

    private static boolean readsData(String sql) {
        return READS_DATA.matcher(sql).find();
    }

    @Test
    void verifyFailsWhenABackendIsTerminatedDuringTheReads() {
        SeqguardException e = catchThrowableOfType(SeqguardException.class,
                () -> aligner(terminatingOn(BrokenRunTest::readsData)).verify());
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).startsWith("seqguard verify failed: ")
                .satisfies(BrokenRunTest::saysTheSessionWasLost)
                .contains("run again");
    }

    @Test
    void repairFailsWhenABackendIsTerminatedDuringTheReadsAndTheNextRunConverges() {
        SeqguardException e = catchThrowableOfType(SeqguardException.class,
                () -> aligner(terminatingOn(BrokenRunTest::readsData)).repair());
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).startsWith("seqguard repair failed: ")
                .satisfies(BrokenRunTest::saysTheSessionWasLost);

        assertThat(aligner(db.dataSource()).repair().isAligned()).as("a rerun finishes the job").isTrue();
    }

    /** The repair's pass reads each lagging sequence's state and moves it in one statement per chunk. */
    @Test
    void repairFailsWhenABackendIsTerminatedWhileMovingSequencesAndTheNextRunConverges() {
        SeqguardException e = catchThrowableOfType(SeqguardException.class,
                () -> aligner(terminatingOn(sql -> sql.contains("THEN setval("))).repair());
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).startsWith("seqguard repair failed: ")
                .satisfies(BrokenRunTest::saysTheSessionWasLost);

        assertThat(aligner(db.dataSource()).repair().isAligned()).as("a rerun finishes the job").isTrue();
    }

    @Test
    void verifyFailsWhenTheBackendIsTerminatedDuringTheCatalogRead() {
        SeqguardException e = catchThrowableOfType(SeqguardException.class,
                () -> aligner(terminatingOn(sql -> sql.contains("pg_depend"))).verify());
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).startsWith("seqguard verify failed: ")
                .satisfies(BrokenRunTest::saysTheSessionWasLost);
    }

    @Test
    void verifyFailsWhenTheBackendIsTerminatedReadingSequenceStates() {
        // PostgreSQL 18 reads the states in the reads' round trip; older ones with pg_sequence_last_value()
        SeqguardException e = catchThrowableOfType(SeqguardException.class,
                () -> aligner(terminatingOn(sql -> sql.contains("pg_get_sequence_data")
                        || sql.contains("pg_sequence_last_value"))).verify());
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).satisfies(BrokenRunTest::saysTheSessionWasLost);
    }

    /** A server crash (a backend killed, so the postmaster restarts every session) is a failure too. */
    @Test
    void aServerCrashDuringTheRepairIsAFailure() throws Exception {
        try (EmbeddedPostgres server = EmbeddedPostgres.builder().start()) {
            TestDatabase crashing = TestDatabase.create(server, "crash");
            crashing.execute("CREATE SCHEMA " + q(SCHEMA), "DO $$ BEGIN FOR i IN 1..50 LOOP EXECUTE format("
                    + "'CREATE TABLE %I.%I (id bigserial PRIMARY KEY); INSERT INTO %I.%I SELECT generate_series(1, "
                    + "10)', '" + SCHEMA.replace("'", "''") + "', 't' || i, '" + SCHEMA.replace("'", "''")
                    + "', 't' || i); END LOOP; END $$");
            DataSource dataSource = new TerminatingDataSource(crashing.dataSource(), crashing.dataSource(),
                    BrokenRunTest::readsData, 1, true).dataSource();
            SeqguardException e = catchThrowableOfType(SeqguardException.class,
                    () -> SequenceAligner.configure().dataSource(dataSource).schemas(q(SCHEMA)).jobs(1).load()
                            .repair());
            assertThat(e).isNotNull();
            assertThat(e.getMessage()).startsWith("seqguard repair failed: ")
                    .satisfies(BrokenRunTest::saysTheSessionWasLost);
            // PostgreSQL 18 and 19 hang on a fast shutdown that arrives during their crash recovery: let it end
            Await.until("the server back from crash recovery", Duration.ofSeconds(30),
                    () -> crashing.queryForLong("SELECT 1") == 1);
        }
    }

    @Test
    void theGuardFailsWithADatabaseErrorNotAVerdict() {
        StartupGuardException e = catchThrowableOfType(StartupGuardException.class,
                () -> StartupGuard.configure().dataSource(terminatingOn(BrokenRunTest::readsData))
                        .aligner(a -> a.schemas(q(SCHEMA))).load().run());
        assertThat(e.reason()).isEqualTo(StartupGuardException.Reason.DATABASE_ERROR);
        assertThat(e.report()).isNull();
        assertThat(e.getMessage()).contains("failed while repairing database " + db.name())
                .satisfies(BrokenRunTest::saysTheSessionWasLost);
    }
}
