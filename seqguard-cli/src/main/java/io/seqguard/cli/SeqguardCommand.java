package io.seqguard.cli;

import io.seqguard.SeqguardException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.function.IntSupplier;
import org.postgresql.util.DriverInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The top-level command: it only lists its subcommands. */
@Command(name = "seqguard", mixinStandardHelpOptions = true,
        subcommands = {DemoCommand.class, CommandLine.HelpCommand.class},
        versionProvider = SeqguardCommand.Version.class,
        description = "Keeps PostgreSQL sequences ahead of their data: run after replication stops and before the "
                + "first application write.",
        footer = {"", "Help on one command: seqguard COMMAND --help", "", SeqguardCommand.EXIT_CODES,
            SeqguardCommand.EXIT_CODES_CONTINUED})
final class SeqguardCommand implements Callable<Integer> {

    /** The exit codes in the help, in two lines that fit 80 columns. */
    static final String EXIT_CODES = "Exit codes: 0 aligned, 3 drift (or a refused repair), 4 incomplete (a";
    static final String EXIT_CODES_CONTINUED = "            sequence not verified), 2 usage error, 1 failure.";

    @Spec
    private CommandSpec spec;

    SeqguardCommand(Map<String, String> environment) {
        this.environment = environment;
    }

    private final Map<String, String> environment;

    @Command(name = "verify", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
            description = "Compare every sequence with its data; change nothing.",
            footer = {"", "Example:", "  seqguard verify --url jdbc:postgresql://db/shop --user app --schema public",
                "",
                SeqguardCommand.EXIT_CODES, SeqguardCommand.EXIT_CODES_CONTINUED})
    int verify(@CommandLine.Mixin AlignOptions options) {
        return explained(options, () -> new AlignRun(subcommand("verify"), options, environment).verify());
    }

    @Command(name = "plan", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
            description = "Like verify, and list the forward-only SQL a repair would run.",
            footer = {"", "Example:", "  seqguard plan --url jdbc:postgresql://db/shop --user app --format sql", "",
                SeqguardCommand.EXIT_CODES, SeqguardCommand.EXIT_CODES_CONTINUED})
    int plan(@CommandLine.Mixin AlignOptions options) {
        return explained(options, () -> new AlignRun(subcommand("plan"), options, environment).plan());
    }

    @Command(name = "repair", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
            description = {"Move every lagging sequence forward (never backwards).",
                "Follows the startup guard's rules: takes the seqguard advisory lock (waits at most 60 s for another "
                        + "instance), refuses a standby and a database an enabled subscription still feeds."},
            footer = {"", "Example:", "  seqguard repair --url jdbc:postgresql://db/shop --user admin --format json",
                "",
                SeqguardCommand.EXIT_CODES, SeqguardCommand.EXIT_CODES_CONTINUED})
    int repair(@CommandLine.Mixin AlignOptions options) {
        return explained(options, () -> new AlignRun(subcommand("repair"), options, environment).repair());
    }

    @Command(name = "cutover", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
            description = {"Finish a cutover by logical replication in one step: wait until the subscription has "
                    + "applied everything the old primary (--source) had written, refusing while it still writes; on "
                    + "PostgreSQL 19 synchronize the sequences one last time; disable the subscription "
                    + "(--disable-subscription, else stop before the repair and print the statement); repair with the "
                    + "old primary as witness; verify.",
                "Every step prints its state on standard error; the repair's report goes to standard output."},
            footer = {"", "Example:", "  seqguard cutover --url jdbc:postgresql://new/shop --source "
                    + "jdbc:postgresql://old/shop --user admin --subscription from_old --disable-subscription "
                    + "--format json", "", SeqguardCommand.EXIT_CODES, SeqguardCommand.EXIT_CODES_CONTINUED})
    int cutover(@CommandLine.Mixin AlignOptions options, @CommandLine.Mixin CutoverOptions cutover) {
        return explained(options, () -> new AlignRun(subcommand("cutover"), options, environment).cutover(cutover));
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCode.USAGE;
    }

    /** The subcommand's own command line: its usage errors then point at its own help. */
    private CommandLine subcommand(String name) {
        return spec.commandLine().getSubcommands().get(name);
    }

    /** A connection failure the driver describes vaguely is said again with the host or port at fault. */
    private static int explained(AlignOptions options, IntSupplier run) {
        try {
            return run.getAsInt();
        } catch (SeqguardException e) {
            String explanation = ServerProbe.explain(e, ServerProbe.urls(options));
            if (explanation == null) {
                throw e;
            }
            throw new SeqguardException(explanation, e);
        }
    }

    /** The version the build wrote into {@code version.properties}, with the driver's and Java's. */
    static final class Version implements CommandLine.IVersionProvider {

        @Override
        public String[] getVersion() {
            return new String[] {"seqguard " + version(),
                "PostgreSQL JDBC driver " + DriverInfo.DRIVER_VERSION + ", Java " + System.getProperty("java.version")};
        }

        static String version() {
            try (InputStream in = SeqguardCommand.class.getResourceAsStream("version.properties")) {
                Properties properties = new Properties();
                properties.load(in);
                return properties.getProperty("version");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
