package io.seqguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.seqguard.test.EmbeddedPostgres;
import io.seqguard.test.TestDatabase;
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

    private static CliTest.Run cutover(String... more) {
        String[] base = {"cutover", "--url", newDb.jdbcUrl(), "--user", "postgres", "--source", oldDb.jdbcUrl(),
            "--schema", SCHEMA, "--subscription", "from old ü", "--catch-up-timeout", "60s"};
        String[] args = new String[base.length + more.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(more, 0, args, base.length, more.length);
        return CliTest.run(Map.of(), args);
    }

    @Test
    void stopsBeforeTheRepairUnlessToldToDisableThenRepairsAndPrintsTheChangeRecord() {
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
        assertThat(stoppedJson.out()).contains("\"operation\": \"cutover\"").contains("\"aligned\": false")
                .contains("\"outcome\": \"stopped before the repair\"").contains("--disable-subscription");
        assertThat(newDb.queryForLong("SELECT count(*) FROM " + SCHEMA + ".\"orders; x\"")).isEqualTo(30);

        CliTest.Run done = cutover("--disable-subscription", "--format", "json");
        assertThat(done.code()).as(done.err()).isEqualTo(ExitCode.ALIGNED);
        assertThat(done.err()).contains("step 5/6: subscription 'from old ü' disabled")
                .contains("step 6/6: verified: verify of database " + newDb.name() + ": aligned");
        assertThat(done.out()).startsWith("{").contains("\"operation\": \"repair\"")
                .contains("\"action\": \"repaired\"").contains("\"nextValue\": 31");
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
