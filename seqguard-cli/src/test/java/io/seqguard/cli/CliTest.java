package io.seqguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.seqguard.test.Await;
import io.seqguard.test.EmbeddedPostgres;
import io.seqguard.test.PostgresTest;
import io.seqguard.test.TestDatabase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The command line against a real server: each command, format and exit code, and each bad input. */
@PostgresTest
class CliTest {

    private final TestDatabase db;

    CliTest(TestDatabase db) {
        this.db = db;
    }

    /** What one run printed and returned. */
    record Run(int code, String out, String err) {
    }

    static Run run(Map<String, String> environment, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err), environment);
        return new Run(code, out.toString(), err.toString());
    }

    private Run run(String... args) {
        return run(Map.of(), args);
    }

    @BeforeEach
    void drift() {
        db.execute("DROP SCHEMA IF EXISTS cli CASCADE", "CREATE SCHEMA cli",
                "CREATE TABLE cli.orders (id serial PRIMARY KEY)",
                "INSERT INTO cli.orders SELECT g FROM generate_series(1, 25) g",
                "CREATE TABLE cli.\"Odd; Name\" (id bigserial PRIMARY KEY)",
                "INSERT INTO cli.\"Odd; Name\" VALUES (7)",
                "CREATE SEQUENCE cli.ticket_seq", "CREATE TABLE cli.ticket (no bigint)",
                "INSERT INTO cli.ticket VALUES (99)");
    }

    @Test
    void verifyFindsDriftAndExitsThree() {
        Run run = run("verify", "--url", db.jdbcUrl(), "--user", "postgres", "--schema", "cli");
        assertThat(run.code()).isEqualTo(ExitCode.DRIFT);
        assertThat(run.out()).contains("behind").contains("cli.orders_id_seq").contains("STATUS");
        assertThat(db.queryForLong("SELECT count(*) FROM pg_sequences WHERE schemaname = 'cli' "
                + "AND last_value IS NOT NULL")).as("verify changes nothing").isZero();
    }

    @Test
    void planPrintsForwardOnlySql() {
        Run run = run("plan", "--url", db.jdbcUrl(), "--user", "postgres", "--schema", "cli", "--format", "sql");
        assertThat(run.code()).isEqualTo(ExitCode.DRIFT);
        assertThat(run.out()).contains("SELECT setval('cli.orders_id_seq', 25, true)").contains("WHERE CASE");
        db.execute(run.out().lines().filter(l -> !l.startsWith("--")).toArray(String[]::new));
        assertThat(run("verify", "--url", db.jdbcUrl(), "--user", "postgres", "--schema", "cli", "--allow-unverified",
                "cli.ticket_seq").code()).isEqualTo(ExitCode.ALIGNED);
    }

    @Test
    void repairAlignsAndExitsZeroThenVerifyExitsZero() {
        Run repair = run("repair", "--url", db.jdbcUrl(), "--user", "postgres", "--schema", "cli", "--map",
                "cli.ticket_seq=cli.ticket.no", "--format", "json");
        assertThat(repair.code()).as(repair.err()).isEqualTo(ExitCode.ALIGNED);
        assertThat(repair.out()).startsWith("{").contains("\"formatVersion\": 1").contains("\"action\": \"repaired\"");
        assertThat(db.queryForLong("SELECT nextval('cli.orders_id_seq')")).isEqualTo(26L);
        assertThat(db.queryForLong("SELECT nextval('cli.ticket_seq')")).isEqualTo(100L);
        assertThat(run("verify", "--url", db.jdbcUrl(), "--user", "postgres", "--schema", "cli", "--map",
                "cli.ticket_seq=cli.ticket.no").code()).isEqualTo(ExitCode.ALIGNED);
    }

    /**
     * The runbook that quiets an application-only sequence with {@code all}: a table left unread by a lock timeout is
     * not what it acknowledged, so the run stays incomplete (4) and says how to acknowledge that one.
     */
    @Test
    void allowUnverifiedAllDoesNotCoverATableALockTimeoutLeftUnread() throws Exception {
        db.execute("SELECT setval('cli.orders_id_seq', 25)", "SELECT setval('cli.\"Odd; Name_id_seq\"', 7)");
        try (Connection migration = db.dataSource().getConnection()) {
            migration.setAutoCommit(false);
            try (Statement st = migration.createStatement()) {
                st.execute("LOCK TABLE cli.\"Odd; Name\" IN ACCESS EXCLUSIVE MODE");
                Run run = run("verify", "--url", db.jdbcUrl(), "--user", "postgres", "--schema", "cli",
                        "--allow-unverified", "all", "--lock-timeout", "300ms");
                assertThat(run.code()).as(run.out() + run.err()).isEqualTo(ExitCode.INCOMPLETE);
                assertThat(run.out()).contains("waited longer than the lock timeout")
                        .contains("--allow-unverified all does not cover it")
                        .contains("add its name to --allow-unverified beside all to acknowledge it anyway "
                                + "(--allow-unverified all --allow-unverified 'cli.\"Odd; Name_id_seq\"')")
                        .contains("acknowledged as not verified (allowed by configuration): cli.ticket_seq");
            } finally {
                migration.rollback();
            }
        }
        assertThat(run("verify", "--url", db.jdbcUrl(), "--user", "postgres", "--schema", "cli",
                "--allow-unverified", "all").code()).as("once the lock is gone").isEqualTo(ExitCode.ALIGNED);
    }

    /** A sequence no column uses cannot be verified: the run is incomplete (4), not aligned, until acknowledged. */
    @Test
    void anUnverifiedSequenceMakesTheRunIncompleteUntilAcknowledged() {
        db.execute("SELECT setval('cli.orders_id_seq', 25)", "SELECT setval('cli.\"Odd; Name_id_seq\"', 7)");
        for (String command : new String[] {"verify", "plan", "repair"}) {
            Run run = run(command, "--url", db.jdbcUrl(), "--user", "postgres", "--schema", "cli");
            assertThat(run.code()).as(command + ": " + run.err()).isEqualTo(ExitCode.INCOMPLETE);
            assertThat(run.out() + run.err()).as(command).contains("cli.ticket_seq")
                    .contains("--map cli.ticket_seq=SCHEMA.TABLE.COLUMN").contains("--source")
                    .contains("--allow-unverified cli.ticket_seq").doesNotContain("mappings (")
                    .doesNotContain("allowUnverified");
        }
        Run json = run("verify", "--url", db.jdbcUrl(), "--user", "postgres", "--schema", "cli", "--format", "json");
        assertThat(json.out()).contains("\"verdict\": \"incomplete\"").contains("\"aligned\": false");
        Run text = run("verify", "--url", db.jdbcUrl(), "--user", "postgres", "--schema", "cli");
        assertThat(text.out()).contains("verdict: incomplete (1 sequence not verified)");

        Run acknowledged = run("verify", "--url", db.jdbcUrl(), "--user", "postgres", "--schema", "cli",
                "--allow-unverified", "cli.ticket_seq");
        assertThat(acknowledged.code()).as(acknowledged.err()).isEqualTo(ExitCode.ALIGNED);
        assertThat(acknowledged.out()).contains("acknowledged as not verified (allowed by configuration): "
                + "cli.ticket_seq");
        assertThat(run("repair", "--url", db.jdbcUrl(), "--user", "postgres", "--schema", "cli",
                "--allow-unverified", "all").code()).isEqualTo(ExitCode.ALIGNED);
        Run typo = run("verify", "--url", db.jdbcUrl(), "--user", "postgres", "--schema", "cli",
                "--allow-unverified", "cli.tciket_seq");
        assertThat(typo.code()).as("acknowledging another name acknowledges nothing").isEqualTo(ExitCode.INCOMPLETE);
    }

    @Test
    void aRoleThatMayNotReadTheSequencesNeverExitsZero() {
        String role = db.name() + "_nogrant";
        db.createRole(role, "pw");
        db.execute("GRANT USAGE ON SCHEMA cli TO " + role, "GRANT SELECT ON ALL TABLES IN SCHEMA cli TO " + role);
        for (String command : new String[] {"verify", "plan"}) {
            Run run = run(Map.of("PGPASSWORD", "pw"), command, "--url", db.jdbcUrl(), "--user", role, "--schema",
                    "cli", "--format", "json");
            assertThat(run.code()).as(command + ": " + run.err()).isEqualTo(ExitCode.INCOMPLETE);
            assertThat(run.out()).contains("\"no_privilege\": 3").contains("\"aligned\": false");
        }
    }

    /** A backend terminated mid-run (a failover, an operator, a proxy gone) is a failure: exit 1, for each verb. */
    @Test
    void aConnectionLostMidRunExitsOneNeverAVerdict() throws Exception {
        for (String command : new String[] {"verify", "repair"}) {
            try (Connection holder = db.dataSource().getConnection(); Statement st = holder.createStatement()) {
                holder.setAutoCommit(false);
                st.execute("LOCK TABLE cli.orders IN ACCESS EXCLUSIVE MODE");
                CompletableFuture<Run> run = CompletableFuture.supplyAsync(() -> run(command, "--url", db.jdbcUrl(),
                        "--user", "postgres", "--schema", "cli", "--lock-timeout", "60s", "--jobs", "1"));
                Await.until("seqguard waiting for cli.orders", Duration.ofSeconds(30), () -> db.queryForLong(
                        "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid) WHERE NOT l.granted "
                                + "AND l.relation = 'cli.orders'::regclass AND a.application_name = 'seqguard'") == 1);
                db.execute("SELECT pg_terminate_backend(l.pid) FROM pg_locks l WHERE NOT l.granted "
                        + "AND l.relation = 'cli.orders'::regclass");
                Run result = run.get(30, TimeUnit.SECONDS);
                assertThat(result.code()).as(command + ": " + result.err()).isEqualTo(ExitCode.FAILURE);
                assertThat(result.err()).as(command).startsWith("seqguard: ").contains("run again")
                        .doesNotContain("\tat ");
                assertThat(result.out()).as(command + " prints no report as if it had a verdict").isEmpty();
                holder.rollback();
            }
        }
    }

    @Test
    void aMalformedUrlIsNeverEchoedWithItsPassword() {
        Run bad = run("verify", "--url", "jdbc:postgresql://db:notaport/shop?user=app&password=SECRET-1&ssl=true");
        assertThat(bad.code()).isEqualTo(ExitCode.USAGE);
        assertThat(bad.err()).contains("password=***").doesNotContain("SECRET-1");
        Run other = run("verify", "--url", "postgresql://app:SECRET-2@db/shop");
        assertThat(other.code()).isEqualTo(ExitCode.USAGE);
        assertThat(other.err()).contains("app:***@db").doesNotContain("SECRET-2");
        Run source = run("verify", "--url", db.jdbcUrl(), "--source", "jdbc:postgresql://x:y/z?password=SECRET-3");
        assertThat(source.err()).contains("--source").doesNotContain("SECRET-3");
    }

    @Test
    void repairThatCannotFixEverythingExitsThree() {
        db.execute("CREATE SEQUENCE cli.tiny MAXVALUE 10",
                "CREATE TABLE cli.full_t (id int DEFAULT nextval('cli.tiny'))", "INSERT INTO cli.full_t VALUES (50)");
        Run run = run("repair", "--url", db.jdbcUrl(), "--user", "postgres", "--schema", "cli");
        assertThat(run.code()).isEqualTo(ExitCode.DRIFT);
        assertThat(run.out()).contains("exhausted").contains("cli.tiny");
    }

    @Test
    void allocationMarginAndJobsAreApplied() {
        Run run = run("repair", "--url", db.jdbcUrl(), "--user", "postgres", "--schema", "cli", "--allocation",
                "plain", "--margin", "100", "--jobs", "1", "--lock-timeout", "2s", "--exclude", "cli.\"Odd; Name\"",
                "--exclude", "cli.ticket_seq");
        assertThat(run.code()).as(run.err()).isEqualTo(ExitCode.ALIGNED);
        assertThat(run.out()).contains("allocation plain");
        assertThat(db.queryForLong("SELECT nextval('cli.orders_id_seq')")).isEqualTo(126L);
        assertThat(run.out()).contains("skipped");
    }

    @Test
    void passwordComesFromTheEnvironmentAndIsNeverPrinted() {
        Run run = run(Map.of("PGPASSWORD", "s3cret-value"), "verify", "--url", db.jdbcUrl(), "--user", "postgres",
                "--schema", "cli", "--verbose");
        assertThat(run.out() + run.err()).doesNotContain("s3cret-value");
    }

    @Test
    void badInputGivesOneLineAndTheRightCode() {
        Run url = run("verify", "--url", "postgres://nowhere/db");
        assertThat(url.code()).isEqualTo(ExitCode.USAGE);
        assertThat(url.err()).contains("--url").contains("jdbc:postgresql://");
        assertThat(url.err()).doesNotContain("\tat ");

        Run map = run("verify", "--url", db.jdbcUrl(), "--user", "postgres", "--map", "no_equals_sign");
        assertThat(map.code()).isEqualTo(ExitCode.USAGE);
        assertThat(map.err()).contains("SEQUENCE=TABLE.COLUMN");

        for (String command : new String[] {"verify", "plan", "repair"}) {
            Run schema = run(command, "--url", db.jdbcUrl(), "--user", "postgres", "--schema", "missing_schema");
            assertThat(schema.code()).as(command).isEqualTo(ExitCode.USAGE);
            assertThat(schema.err()).as(command).contains("schema missing_schema does not exist")
                    .doesNotContain("\tat ");
            assertThat(schema.err().lines().count()).as(command + ": one line").isEqualTo(1);
        }

        Run allocation = run("verify", "--url", db.jdbcUrl(), "--user", "postgres", "--allocation", "weird");
        assertThat(allocation.code()).isEqualTo(ExitCode.USAGE);
        assertThat(allocation.err()).contains("allocation");

        Run unknownOption = run("verify", "--nope");
        assertThat(unknownOption.code()).isEqualTo(ExitCode.USAGE);

        Run noServer = run("verify", "--url", "jdbc:postgresql://127.0.0.1:1/none");
        assertThat(noServer.code()).isEqualTo(ExitCode.FAILURE);
        assertThat(noServer.err()).contains("Could not connect").doesNotContain("\tat ");

        Run verbose = run("verify", "--url", "jdbc:postgresql://127.0.0.1:1/none", "--verbose");
        assertThat(verbose.err()).contains("\tat ");
    }

    /** As a runbook sees it: a process, its exit code, and all it writes to standard error, log lines included. */
    @Test
    void aFailedRepairWritesOneLineInAProcessOfItsOwn() throws Exception {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "repair", "--url", db.jdbcUrl(),
                "--user", "postgres", "--schema", "missing_schema").redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(err).isEqualTo(ExitCode.USAGE);
        assertThat(err.lines()).as(err).singleElement().asString()
                .startsWith("seqguard: --schema: schema missing_schema does not exist");
    }

    @Test
    void aWrongPasswordIsAFailureWithOneLine() throws Exception {
        try (EmbeddedPostgres server = EmbeddedPostgres.builder().start()) {
            TestDatabase admin = TestDatabase.create(server, "pw");
            // PostgreSQL 12 still stores md5 by default, which scram-sha-256 authentication cannot check
            admin.execute("SET password_encryption = 'scram-sha-256'", "CREATE ROLE app_user LOGIN PASSWORD 'right'",
                    "CREATE ROLE source_user LOGIN PASSWORD 'other'");
            String hba = admin.queryForString("SHOW hba_file");
            // password authentication for everyone but the superuser, then reload: no restart needed
            admin.execute("COPY (SELECT line FROM (VALUES (1, 'host all postgres 127.0.0.1/32 trust'), "
                    + "(2, 'host all kept_out 127.0.0.1/32 reject'), "
                    + "(3, 'host all all 127.0.0.1/32 scram-sha-256')) v(n, line) ORDER BY n) TO '" + hba + "'",
                    "CREATE ROLE kept_out LOGIN PASSWORD 'right'", "SELECT pg_reload_conf()");
            Run wrong = run(Map.of("PGPASSWORD", "wrong"), "verify", "--url", admin.jdbcUrl(), "--user", "app_user");
            assertThat(wrong.code()).isEqualTo(ExitCode.FAILURE);
            assertThat(wrong.err()).contains("password authentication failed").doesNotContain("\tat ")
                    .contains("The user is --user (or user= in the URL), the password PGPASSWORD or --password");
            assertThat(wrong.err().lines()).hasSize(1);
            // the old primary's password comes from its own variable: PGPASSWORD alone does not reach it
            Run source = run(Map.of("PGPASSWORD", "right"), "plan", "--url", admin.jdbcUrl(), "--user", "app_user",
                    "--source", admin.jdbcUrl(), "--source-user", "app_user");
            assertThat(source.code()).as(source.err()).isEqualTo(ExitCode.FAILURE);
            assertThat(source.err()).startsWith("seqguard: --source (the old primary): ")
                    .contains("the user is --source-user, else user= in its URL, else --user; the password "
                            + "PGSOURCEPASSWORD or --source-password");
            // the cutover's connection to the old primary is --source's too, with the same advice
            Run cutover = run(Map.of("PGPASSWORD", "right"), "cutover", "--url", admin.jdbcUrl(), "--user",
                    "postgres", "--source", admin.jdbcUrl(), "--source-user", "app_user", "--subscription", "s");
            assertThat(cutover.code()).as(cutover.err()).isEqualTo(ExitCode.FAILURE);
            assertThat(cutover.err()).contains("could not connect to --source (the old primary)")
                    .contains("no password was provided").contains("the password PGSOURCEPASSWORD or "
                            + "--source-password").doesNotContain("The user is --user");
            // a rule of the server's keeps the role out: the fix is there, not in a password
            Run rejected = run(Map.of("PGPASSWORD", "right"), "verify", "--url", admin.jdbcUrl(), "--user",
                    "kept_out");
            assertThat(rejected.code()).isEqualTo(ExitCode.FAILURE);
            assertThat(rejected.err()).contains("pg_hba.conf rejects connection")
                    .contains("a line of its pg_hba.conf must let this client address, user and database in")
                    .doesNotContain("PGPASSWORD");
            Run right = run(Map.of("PGPASSWORD", "right"), "verify", "--url", admin.jdbcUrl(), "--user", "app_user");
            assertThat(right.code()).as(right.err()).isEqualTo(ExitCode.ALIGNED);
            // a password piped in (a job without a terminal): read from standard input, the report alone on
            // standard output; the source's is the next line
            CliWordsTest.Result piped = CliWordsTest.processWithInput("right\n", "verify", "--url", admin.jdbcUrl(),
                    "--user", "app_user", "--password", "--format", "json");
            assertThat(piped.code()).as(piped.err()).isEqualTo(ExitCode.ALIGNED);
            assertThat(piped.out()).startsWith("{").doesNotContain("Password").doesNotContain("right");
            assertThat(piped.err()).doesNotContain("Password").doesNotContain("right");
            // two roles, two passwords: each line goes to its option, in the options' order
            CliWordsTest.Result both = CliWordsTest.processWithInput("right\r\nother\n", "plan", "--url",
                    admin.jdbcUrl(), "--user", "app_user", "--source-password", "--source", admin.jdbcUrl(),
                    "--source-user", "source_user", "--password", "--all-databases");
            assertThat(both.code()).as(both.err()).isEqualTo(ExitCode.ALIGNED);
            CliWordsTest.Result oneLine = CliWordsTest.processWithInput("right\n", "plan", "--url", admin.jdbcUrl(),
                    "--user", "app_user", "--password", "--source", admin.jdbcUrl(), "--source-password");
            assertThat(oneLine.code()).isEqualTo(ExitCode.USAGE);
            assertThat(oneLine.err()).contains("--source-password: no password was given: standard input is not a "
                    + "terminal and had no line to read it from").contains("PGSOURCEPASSWORD");
        }
    }

    @Test
    void repairOnAStandbyIsRefusedWithOneLine() throws Exception {
        try (EmbeddedPostgres primary = EmbeddedPostgres.builder().start()) {
            TestDatabase data = TestDatabase.create(primary, "standby");
            data.execute("CREATE TABLE t (id serial PRIMARY KEY)", "INSERT INTO t VALUES (5)");
            try (EmbeddedPostgres standby = primary.startStandby()) {
                String url = standby.jdbcUrl(data.name());
                awaitTable(standby, data.name());
                Run verify = run("verify", "--url", url, "--user", "postgres");
                assertThat(verify.code()).as(verify.err()).isEqualTo(ExitCode.DRIFT);
                Run repair = run("repair", "--url", url, "--user", "postgres");
                assertThat(repair.code()).isEqualTo(ExitCode.DRIFT);
                assertThat(repair.err()).startsWith("seqguard: refused:").contains("standby")
                        .doesNotContain("\tat ");
                assertThat(repair.err().lines().count()).isEqualTo(1);
            }
        }
    }

    /** Until the standby has replayed the table, its database or table does not exist yet. */
    private static void awaitTable(EmbeddedPostgres standby, String database) {
        Await.until("the standby to replay table t", Duration.ofSeconds(30), () -> {
            try (var connection = standby.dataSource(database).getConnection();
                    var rs = connection.createStatement().executeQuery("SELECT count(*) FROM t")) {
                rs.next();
                return rs.getLong(1) == 1;
            }
        });
    }

    @Test
    void repairWhileASubscriptionIsEnabledIsRefusedNamingIt() {
        // created without connecting, then enabled: the catalog says replication still feeds this database
        db.execute("CREATE SUBSCRIPTION \"still feeding\" CONNECTION 'host=127.0.0.1 port=1 dbname=none' "
                + "PUBLICATION p WITH (connect = false, slot_name = 'still_feeding')",
                "ALTER SUBSCRIPTION \"still feeding\" ENABLE");
        try {
            Run repair = run("repair", "--url", db.jdbcUrl(), "--user", "postgres", "--schema", "cli");
            assertThat(repair.code()).isEqualTo(ExitCode.DRIFT);
            assertThat(repair.err()).startsWith("seqguard: refused:").contains("still feeding");
            assertThat(repair.out()).as("text: the refusal is on standard error only").isEmpty();
            // a runbook saving the JSON keeps what happened, and a gate on .aligned reads false
            Run json = run("repair", "--url", db.jdbcUrl(), "--user", "postgres", "--schema", "cli", "--format",
                    "json");
            assertThat(json.code()).isEqualTo(ExitCode.DRIFT);
            assertThat(json.out()).startsWith("{\n  \"formatVersion\": 1,\n  \"operation\": \"repair\",\n"
                    + "  \"aligned\": false,\n  \"verdict\": null,\n  \"outcome\": \"refused\",\n  \"exitCode\": 3,\n"
                    + "  \"refusal\": \"seqguard repair refuses to repair database " + db.name())
                    .contains("still feeding").endsWith("\"\n}\n");
            assertThat(db.queryForLong("SELECT count(*) FROM pg_sequences WHERE schemaname = 'cli' "
                    + "AND last_value IS NOT NULL")).as("nothing repaired").isZero();
        } finally {
            db.execute("ALTER SUBSCRIPTION \"still feeding\" DISABLE",
                    "ALTER SUBSCRIPTION \"still feeding\" SET (slot_name = NONE)",
                    "DROP SUBSCRIPTION \"still feeding\"");
        }
    }

    @Test
    void usageWithoutCommandExitsTwo() {
        Run run = run();
        assertThat(run.code()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("verify").contains("repair").contains("demo");
    }
}
