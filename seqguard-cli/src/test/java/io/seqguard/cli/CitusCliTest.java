package io.seqguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.seqguard.cli.CliTest.Run;
import io.seqguard.test.PostgresTest;
import io.seqguard.test.TestDatabase;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code --all-nodes} where CI can reach it: on plain PostgreSQL, which is no Citus node, it refuses as a usage error
 * before anything is read or moved; the worst exit code of the nodes is the run's. The run on a real Citus cluster
 * (every node verified and repaired on its own connection) is proven by hand: Citus cannot run here, and its catalog
 * faked would be a mock.
 */
@PostgresTest
class CitusCliTest {

    private final TestDatabase db;

    CitusCliTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void lagging() {
        db.execute("DROP SCHEMA IF EXISTS citus_cli CASCADE", "CREATE SCHEMA citus_cli",
                "CREATE TABLE citus_cli.\"Order Lines; DROP TABLE x\" (id bigserial PRIMARY KEY)",
                "INSERT INTO citus_cli.\"Order Lines; DROP TABLE x\" SELECT g FROM generate_series(1, 25) g");
    }

    @Test
    void allNodesOnADatabaseThatIsNoCitusNodeIsAUsageErrorThatMovesNothing() {
        for (String verb : new String[] {"verify", "plan", "repair"}) {
            Run run = CliTest.run(Map.of(), verb, "--url", db.jdbcUrl(), "--user", "postgres", "--schema",
                    "citus_cli", "--all-nodes");
            assertThat(run.code()).as(verb).isEqualTo(ExitCode.USAGE);
            assertThat(run.err()).as(verb).contains("--all-nodes: database " + db.name(), "is no Citus node",
                    "the citus extension is not installed in it", "run without --all-nodes");
            assertThat(run.out()).as(verb).isEmpty();
        }
        assertThat(db.queryForLong("SELECT count(*) FROM pg_sequences WHERE schemaname = 'citus_cli'"
                + " AND last_value IS NOT NULL")).as("nothing moved").isZero();
        // the same database without the option: the plain run
        assertThat(CliTest.run(Map.of(), "repair", "--url", db.jdbcUrl(), "--user", "postgres", "--schema",
                "citus_cli").code()).isEqualTo(ExitCode.ALIGNED);
    }

    @Test
    void aCutoverEndsWithARepairOfAllNodesRatherThanTakingTheOption() {
        Run run = CliTest.run(Map.of(), "cutover", "--url", db.jdbcUrl(), "--source", db.jdbcUrl(), "--user",
                "postgres", "--subscription", "s", "--all-nodes");
        assertThat(run.code()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("--all-nodes works with verify, plan and repair",
                "seqguard repair --all-nodes");
    }

    @Test
    void theWorstNodeDecidesTheExitCode() {
        assertThat(CitusNodesRun.worse(ExitCode.ALIGNED, ExitCode.INCOMPLETE)).isEqualTo(ExitCode.INCOMPLETE);
        assertThat(CitusNodesRun.worse(ExitCode.INCOMPLETE, ExitCode.DRIFT)).isEqualTo(ExitCode.DRIFT);
        assertThat(CitusNodesRun.worse(ExitCode.DRIFT, ExitCode.FAILURE)).isEqualTo(ExitCode.FAILURE);
        assertThat(CitusNodesRun.worse(ExitCode.FAILURE, ExitCode.ALIGNED)).isEqualTo(ExitCode.FAILURE);
        assertThat(CitusNodesRun.worse(ExitCode.DRIFT, ExitCode.INCOMPLETE)).isEqualTo(ExitCode.DRIFT);
    }
}
