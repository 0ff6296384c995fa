package io.seqguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seqguard.test.EmbeddedPostgres;
import io.seqguard.test.TestDatabase;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * verify, plan and repair over several databases of one server ({@code --database}, {@code --all-databases}), on a
 * server of its own so that it knows every database there is: one report with a section per database, the worst exit
 * code, a document of its own in JSON, and no database left out without a word.
 */
class DatabasesCliTest {

    /** Unicode, quotes, a semicolon and SQL in a database name. */
    private static final String HOSTILE = "Lägacy 'db\"; DROP DATABASE x";
    private static final String ROLE = "app \"reader\"";

    private static EmbeddedPostgres server;
    private static TestDatabase admin;

    @BeforeAll
    static void startServer() {
        server = EmbeddedPostgres.builder().start();
        admin = TestDatabase.create(server, "admin");
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    /** shop: one sequence behind; the hostile one: aligned; reports: a sequence no column uses (incomplete). */
    @BeforeEach
    void databases() {
        for (String name : List.of("shop", HOSTILE, "reports", "locked", "feeds")) {
            admin.execute("DROP DATABASE IF EXISTS " + q(name), "CREATE DATABASE " + q(name));
        }
        admin.execute("DROP ROLE IF EXISTS " + q(ROLE), "CREATE ROLE " + q(ROLE) + " LOGIN",
                "REVOKE CONNECT ON DATABASE locked FROM PUBLIC");
        in("shop", "CREATE TABLE orders (id serial PRIMARY KEY)",
                "INSERT INTO orders SELECT g FROM generate_series(1, 30) g",
                "GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + q(ROLE),
                "GRANT SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO " + q(ROLE));
        in(HOSTILE, "CREATE TABLE \"Order Lines; DROP TABLE x\" (id bigserial PRIMARY KEY)",
                "INSERT INTO \"Order Lines; DROP TABLE x\" VALUES (7)",
                "SELECT setval('\"Order Lines; DROP TABLE x_id_seq\"', 7)",
                "GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + q(ROLE),
                "GRANT SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO " + q(ROLE));
        in("reports", "CREATE SEQUENCE report_no", "GRANT SELECT ON SEQUENCE report_no TO " + q(ROLE));
        in("locked", "CREATE TABLE t (id serial PRIMARY KEY)", "INSERT INTO t VALUES (3)");
    }

    @Test
    void allDatabasesCoversEveryDatabaseTheRoleMayConnectToAndNamesTheOthers() {
        CliTest.Run run = run("verify", "--url", server.jdbcUrl("shop"), "--user", ROLE, "--all-databases");

        // shop is behind (3) and reports incomplete (4): drift is the worse
        assertThat(run.code()).as(run.err()).isEqualTo(ExitCode.DRIFT);
        // every database in name order (C collation), templates and the databases it may not connect to left out
        assertThat(sectionHeaders(run.out())).containsExactly(
                "== database \"" + HOSTILE.replace("\"", "\"\"") + "\" (1 of 6): aligned",
                "== database " + admin.name() + " (2 of 6): aligned",
                "== database feeds (3 of 6): aligned",
                "== database postgres (4 of 6): aligned",
                "== database reports (5 of 6): incomplete",
                "== database shop (6 of 6): drift");
        assertThat(run.out()).startsWith("verify of 6 databases on 127.0.0.1:" + server.port() + ": drift (exit 3); "
                + "1 drift, 1 incomplete, 4 aligned")
                .contains("verify of database shop: drift (1 sequence behind or exhausted)")
                .contains("public.orders_id_seq")
                .contains("--allow-unverified public.report_no")
                .contains("not checked (--all-databases covers the databases the role may connect to):\n"
                        + "  locked: the role may not connect to it (GRANT CONNECT ON DATABASE locked TO \"app "
                        + "\"\"reader\"\"\" to check it)")
                .doesNotContain("template0").doesNotContain("template1")
                .endsWith("verdict: drift (exit 3)\n");
        // the superuser may connect to locked too: it is checked, not left out
        CliTest.Run superuser = run("verify", "--url", server.jdbcUrl("shop"), "--user", "postgres",
                "--all-databases");
        assertThat(sectionHeaders(superuser.out())).contains("== database locked (4 of 7): drift")
                .hasSize(7);
    }

    @Test
    void aDatabaseTheRoleMayNotConnectToLeavesTheRunIncompleteEvenWhenEveryOtherIsAligned() throws Exception {
        in("shop", "SELECT setval('orders_id_seq', 30)");
        CliTest.Run run = run("verify", "--url", server.jdbcUrl("shop"), "--user", ROLE, "--all-databases",
                "--allow-unverified", "all");

        assertThat(run.code()).as(run.out()).isEqualTo(ExitCode.INCOMPLETE);
        assertThat(sectionHeaders(run.out())).hasSize(6).allMatch(header -> header.endsWith(": aligned"));
        assertThat(run.out()).startsWith("verify of 6 databases on 127.0.0.1:" + server.port()
                + ": incomplete (exit 4); 6 aligned, 1 not checked")
                .contains("  locked: the role may not connect to it (GRANT CONNECT ON DATABASE locked TO")
                .contains(", locked not checked\n")
                .endsWith("verdict: incomplete (exit 4)\n");

        CliTest.Run json = run("verify", "--url", server.jdbcUrl("shop"), "--user", ROLE, "--all-databases",
                "--allow-unverified", "all", "--format", "json");
        assertThat(json.code()).isEqualTo(ExitCode.INCOMPLETE);
        JsonNode doc = new ObjectMapper().readTree(json.out());
        assertThat(doc.get("outcome").asText()).isEqualTo("incomplete");
        assertThat(doc.get("exitCode").asInt()).isEqualTo(ExitCode.INCOMPLETE);
        assertThat(doc.get("notChecked")).hasSize(1);
        assertThat(doc.get("notChecked").get(0).get("database").asText()).isEqualTo("locked");
        assertThat(doc.get("databases")).hasSize(6);
    }

    @Test
    void theWorstOutcomeDecidesTheExitCode() {
        assertThat(run("verify", "--url", server.jdbcUrl("postgres"), "--user", "postgres", "--database", HOSTILE)
                .code()).isEqualTo(ExitCode.ALIGNED);
        assertThat(run("verify", "--url", server.jdbcUrl("postgres"), "--user", "postgres", "--database", HOSTILE,
                "--database", "reports").code()).isEqualTo(ExitCode.INCOMPLETE);
        assertThat(run("verify", "--url", server.jdbcUrl("postgres"), "--user", "postgres", "--database", "reports",
                "--database", "shop").code()).isEqualTo(ExitCode.DRIFT);

        // a database that does not exist is a failure, above drift; the others are still done and reported
        CliTest.Run missing = run("plan", "--url", server.jdbcUrl("postgres"), "--user", "postgres", "--database",
                "shop", "--database", "no such db", "--database", HOSTILE);
        assertThat(missing.code()).isEqualTo(ExitCode.FAILURE);
        assertThat(sectionHeaders(missing.out())).containsExactly("== database shop (1 of 3): drift",
                "== database \"no such db\" (2 of 3): failed",
                "== database \"" + HOSTILE.replace("\"", "\"\"") + "\" (3 of 3): aligned");
        assertThat(missing.out()).contains("seqguard: database \"no such db\" does not exist on 127.0.0.1:"
                + server.port() + ": check the name given to --database")
                .contains("SELECT setval('public.orders_id_seq', 30, true)")
                .endsWith("verdict: failed (exit 1)\n");

        // a database the role may not connect to, named: reported as a failure, never left out
        CliTest.Run locked = run("verify", "--url", server.jdbcUrl("shop"), "--user", ROLE, "--database", "locked",
                "--database", HOSTILE);
        assertThat(locked.code()).isEqualTo(ExitCode.FAILURE);
        assertThat(locked.out()).contains("== database locked (1 of 2): failed")
                .contains("the role may not connect to database locked (permission denied): GRANT CONNECT ON "
                        + "DATABASE locked TO \"app \"\"reader\"\"\"");
        // the role named by the URL's user= instead of --user: the GRANT still names it
        String url = server.jdbcUrl("shop");
        CliTest.Run lockedByUrl = run("verify", "--url", url + (url.contains("?") ? "&" : "?") + "user="
                + java.net.URLEncoder.encode(ROLE, java.nio.charset.StandardCharsets.UTF_8), "--database", "locked");
        assertThat(lockedByUrl.out()).contains("GRANT CONNECT ON DATABASE locked TO \"app \"\"reader\"\"\"");

        // a database that accepts no connections (datallowconn false), named: a failure with the fix
        admin.execute("DROP DATABASE IF EXISTS closed", "CREATE DATABASE closed",
                "ALTER DATABASE closed ALLOW_CONNECTIONS false");
        try {
            CliTest.Run closed = run("verify", "--url", server.jdbcUrl("postgres"), "--user", "postgres",
                    "--database", "closed");
            assertThat(closed.code()).isEqualTo(ExitCode.FAILURE);
            assertThat(closed.out()).contains("database closed does not accept connections (ALTER DATABASE closed "
                    + "ALLOW_CONNECTIONS true to check it, or leave it out)");
        } finally {
            admin.execute("DROP DATABASE closed");
        }
    }

    /**
     * A verify or plan of a database replication still feeds says so at the top of what a runbook reviews (the text,
     * the JSON, the saved script): a repair refuses such a database, and a plan's statements run by hand would not.
     */
    @Test
    void repairOfSeveralDatabasesRefusesOneThatReplicationStillFeedsAndRepairsTheOthers() {
        in("feeds", "CREATE TABLE t (id serial PRIMARY KEY)", "INSERT INTO t VALUES (9)",
                // created without connecting, then enabled: the catalog says replication still feeds it
                "CREATE SUBSCRIPTION \"still feeding\" CONNECTION 'host=127.0.0.1 port=1 dbname=none' "
                        + "PUBLICATION p WITH (connect = false, slot_name = 'still_feeding')",
                "ALTER SUBSCRIPTION \"still feeding\" ENABLE");
        try {
            String warning = "subscription \"still feeding\" is still enabled on this database: rows may still "
                    + "arrive with their ids, so this report holds only for now. Once the old primary no longer writes "
                    + "and the subscription has caught up, disable it (ALTER SUBSCRIPTION \"still feeding\" DISABLE), "
                    + "then repair and verify.";
            CliTest.Run verify = run("verify", "--url", server.jdbcUrl("feeds"), "--user", "postgres");
            assertThat(verify.code()).as(verify.out()).isEqualTo(ExitCode.DRIFT);
            assertThat(verify.out().lines().skip(1).findFirst()).as(verify.out()).hasValue("warning: " + warning);
            CliTest.Run plan = run("plan", "--url", server.jdbcUrl("feeds"), "--user", "postgres", "--format", "sql");
            assertThat(plan.out()).as(plan.out()).startsWith("-- warning: " + warning + "\n");
            CliTest.Run json = run("verify", "--url", server.jdbcUrl("feeds"), "--user", "postgres", "--format",
                    "json");
            assertThat(json.out()).contains("\"enabledSubscriptions\": [\"\\\"still feeding\\\"\"],");

            CliTest.Run run = run("repair", "--url", server.jdbcUrl("postgres"), "--user", "postgres", "--database",
                    "feeds", "--database", "shop");
            assertThat(run.code()).as(run.out()).isEqualTo(ExitCode.DRIFT);
            assertThat(run.out()).contains("== database feeds (1 of 2): refused")
                    .contains("seqguard: refused: ").contains("still feeding")
                    .contains("== database shop (2 of 2): aligned")
                    .endsWith("verdict: refused (exit 3)\n");
            assertThat(queryIn("shop", "SELECT nextval('orders_id_seq')")).isEqualTo(31L);
            assertThat(queryIn("feeds", "SELECT last_value FROM t_id_seq")).as("refused: not moved").isEqualTo(1L);
        } finally {
            in("feeds", "ALTER SUBSCRIPTION \"still feeding\" DISABLE",
                    "ALTER SUBSCRIPTION \"still feeding\" SET (slot_name = NONE)",
                    "DROP SUBSCRIPTION \"still feeding\"");
        }
    }

    @Test
    void theJsonIsADocumentOfItsOwnHoldingEachDatabasesReportInItsOwnShape() throws Exception {
        CliTest.Run single = run("repair", "--url", server.jdbcUrl("shop"), "--user", "postgres", "--format",
                "json");
        JsonNode alone = new ObjectMapper().readTree(single.out());
        in("shop", "SELECT setval('orders_id_seq', 1, false)");

        CliTest.Run run = run("repair", "--url", server.jdbcUrl("postgres"), "--user", "postgres", "--database",
                "shop", "--database", HOSTILE, "--database", "gone", "--format", "json");
        assertThat(run.code()).isEqualTo(ExitCode.FAILURE);
        JsonNode doc = new ObjectMapper().readTree(run.out());
        assertThat(doc.get("databasesFormatVersion").asInt()).isEqualTo(1);
        assertThat(doc.has("formatVersion")).as("not a single-database report").isFalse();
        assertThat(doc.get("operation").asText()).isEqualTo("repair");
        assertThat(doc.get("server").asText()).isEqualTo("127.0.0.1:" + server.port());
        assertThat(doc.get("outcome").asText()).isEqualTo("failed");
        assertThat(doc.get("exitCode").asInt()).isEqualTo(ExitCode.FAILURE);
        assertThat(doc.get("notChecked")).isEmpty();
        JsonNode databases = doc.get("databases");
        assertThat(databases).hasSize(3);

        JsonNode shop = databases.get(0);
        assertThat(shop.get("database").asText()).isEqualTo("shop");
        assertThat(shop.get("outcome").asText()).isEqualTo("aligned");
        assertThat(shop.get("exitCode").asInt()).isZero();
        assertThat(shop.get("failure").isNull()).isTrue();
        JsonNode report = shop.get("report");
        assertThat(fieldNames(report)).as("the single-database shape").isEqualTo(fieldNames(alone));
        assertThat(fieldNames(report.get("sequences").get(0))).isEqualTo(fieldNames(alone.get("sequences").get(0)));
        assertThat(report.get("formatVersion").asInt()).isEqualTo(1);
        assertThat(report.get("sequences").get(0).get("action").asText()).isEqualTo("repaired");

        assertThat(databases.get(1).get("database").asText()).isEqualTo(HOSTILE);
        assertThat(databases.get(1).get("report").get("database").asText()).isEqualTo(HOSTILE);
        JsonNode gone = databases.get(2);
        assertThat(gone.get("outcome").asText()).isEqualTo("failed");
        assertThat(gone.get("exitCode").asInt()).isEqualTo(ExitCode.FAILURE);
        assertThat(gone.get("report").isNull()).isTrue();
        assertThat(gone.get("failure").asText()).contains("does not exist");
    }

    /**
     * The script of several databases, run as a runbook runs it ({@code psql -f}), moves every database's sequences in
     * that database: {@code \\connect} reaches a name with quotes of both kinds, and names psql would read as an
     * option or a connection string, each holding a table of the same name as shop's.
     */
    @Test
    void planAsSqlIsOnePsqlScriptConnectingToEachDatabase() throws Exception {
        List<String> lookAlikes = List.of("-reuse-previous=on", "dbname=shop");
        for (int i = 0; i < lookAlikes.size(); i++) {
            admin.execute("DROP DATABASE IF EXISTS " + q(lookAlikes.get(i)), "CREATE DATABASE " + q(lookAlikes.get(i)));
            in(lookAlikes.get(i), "CREATE TABLE orders (id serial PRIMARY KEY)",
                    "INSERT INTO orders SELECT g FROM generate_series(1, " + (40 + 10 * i) + ") g");
        }
        try {
            in(HOSTILE, "SELECT setval('\"Order Lines; DROP TABLE x_id_seq\"', 1, false)");
            CliTest.Run run = run("plan", "--url", server.jdbcUrl("postgres"), "--user", "postgres", "--database",
                    "shop", "--database", lookAlikes.get(0), "--database", lookAlikes.get(1), "--database", HOSTILE,
                    "--format", "sql");
            assertThat(run.code()).isEqualTo(ExitCode.DRIFT);
            assertThat(run.out())
                    .startsWith("-- database shop: drift\n\\connect -reuse-previous=on \"dbname='shop'\"\n")
                    .contains("SELECT setval('public.orders_id_seq', 30, true) FROM public.orders_id_seq WHERE")
                    .contains("\\connect -reuse-previous=on \"dbname='Lägacy \\'db\"\"; DROP DATABASE x'\"\n");

            // Debian's psql, which .ci/run installs and requires; the embedded server's binaries have none
            if (!onPath("psql")) {
                String missing = "psql is not installed (Debian: postgresql-client)";
                assertThat(Boolean.getBoolean("seqguard.test.require-psql"))
                        .as(missing + "; seqguard.test.require-psql is true, so this test must run").isFalse();
                org.junit.jupiter.api.Assumptions.abort(missing);
            }
            java.nio.file.Path script = java.nio.file.Files.createTempFile("seqguard-plan", ".sql");
            java.nio.file.Files.writeString(script, run.out());
            Process psql = new ProcessBuilder("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p",
                    String.valueOf(server.port()), "-U", "postgres", "-d", "postgres", "-f", script.toString())
                    .redirectErrorStream(true).start();
            String said = new String(psql.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(psql.waitFor()).as(said).isZero();
            java.nio.file.Files.delete(script);
            assertThat(queryIn("shop", "SELECT nextval('orders_id_seq')")).isEqualTo(31L);
            assertThat(queryIn(lookAlikes.get(0), "SELECT nextval('orders_id_seq')")).isEqualTo(41L);
            assertThat(queryIn(lookAlikes.get(1), "SELECT nextval('orders_id_seq')")).isEqualTo(51L);
            assertThat(queryIn(HOSTILE, "SELECT nextval('\"Order Lines; DROP TABLE x_id_seq\"')")).isEqualTo(8L);
        } finally {
            for (String name : lookAlikes) {
                admin.execute("DROP DATABASE IF EXISTS " + q(name));
            }
        }
    }

    /** A warning of a run of several databases names the database it is about: each says it once. */
    @Test
    void aWarningOfSeveralDatabasesNamesItsDatabase() {
        java.io.PrintStream saved = System.err;
        java.io.ByteArrayOutputStream logged = new java.io.ByteArrayOutputStream();
        CliTest.Run run;
        try {
            // the command line logs through slf4j-simple to System.err, read at every line
            System.setErr(new java.io.PrintStream(logged, true, java.nio.charset.StandardCharsets.UTF_8));
            run = run("verify", "--url", server.jdbcUrl("postgres"), "--user", "postgres", "--database", "shop",
                    "--database", HOSTILE, "--allow-unverified", "public.no_such_seq");
        } finally {
            System.setErr(saved);
        }
        assertThat(run.code()).as(run.out()).isEqualTo(ExitCode.DRIFT);
        String warnings = logged.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(warnings.lines().filter(l -> l.contains("which is no sequence in scope")))
                .as(warnings).hasSize(2)
                .anySatisfy(l -> assertThat(l).contains("seqguard verify of database shop: --allow-unverified names"))
                .anySatisfy(l -> assertThat(l).contains("seqguard verify of database " + q(HOSTILE) + ": "));
    }

    /** --all-databases lists the databases through the one --url names: one that does not exist is said so. */
    @Test
    void allDatabasesThroughADatabaseThatDoesNotExistSaysWhichToGive() {
        CliTest.Run run = run("verify", "--url", server.jdbcUrl("no such db"), "--user", "postgres",
                "--all-databases");
        assertThat(run.code()).isEqualTo(ExitCode.FAILURE);
        assertThat(run.err()).as(run.err()).contains("--all-databases: could not list the databases of the server")
                .contains("The databases are listed through the one --url names: give one the role may connect to "
                        + "(postgres, say), and --all-databases covers the rest");
    }

    @Test
    void aDatabaseNameIsWrittenAsPsqlsConnectTakesIt() {
        // a line break only in single quotes: there a quote is '' and a backslash doubled, over the conninfo's own
        assertThat(DatabasesReport.connectArguments("a\\b'c\nd"))
                .isEqualTo("-reuse-previous=on 'dbname=''a\\\\\\\\b\\\\''c\\nd'''");
        assertThat(DatabasesReport.connectArguments("say \"hi\""))
                .isEqualTo("-reuse-previous=on \"dbname='say \"\"hi\"\"'\"");
        assertThat(DatabasesReport.connectArguments("\"\nx")).as("no line of psql takes it").isNull();
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (java.nio.file.Files.isExecutable(java.nio.file.Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void badCombinationsAreUsageErrors() {
        CliTest.Run both = run("verify", "--url", server.jdbcUrl("postgres"), "--user", "postgres",
                "--all-databases", "--database", "shop");
        assertThat(both.code()).isEqualTo(ExitCode.USAGE);
        assertThat(both.err()).contains("--all-databases and --database: give one of them");
        CliTest.Run sql = run("verify", "--url", server.jdbcUrl("postgres"), "--user", "postgres", "--database",
                "shop", "--format", "sql");
        assertThat(sql.code()).isEqualTo(ExitCode.USAGE);
        assertThat(sql.err()).contains("--format sql lists repair statements");
        CliTest.Run nodes = run("repair", "--url", server.jdbcUrl("postgres"), "--user", "postgres",
                "--all-databases", "--all-nodes");
        assertThat(nodes.code()).isEqualTo(ExitCode.USAGE);
        assertThat(nodes.err()).contains("--all-nodes and --all-databases: give one of them");
        // cutover is one subscription, one database: it has no such option
        CliTest.Run cutover = run("cutover", "--url", server.jdbcUrl("postgres"), "--source",
                server.jdbcUrl("postgres"), "--subscription", "s", "--all-databases");
        assertThat(cutover.code()).isEqualTo(ExitCode.USAGE);
        assertThat(cutover.err()).contains("unknown option '--all-databases'");
    }

    private static CliTest.Run run(String... args) {
        return CliTest.run(Map.of(), args);
    }

    private static List<String> sectionHeaders(String out) {
        return out.lines().filter(l -> l.startsWith("== database ")).toList();
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            names.add(it.next());
        }
        return names;
    }

    private static void in(String database, String... sql) {
        try (var connection = server.dataSource(database).getConnection(); var st = connection.createStatement()) {
            for (String statement : sql) {
                st.execute(statement);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long queryIn(String database, String sql) {
        try (var connection = server.dataSource(database).getConnection(); var st = connection.createStatement();
                var rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String q(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }
}
