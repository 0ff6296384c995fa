package io.seqguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.seqguard.test.PostgresTest;
import io.seqguard.test.TestDatabase;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.sql.Connection;
import java.sql.Statement;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What an SRE reads at the terminal: options named as the command line spells them, values as they were typed,
 * names that match nothing said, no password echoed, no hang on a port that never answers, and a saved SQL script
 * that says what it does not fix. Where the log or standard input matter, the CLI runs as a process of its own.
 */
@PostgresTest
class CliWordsTest {

    private final TestDatabase db;
    private final List<ServerSocket> servers = new ArrayList<>();
    private final List<Socket> held = new ArrayList<>();

    CliWordsTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void schema() {
        db.execute("DROP SCHEMA IF EXISTS words CASCADE", "CREATE SCHEMA words",
                "CREATE TABLE words.\"Order Lines; DROP TABLE x\" (id bigserial PRIMARY KEY)",
                "INSERT INTO words.\"Order Lines; DROP TABLE x\" VALUES (40)",
                "CREATE SEQUENCE words.invoice_number_seq",
                "CREATE SEQUENCE words.tiny MAXVALUE 10",
                "CREATE TABLE words.full_t (id int DEFAULT nextval('words.tiny'))",
                "INSERT INTO words.full_t VALUES (50)");
    }

    @AfterEach
    void stopServers() throws IOException {
        for (Socket socket : held) {
            socket.close();
        }
        for (ServerSocket server : servers) {
            server.close();
        }
    }

    @Test
    void configurationErrorsNameTheOptionAndTheValueAsTyped() {
        CliTest.Run zero = CliTest.run(Map.of(), "verify", "--url", db.jdbcUrl(), "--statement-timeout", "0s");
        assertThat(zero.code()).isEqualTo(ExitCode.USAGE);
        assertThat(zero.err()).startsWith("seqguard: --statement-timeout: must be between 1 ms and 24 days, was 0 ms");

        CliTest.Run month = CliTest.run(Map.of(), "repair", "--url", db.jdbcUrl(), "--lock-timeout", "30d");
        assertThat(month.code()).isEqualTo(ExitCode.USAGE);
        assertThat(month.err()).startsWith("seqguard: --lock-timeout: must be between 1 ms and 24 days, was 30 d");

        CliTest.Run list = CliTest.run(Map.of(), "verify", "--url", db.jdbcUrl(), "--allow-unverified", "a.b.c");
        assertThat(list.code()).isEqualTo(ExitCode.USAGE);
        assertThat(list.err()).startsWith("seqguard: --allow-unverified: ").doesNotContain("allowUnverified");

        // a name is checked as it is set, before anything connects
        CliTest.Run quote = CliTest.run(Map.of(), "verify", "--url", db.jdbcUrl(), "--user", "postgres",
                "--exclude", "words.or\"ders");
        assertThat(quote.code()).isEqualTo(ExitCode.USAGE);
        assertThat(quote.err()).startsWith("seqguard: --exclude: 'words.or\"ders' has an unclosed double quote")
                .doesNotContain("excludeSequences");

        // a schema whose name has capitals and a semicolon: the hint is what to paste into the shell
        db.execute("DROP SCHEMA IF EXISTS \"Words; X\" CASCADE", "CREATE SCHEMA \"Words; X\"");
        CliTest.Run folded = CliTest.run(Map.of(), "verify", "--url", db.jdbcUrl(), "--user", "postgres",
                "--schema", "Words; X");
        assertThat(folded.code()).isEqualTo(ExitCode.USAGE);
        assertThat(folded.err()).contains("This database has \"Words; X\": write the name in double quotes, as SQL "
                + "does, to keep its case (--schema '\"Words; X\"')");
        db.execute("DROP SCHEMA \"Words; X\"");

        CliTest.Run bare = CliTest.run(Map.of(), "verify", "--url", db.jdbcUrl(), "--lock-timeout", "10");
        assertThat(bare.code()).as("a bare number is not guessed to be milliseconds").isEqualTo(ExitCode.USAGE);
        assertThat(bare.err()).contains("'10' has no unit: write 10s, 10ms or 10m");
    }

