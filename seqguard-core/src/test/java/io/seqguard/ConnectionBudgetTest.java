package io.seqguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seqguard.test.PostgresTest;
import io.seqguard.test.TestDatabase;

import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code jobs} connections at once, on a real server that refuses more: a role with {@code CONNECTION LIMIT 1}. A run
 * that needs the second connection fails naming {@code jobs}; one that does not need it, or asks for one, succeeds.
 */
@PostgresTest
class ConnectionBudgetTest {

    private static final String ROLE = "seqguard_one_conn_" + Long.toHexString(System.nanoTime());
    private static final String SCHEMA = "\"Budget \"\"B\"\"; DROP TABLE z\"";
    private static final int TABLES = 150;

    private final TestDatabase db;

    ConnectionBudgetTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeAll
    static void build(TestDatabase db) {
        db.createRole(ROLE, "secret");
        db.execute("ALTER ROLE " + ROLE + " CONNECTION LIMIT 1",
                "CREATE SCHEMA " + SCHEMA, "CREATE SCHEMA small",
                "DO $$ BEGIN FOR i IN 1 .. " + TABLES + " LOOP"
                        + " EXECUTE format('CREATE TABLE %s.%I (id bigserial PRIMARY KEY)', '" + SCHEMA.replace("'", "''")
                        + "', 't' || i);"
                        + " EXECUTE format('INSERT INTO %s.%I VALUES (%s)', '" + SCHEMA.replace("'", "''")
                        + "', 't' || i, i);"
                        + " END LOOP; END $$",
                "CREATE TABLE small.one (id bigserial PRIMARY KEY)", "INSERT INTO small.one VALUES (5)",
                "GRANT USAGE ON SCHEMA " + SCHEMA + ", small TO " + ROLE,
                "GRANT SELECT ON ALL TABLES IN SCHEMA " + SCHEMA + ", small TO " + ROLE,
                "GRANT SELECT ON ALL SEQUENCES IN SCHEMA " + SCHEMA + ", small TO " + ROLE);
    }

    /** The limit counts backends, and a closed connection's backend exits a moment later: wait for it. */
    @BeforeEach
    void noSessionOfTheRoleLeft() throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (db.queryForLong("SELECT count(*) FROM pg_stat_activity WHERE usename = '" + ROLE + "'") > 0) {
            assertThat(System.nanoTime()).as("sessions of %s still open after 10 s", ROLE).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private DataSource oneConnection() {
        return db.dataSource(ROLE, "secret");
    }

    @Test
    void aRunThatNeedsMoreConnectionsThanItMayOpenFailsNamingJobs() {
        SequenceAligner aligner = SequenceAligner.configure().dataSource(oneConnection()).schemas(SCHEMA).jobs(2)
                .load();
        assertThatThrownBy(aligner::verify)
                .isInstanceOf(SeqguardException.class)
                .hasMessageContaining("Could not open connection 2 of 2 (jobs = 2)")
                .hasMessageContaining("too many connections for role")
                .hasMessageContaining("lower jobs");
    }

    @Test
    void oneJobWorksOnOneConnection() {
        AlignmentReport report = SequenceAligner.configure().dataSource(oneConnection()).schemas(SCHEMA).jobs(1)
                .load().verify();
        assertThat(report.sequences()).hasSize(TABLES);
        assertThat(report.withStatus(SequenceStatus.BEHIND)).hasSize(TABLES);
    }

    @Test
    void aSmallRunDoesNotWaitForAConnectionItDoesNotNeed() {
        AlignmentReport report = SequenceAligner.configure().dataSource(oneConnection()).schemas("small").jobs(2)
                .load().verify();
        assertThat(report.sequences()).singleElement()
                .satisfies(s -> assertThat(s.status()).isEqualTo(SequenceStatus.BEHIND))
                .satisfies(s -> assertThat(s.dataBound()).isEqualTo(5L));
    }
}
