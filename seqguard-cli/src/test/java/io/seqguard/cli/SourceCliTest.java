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
    void theSourceUrlsUserNamesTheSourcesRoleAndTwoRolesAreRefused() {
        // --user is the new primary's role: user= in the source's URL wins over it
        CliTest.Run urlUser = CliTest.run(Map.of(), "verify", "--url", target.jdbcUrl(), "--user", "postgres",
                "--schema", SCHEMA, "--source", source.jdbcUrl() + "?user=no_such_role");
        assertThat(urlUser.code()).as(urlUser.err()).isEqualTo(ExitCode.FAILURE);
        assertThat(urlUser.err()).startsWith("seqguard: --source (the old primary): ").contains("no_such_role");

        CliTest.Run twoRoles = CliTest.run(Map.of(), "verify", "--url", target.jdbcUrl(), "--user", "postgres",
                "--source", source.jdbcUrl() + "?user=reader", "--source-user", "postgres");
        assertThat(twoRoles.code()).isEqualTo(ExitCode.USAGE);
        assertThat(twoRoles.err()).contains("--source-user 'postgres' and user='reader' in the --source URL (or its "
                + "service) name two roles: give the role once, in --source-user or in the URL");
        CliTest.Run targetTwoRoles = CliTest.run(Map.of(), "verify", "--url", target.jdbcUrl() + "?user=app",
                "--user", "postgres");
        assertThat(targetTwoRoles.code()).isEqualTo(ExitCode.USAGE);
        assertThat(targetTwoRoles.err())
                .contains("--user 'postgres' and user='app' in the --url URL (or its service) name two roles");
        CliTest.Run same = CliTest.run(Map.of(), "verify", "--url", target.jdbcUrl() + "?user=postgres",
                "--user", "postgres", "--schema", SCHEMA, "--source", source.jdbcUrl() + "?user=postgres",
                "--source-user", "postgres");
        assertThat(same.code()).as("one role named twice is no conflict: " + same.err()).isEqualTo(ExitCode.DRIFT);
        CliTest.Run empty = CliTest.run(Map.of(), "verify", "--url", target.jdbcUrl() + "?user=", "--user", "postgres",
                "--schema", SCHEMA);
        // no witness for the orphan sequence: incomplete, as without user= at all, and no usage error
        assertThat(empty.code()).as("an empty user= names no role: " + empty.err()).isEqualTo(ExitCode.INCOMPLETE);
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