    @Test
    void aUserAndPasswordBeforeTheHostAreRefusedWithoutEchoingThePassword() {
        for (String verbose : new String[] {"--jobs=2", "--verbose"}) {
            CliTest.Run run = CliTest.run(Map.of(), "verify", "--url",
                    "jdbc:postgresql://app:s3cret@127.0.0.1:5432/shop", verbose);
            assertThat(run.code()).isEqualTo(ExitCode.USAGE);
            assertThat(run.out() + run.err()).doesNotContain("s3cret");
            assertThat(run.err()).contains("--user").contains("PGPASSWORD");
        }
        CliTest.Run source = CliTest.run(Map.of(), "verify", "--url", db.jdbcUrl(), "--source",
                "jdbc:postgresql://old@10.0.0.1/shop");
        assertThat(source.code()).isEqualTo(ExitCode.USAGE);
        assertThat(source.err()).contains("--source").contains("--source-user");
    }

    /** The guard's failures speak as the command that ran it, not as an application's startup guard. */
    @Test
    void aRepairThatCannotConnectSpeaksAsTheCommand() {
        CliTest.Run run = CliTest.run(Map.of(), "repair", "--url", "jdbc:postgresql://127.0.0.1:1/none");
        assertThat(run.code()).isEqualTo(ExitCode.FAILURE);
        assertThat(run.err()).startsWith("seqguard: repair could not borrow a connection: ")
                .doesNotContain("startup guard");
    }

    @Test
    void aHostPortTypoIsAUsageError() {
        for (String url : new String[] {"jdbc:postgresql://127.0.0.1:5432:99/shop", "jdbc:postgresql://[::1/shop"}) {
            CliTest.Run run = CliTest.run(Map.of(), "verify", "--url", url);
            assertThat(run.code()).as(url + ": " + run.err()).isEqualTo(ExitCode.USAGE);
            assertThat(run.err()).as(url).contains("jdbc:postgresql://HOST[:PORT]/DATABASE");
        }
    }

