package io.seqguard.cli;

import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;

/** Entry point of {@code java -jar seqguard.jar}. */
public final class Main {

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
        }
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true), System.getenv()));
    }

    /**
     * Runs the command line with the given streams and environment (tests call this directly).
     *
     * @return the exit code
     */
    public static int run(String[] args, PrintWriter out, PrintWriter err, Map<String, String> environment) {
        CommandLine commandLine = new CommandLine(new SeqguardCommand(environment));
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setExecutionExceptionHandler(new FailureHandler());
        commandLine.setParameterExceptionHandler((e, arguments) -> {
            e.getCommandLine().getErr().println("seqguard: " + e.getMessage());
            e.getCommandLine().getErr().println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName()
                    + " --help' for more information.");
            return ExitCode.USAGE;
        });
        int code = commandLine.execute(args);
        out.flush();
        err.flush();
        return code;
    }
}
