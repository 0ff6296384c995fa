package io.seqguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seqguard.test.EmbeddedPostgres;
import io.seqguard.test.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code seqguard cutover} as a runbook runs it: two servers, native logical replication, writes already stopped. */
class CutoverCliTest {

    private static final String SCHEMA = "\"cut over ü\"";

    private static EmbeddedPostgres oldServer;
    private static EmbeddedPostgres newServer;
    private static TestDatabase oldDb;
    private static TestDatabase newDb;

    @BeforeAll
    static void replicate() {
        oldServer = EmbeddedPostgres.builder().start();
        newServer = EmbeddedPostgres.builder().start();
        oldDb = TestDatabase.create(oldServer, "cli_cut_old");
        newDb = TestDatabase.create(newServer, "cli_cut_new");
        for (TestDatabase db : new TestDatabase[] {oldDb, newDb}) {
            db.execute("CREATE SCHEMA " + SCHEMA, "CREATE TABLE " + SCHEMA + ".\"orders; x\" (id bigserial "
                    + "PRIMARY KEY, note text)");
        }
        oldDb.execute("INSERT INTO " + SCHEMA + ".\"orders; x\" (note) SELECT 'app' FROM generate_series(1, 30)",
                "CREATE PUBLICATION cli_pub FOR ALL TABLES");
        newDb.execute("CREATE SUBSCRIPTION \"from old ü\" CONNECTION 'host=127.0.0.1 port=" + oldServer.port()
                + " dbname=" + oldDb.name() + " user=postgres' PUBLICATION cli_pub WITH (slot_name = 'cli_cutover')");
    }

    @AfterAll
    static void stop() {
        if (newServer != null) {
            newServer.close();
        }
        if (oldServer != null) {
            oldServer.close();
        }
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(element -> texts.add(element.asText()));
        return texts;
    }

    private static CliTest.Run cutover(String... more) {
        String[] base = {"cutover", "--url", newDb.jdbcUrl(), "--user", "postgres", "--source", oldDb.jdbcUrl(),
            "--schema", SCHEMA, "--subscription", "from old ü", "--catch-up-timeout", "60s"};
        String[] args = new String[base.length + more.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(more, 0, args, base.length, more.length);
        return CliTest.run(Map.of(), args);
    }

    @Test
    void stopsBeforeTheRepairUnlessToldToDisableThenRepairsAndPrintsTheChangeRecord() throws Exception {
        CliTest.Run stopped = cutover();
        assertThat(stopped.code()).as(stopped.err()).isEqualTo(ExitCode.DRIFT);
        assertThat(stopped.err()).contains("seqguard cutover: step 1/6: old primary: database " + oldDb.name())
                .contains("seqguard cutover: step 3/6: the subscription has applied everything up to ")
                .contains("seqguard: stopped before the repair, which refuses a subscription that is still enabled. "
                        + "Next: run this cutover again with --disable-subscription")
                .contains("or run ALTER SUBSCRIPTION \"from old ü\" DISABLE yourself and then seqguard repair with "
                        + "the same --url and --source.");
        assertThat(stopped.out()).isEmpty();
        CliTest.Run stoppedJson = cutover("--format", "json");
        assertThat(stoppedJson.code()).isEqualTo(ExitCode.DRIFT);
        JsonNode record = new ObjectMapper().readTree(stoppedJson.out());
        assertThat(record.get("cutoverFormatVersion").asInt()).isEqualTo(CutoverDocument.FORMAT_VERSION);
        assertThat(record.get("operation").asText()).isEqualTo("cutover");
        assertThat(record.get("subscription").asText()).isEqualTo("from old ü");
        assertThat(record.get("aligned").asBoolean()).isFalse();
        assertThat(record.get("outcome").asText()).isEqualTo("stopped before the repair");
        assertThat(record.get("exitCode").asInt()).isEqualTo(ExitCode.DRIFT);
        assertThat(record.get("refusal").asText()).contains("--disable-subscription");
        assertThat(record.get("nextStatement").asText()).isEqualTo("ALTER SUBSCRIPTION \"from old ü\" DISABLE");
        assertThat(texts(record.get("steps"))).as("every step that ran, as standard error showed it")
                .anyMatch(step -> step.startsWith("step 1/6: old primary: database " + oldDb.name()))
                .anyMatch(step -> step.startsWith("step 3/6: the subscription has applied everything up to "))
                .allMatch(step -> stoppedJson.err().contains("seqguard cutover: " + step + "\n"));
        assertThat(record.get("repair").isNull()).isTrue();
        assertThat(record.get("verify").isNull()).isTrue();
        assertThat(newDb.queryForLong("SELECT count(*) FROM " + SCHEMA + ".\"orders; x\"")).isEqualTo(30);

        // a --schema the new primary lacks is refused before any step: nothing is disabled, no document printed
        CliTest.Run badSchema = cutover("--schema", "Nope", "--disable-subscription", "--format", "json");
        assertThat(badSchema.code()).as(badSchema.err()).isEqualTo(ExitCode.USAGE);
        assertThat(badSchema.err()).contains("--schema: schema nope does not exist in this database")
                .doesNotContain("step 1/6");
        assertThat(badSchema.out()).isEmpty();
        assertThat(newDb.queryForLong("SELECT count(*) FROM pg_subscription WHERE subenabled")).isEqualTo(1);

        CliTest.Run done = cutover("--disable-subscription", "--format", "json");
        assertThat(done.code()).as(done.err()).isEqualTo(ExitCode.ALIGNED);
        assertThat(done.err()).contains("step 5/6: subscription 'from old ü' disabled")
                .contains("step 6/6: verified: verify of database " + newDb.name() + ": aligned");
        JsonNode change = new ObjectMapper().readTree(done.out());
        assertThat(change.get("outcome").asText()).isEqualTo("aligned");
        assertThat(change.get("aligned").asBoolean()).isTrue();
        assertThat(change.get("exitCode").asInt()).isEqualTo(ExitCode.ALIGNED);
        assertThat(change.get("refusal").isNull()).isTrue();
        assertThat(texts(change.get("steps"))).last().asString().startsWith("step 6/6: verified");
        JsonNode repair = change.get("repair");
        assertThat(repair.get("formatVersion").asInt()).as("the report keeps its own shape").isEqualTo(1);
        assertThat(repair.get("operation").asText()).isEqualTo("repair");
        JsonNode orders = repair.get("sequences").get(0);
        assertThat(orders.get("action").asText()).isEqualTo("repaired");
        assertThat(orders.get("nextValue").asLong()).isEqualTo(31);
        assertThat(change.get("verify").get("operation").asText()).isEqualTo("verify");
        assertThat(change.get("verify").get("verdict").asText()).isEqualTo("aligned");
        newDb.execute("INSERT INTO " + SCHEMA + ".\"orders; x\" (note) VALUES ('first write on the new primary')");

        CliTest.Run noSource = CliTest.run(Map.of(), "cutover", "--url", newDb.jdbcUrl(), "--subscription", "x");
        assertThat(noSource.code()).isEqualTo(ExitCode.USAGE);
        assertThat(noSource.err()).contains("--source");
        CliTest.Run unknown = CliTest.run(Map.of(), "cutover", "--url", newDb.jdbcUrl(), "--user", "postgres",
                "--source", oldDb.jdbcUrl(), "--subscription", "nope");
        assertThat(unknown.code()).isEqualTo(ExitCode.USAGE);
        assertThat(unknown.err()).contains("no subscription named 'nope'");
    }
}
