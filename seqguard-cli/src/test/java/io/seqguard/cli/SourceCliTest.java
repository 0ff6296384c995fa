package io.seqguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.seqguard.test.PostgresTest;
import io.seqguard.test.TestDatabase;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code --source}: the old primary as a second witness, on two databases of one server. */
@PostgresTest
class SourceCliTest {

    private static final String SCHEMA = "\"cli src ü\"";
    private static final String ORPHAN = SCHEMA + ".\"inv; 'no'\"";

    private final TestDatabase target;
    private TestDatabase source;

    SourceCliTest(TestDatabase target) {
        this.target = target;
    }

    @BeforeEach
    void twoDatabases() {
        source = TestDatabase.create("source_cli");
        for (TestDatabase db : new TestDatabase[] {source, target}) {
            db.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE", "CREATE SCHEMA " + SCHEMA,
                    "CREATE SEQUENCE " + ORPHAN);
        }
        source.execute("SELECT nextval('" + ORPHAN.replace("'", "''") + "') FROM generate_series(1, 7)");
    }

    @AfterEach
    void dropSource() {
        source.close();
    }

    @Test
    void verifyAndRepairWithASourceWitness() {
        CliTest.Run verify = CliTest.run(Map.of(), "verify", "--url", target.jdbcUrl(), "--user", "postgres",
                "--schema", SCHEMA, "--source", source.jdbcUrl());
        assertThat(verify.code()).as(verify.err()).isEqualTo(ExitCode.DRIFT);
        assertThat(verify.out()).contains("behind").contains("witness: source decided");

        CliTest.Run repair = CliTest.run(Map.of("PGSOURCEPASSWORD", "s0urce-secret"), "repair", "--url",
                target.jdbcUrl(), "--user", "postgres", "--schema", SCHEMA, "--source", source.jdbcUrl(),
                "--source-user", "postgres", "--format", "json", "--verbose");
        assertThat(repair.code()).as(repair.err()).isEqualTo(ExitCode.ALIGNED);
        assertThat(repair.out()).contains("\"witness\": \"source\"").contains("\"sourceNextValue\": 8")
                .contains("\"sourceOnlySequences\": []");
        assertThat(repair.out() + repair.err()).doesNotContain("s0urce-secret");
        assertThat(target.queryForLong("SELECT nextval('" + ORPHAN.replace("'", "''") + "')")).isEqualTo(8);
        assertThat(source.queryForLong("SELECT last_value FROM " + ORPHAN)).as("the source is only read")
                .isEqualTo(7);
    }

    @Test
    void aMalformedSourceIsAUsageError() {
        for (String verb : new String[] {"verify", "plan", "repair"}) {
            CliTest.Run run = CliTest.run(Map.of(), verb, "--url", target.jdbcUrl(), "--user", "postgres",
                    "--source", "postgres://old/db");
            assertThat(run.code()).as(verb + ": " + run.err()).isEqualTo(ExitCode.USAGE);
            assertThat(run.err()).contains("--source").contains("jdbc:postgresql://").doesNotContain("\tat ");
        }
    }
}
