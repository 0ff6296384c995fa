package io.seqguard.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.postgresql.util.DriverInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The top-level command: it only lists its subcommands, which {@link Main} adds (only the one asked for, when the
 * command line names one: each costs picocli reflection at start-up).
 */
@Command(name = "seqguard", mixinStandardHelpOptions = true,
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

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCode.USAGE;
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
