package io.seqguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Help, version and mistyped input: what a person meets before any database is involved. */
class CliHelpTest {

    private static final List<String> ALIGN_OPTIONS = List.of("--url", "--user", "--password", "--source",
            "--source-user", "--source-password", "--schema", "--exclude", "--map", "--allocation", "--margin",
            "--allow-unverified", "--jobs", "--lock-timeout", "--statement-timeout", "--format", "--verbose",
            "-h, --help", "-V, --version");

    private static CliTest.Run run(String... args) {
        return CliTest.run(Map.of(), args);
    }

    @ParameterizedTest
    @ValueSource(strings = {"verify", "plan", "repair", "cutover"})
    void everyAlignCommandAnswersHelpWithItsOptionsAndNoUrl(String command) {
        for (String help : new String[] {"--help", "-h"}) {
            CliTest.Run run = run(command, help);
            assertThat(run.code()).as(command + " " + help + ": " + run.err()).isEqualTo(ExitCode.ALIGNED);
            assertThat(run.err()).isEmpty();
            assertThat(run.out()).startsWith("Usage: seqguard " + command).contains(ALIGN_OPTIONS)
                    .contains("Exit codes:").contains("Example:", "  seqguard " + command + " --url");
        }
        if (command.equals("cutover")) {
            assertThat(run(command, "--help").out()).contains("--subscription", "--disable-subscription",
                    "--catch-up-timeout");
        }
        // picocli's help command says the same
        assertThat(run("help", command).out()).isEqualTo(run(command, "--help").out());
    }

    @Test
    void verifyAndPlanListNoRepairOnlyOptionYetAcceptThem() {
        for (String command : new String[] {"verify", "plan"}) {
            String help = run(command, "--help").out();
            assertThat(help).as(command).doesNotContain("--lock-wait-timeout");
            assertThat(run("help", command).out()).isEqualTo(help);
        }
        assertThat(run("repair", "--help").out()).contains("--lock-wait-timeout");
        assertThat(run("verify", "--help").out()).containsPattern("--format=FORMAT +text or json \\(default: text\\)")
                .doesNotContain("--format sql").doesNotContain("json or sql");
        assertThat(run("plan", "--help").out()).contains("text, json or sql");
        // a runbook gives verify the options it then gives repair: a hidden option still parses (here up to the
        // missing --url), and --format sql keeps its own answer
        CliTest.Run hidden = run("verify", "--lock-wait-timeout", "5s");
        assertThat(hidden.code()).isEqualTo(ExitCode.USAGE);
        assertThat(hidden.err()).contains("--url").doesNotContain("Unknown option").doesNotContain("unknown option");
        CliTest.Run sql = run("verify", "--url", "jdbc:postgresql://localhost/x", "--format", "sql");
        assertThat(sql.err()).contains(AlignOptions.SQL_FORMAT_ELSEWHERE);
    }

    @Test
    void theDemoAndTheTopLevelAnswerHelp() {
        CliTest.Run demo = run("demo", "-h");
        assertThat(demo.code()).isEqualTo(ExitCode.ALIGNED);
        assertThat(demo.out()).startsWith("Usage: seqguard demo").contains("--verbose", "-h, --help");

        CliTest.Run top = run("--help");
        assertThat(top.code()).isEqualTo(ExitCode.ALIGNED);
        assertThat(top.out()).contains("verify", "plan", "repair", "cutover", "demo", "help",
                "seqguard COMMAND --help");
    }

    @Test
    void versionIsTheBuildsVersion() {
        String expected = System.getProperty("project.version");
        assertThat(expected).as("surefire passes project.version").isNotBlank();
        for (String[] args : new String[][] {{"--version"}, {"-V"}, {"verify", "--version"}}) {
            CliTest.Run run = run(args);
            assertThat(run.code()).isEqualTo(ExitCode.ALIGNED);
            assertThat(run.out().lines().findFirst()).as(String.join(" ", args)).hasValue("seqguard " + expected);
            assertThat(run.out()).contains("PostgreSQL JDBC driver 42.", "Java " + System.getProperty("java.version"));
        }
    }

    @Test
    void aMistypedCommandGetsTheClosestOne() {
        for (String[] typo : new String[][] {{"verfy", "verify"}, {"reapir", "repair"}, {"paln", "plan"},
            {"Demo", "demo"}}) {
            CliTest.Run run = run(typo[0], "--url", "jdbc:postgresql://db/shop");
            assertThat(run.code()).isEqualTo(ExitCode.USAGE);
            assertThat(run.err().lines()).first().asString()
                    .startsWith("seqguard: '" + typo[0] + "' is not a seqguard command (")
                    .endsWith("Did you mean '" + typo[1] + "'?");
            assertThat(run.err()).contains("Try 'seqguard --help'");
        }
        CliTest.Run unrelated = run("migrate");
        assertThat(unrelated.code()).isEqualTo(ExitCode.USAGE);
        assertThat(unrelated.err())
                .contains("'migrate' is not a seqguard command (cutover, demo, help, plan, repair, verify)")
                .doesNotContain("Did you mean");
    }

    @Test
    void aMistypedOptionGetsTheClosestOneOfItsCommand() {
        CliTest.Run run = run("verify", "--url", "jdbc:postgresql://db/shop", "--shema", "public");
        assertThat(run.code()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err().lines()).containsExactly(
                "seqguard verify: unknown option '--shema'. Did you mean '--schema'?",
                "Try 'seqguard verify --help' for more information.");

        CliTest.Run equals = run("repair", "--url", "jdbc:postgresql://db/shop", "--lock-timout=5s");
        assertThat(equals.err()).contains("unknown option '--lock-timout'. Did you mean '--lock-timeout'?");

        CliTest.Run far = run("plan", "--url", "jdbc:postgresql://db/shop", "--dry-run");
        assertThat(far.err()).contains("unknown option '--dry-run'.").doesNotContain("Did you mean");
    }

    @Test
    void aMissingUrlPointsAtTheCommandsHelp() {
        CliTest.Run run = run("verify");
        assertThat(run.code()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("Missing required option: '--url=JDBC_URL'")
                .contains("Try 'seqguard verify --help'");
    }

    @Test
    void editDistanceCountsASwapAsOneEdit() {
        assertThat(UsageErrorHandler.distance("reapir", "repair")).isEqualTo(1);
        assertThat(UsageErrorHandler.distance("verfy", "verify")).isEqualTo(1);
        assertThat(UsageErrorHandler.distance("", "plan")).isEqualTo(4);
        assertThat(UsageErrorHandler.suggestion("xy", List.of("demo", "plan"))).isEmpty();
    }
}