    /** A dead port forward or load balancer: the TCP handshake succeeds, then nothing ever comes back. */
    @Test
    void aPortThatAcceptsButNeverAnswersEndsInAFailureThatSaysSo() throws IOException {
        ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        servers.add(silent);
        Thread acceptor = new Thread(() -> {
            while (!silent.isClosed()) {
                try {
                    Socket socket = silent.accept();
                    synchronized (held) {
                        held.add(socket);
                    }
                } catch (IOException e) {
                    // the test closed the server
                }
            }
        }, "silent-" + silent.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
        // the URL's own loginTimeout wins over the CLI's default of 20 s, which keeps this test short
        CliTest.Run run = CliTest.run(Map.of(), "verify", "--url",
                "jdbc:postgresql://127.0.0.1:" + silent.getLocalPort() + "/shop?loginTimeout=2");
        assertThat(run.code()).as(run.err()).isEqualTo(ExitCode.FAILURE);
        assertThat(run.err()).contains("--url: 127.0.0.1:" + silent.getLocalPort() + " accepted the connection but "
                + "never answered: the driver gave up after its login timeout, and a second try did not answer")
                .doesNotContain("is not a PostgreSQL server");
    }

    @Test
    void namesThatMatchNothingAreSaidWithTheSequenceMeant() throws Exception {
        Result run = process("verify", "--url", db.jdbcUrl(), "--user", "postgres", "--schema", "words",
                "--allow-unverified", "invoice_number_seq", "--exclude", "no_such_thing");
        assertThat(run.code()).as("the typo acknowledges nothing: " + run.err()).isEqualTo(ExitCode.DRIFT);
        assertThat(run.err()).contains("--allow-unverified names \"public\".\"invoice_number_seq\", which is no "
                + "sequence in scope, so it acknowledges nothing (did you mean \"words\".\"invoice_number_seq\"?)");
        assertThat(run.err()).contains("--exclude names \"public\".\"no_such_thing\", which is no sequence or table "
                + "a sequence feeds in scope, so it excludes nothing");

        Result right = process("verify", "--url", db.jdbcUrl(), "--user", "postgres", "--schema", "words",
                "--allow-unverified", "words.invoice_number_seq", "--exclude", "words.\"Order Lines; DROP TABLE x\"",
                "--exclude", "words.tiny", "--format", "json");
        assertThat(right.code()).as(right.err()).isEqualTo(ExitCode.ALIGNED);
        assertThat(right.err()).doesNotContain("names");
        assertThat(right.out()).as("an acknowledged sequence is not told how to acknowledge it")
                .contains("\"acknowledged\": true").doesNotContain("acknowledge that it is not verified");
    }

    @Test
    void aNameWithALineBreakStaysOnItsLineAndItsHintCanBePastedBack() throws Exception {
        db.execute("DROP SCHEMA IF EXISTS \"li\nnes\" CASCADE", "CREATE SCHEMA \"li\nnes\"",
                "CREATE SEQUENCE \"li\nnes\".\"in\tvoice's\nverdict: aligned\"");
        try {
            CliTest.Run run = CliTest.run(Map.of(), "verify", "--url", db.jdbcUrl(), "--user", "postgres",
                    "--schema", "\"li\nnes\"");
            assertThat(run.code()).isEqualTo(ExitCode.INCOMPLETE);
            assertThat(run.out().lines()).as("no line a name could forge")
                    .noneMatch(l -> l.equals("verdict: aligned"))
                    .contains("not verifiable  U&\"li\\000anes\".U&\"in\\0009voice's\\000averdict: aligned\"  "
                            + "1     -       -         none    pooled (default)  0.0%");
            String hint = run.out().substring(run.out().indexOf("(--allow-unverified ") + 1);
            hint = hint.substring(0, hint.indexOf(")\n"));
            String[] words = CliVocabularyTest.shellWords(hint);
            CliTest.Run acknowledged = CliTest.run(Map.of(), "verify", "--url", db.jdbcUrl(), "--user", "postgres",
                    "--schema", "\"li\nnes\"", words[0], words[1]);
            assertThat(acknowledged.code()).as(hint + ": " + acknowledged.out()).isEqualTo(ExitCode.ALIGNED);
        } finally {
            db.execute("DROP SCHEMA \"li\nnes\" CASCADE");
        }
    }

    @Test
    void aRepairNamesWhatItMovedAtInfo() throws Exception {
        Result run = process("repair", "--url", db.jdbcUrl(), "--user", "postgres", "--schema", "words",
                "--exclude", "words.tiny", "--allow-unverified", "words.invoice_number_seq", "--verbose");
        assertThat(run.code()).as(run.err()).isEqualTo(ExitCode.ALIGNED);
        assertThat(run.err()).contains("INFO io.seqguard.SequenceAligner - seqguard repair of database " + db.name()
                + " moved 1 sequence(s) forward (next value before -> after): "
                + "words.\"Order Lines; DROP TABLE x_id_seq\" (1 -> 41)\n");
    }

    @Test
    void theAllocationRuleIsTheDefaultUnlessGiven() {
        CliTest.Run plain = CliTest.run(Map.of(), "verify", "--url", db.jdbcUrl(), "--user", "postgres", "--schema",
                "words", "--format", "json");
        assertThat(plain.out()).contains("\"allocationSource\": \"default\"").doesNotContain("\"property\"");
        CliTest.Run given = CliTest.run(Map.of(), "verify", "--url", db.jdbcUrl(), "--user", "postgres", "--schema",
                "words", "--format", "json", "--allocation", "plain");
        assertThat(given.out()).contains("\"allocationSource\": \"property\"");
    }

    /** A script saved by a runbook is read later without the log: it says itself what it leaves. */
    @Test
    void aSqlScriptSaysTheVerdictAndWhatItDoesNotFix() {
        CliTest.Run plan = CliTest.run(Map.of(), "plan", "--url", db.jdbcUrl(), "--user", "postgres", "--schema",
                "words", "--format", "sql");
        assertThat(plan.code()).isEqualTo(ExitCode.DRIFT);
        assertThat(plan.out()).contains("SELECT setval(")
                .startsWith("-- verdict: drift; not fixed by this script:\n")
                .contains("-- words.tiny (exhausted): ")
                .contains("-- words.invoice_number_seq (not_verifiable): no column uses it");
        db.execute(plan.out()); // the comments keep it a script that runs
        CliTest.Run after = CliTest.run(Map.of(), "plan", "--url", db.jdbcUrl(), "--user", "postgres", "--schema",
                "words", "--format", "sql", "--exclude", "words.tiny", "--allow-unverified", "all");
        assertThat(after.code()).as(after.err()).isEqualTo(ExitCode.ALIGNED);
        assertThat(after.out()).isEmpty();
    }

    /** A migration holding the table: the read gives up at --lock-timeout, and the report says why and what to do. */
    @Test
    void aReadThatWaitedForALockSaysSoAndNamesTheOption() throws Exception {
        try (Connection holder = db.dataSource().getConnection(); Statement st = holder.createStatement()) {
            holder.setAutoCommit(false);
            st.execute("LOCK TABLE words.\"Order Lines; DROP TABLE x\" IN ACCESS EXCLUSIVE MODE");
            CliTest.Run run = CliTest.run(Map.of(), "verify", "--url", db.jdbcUrl(), "--user", "postgres",
                    "--schema", "words", "--exclude", "words.tiny", "--allow-unverified", "words.invoice_number_seq",
                    "--lock-timeout", "200ms");
            holder.rollback();
            assertThat(run.code()).as(run.err()).isEqualTo(ExitCode.INCOMPLETE);
            assertThat(run.out() + run.err()).contains("waited longer than the lock timeout for a lock another "
                    + "session holds on the table").contains("raise --lock-timeout").doesNotContain("Position:");
        }
    }

    @Test
    void aPasswordOptionWithNothingToReadItFromIsAUsageError() throws Exception {
        Result run = process("verify", "--url", db.jdbcUrl(), "--user", "postgres", "--password");
        assertThat(run.code()).as(run.err()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("--password: no password was given: standard input is not a terminal and had no "
                + "line to read it from; pipe it in, or set the PGPASSWORD variable and leave --password out")
                .doesNotContain("prompt");
        assertThat(run.out()).isEmpty();
        // an empty value (PW unset in --password="$PW") is not a request to read standard input
        Result empty = processWithInput("not-this\n", "verify", "--url", db.jdbcUrl(), "--user", "postgres",
                "--password=");
        assertThat(empty.code()).isEqualTo(ExitCode.USAGE);
        assertThat(empty.err()).contains("--password: the value is empty; give the password, or leave the value out "
                + "to be asked for it, or set the PGPASSWORD variable and leave --password out");
    }

    /** What one CLI process wrote and returned; its standard input is empty, as in a job without a terminal. */
    record Result(int code, String out, String err) {
    }

    private static Result process(String... args) throws Exception {
        return processWithInput(null, args);
    }

    /** A CLI process whose standard input is a pipe the text given is written to, or empty (/dev/null) for null. */
    static Result processWithInput(String input, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        File out = File.createTempFile("seqguard-out", ".txt");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out);
            if (input == null) {
                builder.redirectInput(new File("/dev/null"));
            }
            Process process = builder.start();
            try (OutputStream stdin = process.getOutputStream()) {
                if (input != null) {
                    stdin.write(input.getBytes(StandardCharsets.UTF_8));
                }
            }
            String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            int code = process.waitFor();
            return new Result(code, Files.readString(out.toPath()), err);
        } finally {
            out.delete();
        }
    }
}
