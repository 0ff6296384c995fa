package io.seqguard.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;

/** Entry point of {@code java -jar seqguard.jar}. */
public final class Main {

    /** Held, so that the level set on it stays: java.util.logging keeps its loggers weakly. */
    private static final Logger DRIVER_LOG = Logger.getLogger("org.postgresql");

    private Main() {
    }

    /**
     * Runs the command line and exits with its code: 0 aligned, 3 drift or not repairable, 2 usage error, 1 failure.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        // before any logger exists: the CLI prints its own report, the library's log lines only with --verbose
        boolean verbose = java.util.Arrays.asList(args).contains("--verbose");
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "info" : "warn");
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        if (!verbose) {
            // repair runs the startup guard, whose ERROR line repeats the failure this command prints as its one line
            System.setProperty("org.slf4j.simpleLogger.log.io.seqguard.StartupGuard", "off");
            // the driver's own warnings (java.util.logging) repeat, in another format, what the report or the one
            // failure line says
            DRIVER_LOG.setLevel(Level.OFF);
        }
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true), System.getenv()));
    }

    /**
     * Runs the command line with the given streams and environment (tests call this directly).
     *
     * @param args the command line
     * @param out where reports go
     * @param err where failures and usage errors go
     * @param environment the variables (PGPASSWORD, PGSOURCEPASSWORD)
     * @return the exit code
     */
    public static int run(String[] args, PrintWriter out, PrintWriter err, Map<String, String> environment) {
        CommandLine commandLine = commandLine(args, environment);
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setExecutionExceptionHandler(new FailureHandler());
        commandLine.setParameterExceptionHandler(new UsageErrorHandler());
        int code = commandLine.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /**
     * The command line with the subcommand the arguments name, or with all of them when they name none (help, the
     * version, a mistyped command, which then gets the closest one): picocli reflects over each subcommand it is
     * given, a cost every start would pay for commands it does not run. The demo's classes load only for the demo.
     */
    static CommandLine commandLine(String[] args, Map<String, String> environment) {
        CommandLine commandLine = new CommandLine(new SeqguardCommand());
        String named = args.length > 0 ? args[0] : "";
        boolean one = List.of("verify", "plan", "repair", "cutover", "demo").contains(named);
        if (!one || named.equals("verify")) {
            commandLine.addSubcommand(new AlignCommand.Verify(environment));
        }
        if (!one || named.equals("plan")) {
            commandLine.addSubcommand(new AlignCommand.Plan(environment));
        }
        if (!one || named.equals("repair")) {
            commandLine.addSubcommand(new AlignCommand.Repair(environment));
        }
        if (!one || named.equals("cutover")) {
            commandLine.addSubcommand(new AlignCommand.Cutover(environment));
        }
        if (!one || named.equals("demo")) {
            commandLine.addSubcommand(new DemoCommand());
        }
        if (!one) {
            commandLine.addSubcommand(new CommandLine.HelpCommand());
        }
        return commandLine;
    }
}
