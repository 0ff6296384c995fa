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
    private static volatile Logger driverLog;

    /** Loads the driver, the logging and the engine while picocli reads the arguments; null when not started. */
    private static volatile Thread warmUp;

    /** The process's compiler budget; null when the command line runs inside another program (tests). */
    private static volatile CompilerBudget compilerBudget;

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
        compilerBudget = new CompilerBudget();
        Thread thread = new Thread(() -> warmUp(verbose), "seqguard-warm-up");
        thread.setDaemon(true);
        warmUp = thread;
        thread.start();
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true), System.getenv()));
    }

    /**
     * What every command that connects needs, done on a second thread while picocli builds its model and reads the
     * arguments on the first: java.util.logging and the driver (its warnings off unless {@code --verbose}), the
     * logging binding, the engine's classes. Start-up is otherwise one thread's work, and picocli alone takes about
     * as long as all of this.
     */
    private static void warmUp(boolean verbose) {
        try {
            Logger log = Logger.getLogger("org.postgresql");
            if (!verbose) {
                // the driver's own warnings (java.util.logging) repeat, in another format, what the report or the
                // one failure line says
                log.setLevel(Level.OFF);
            }
            driverLog = log;
            ClassLoader loader = Main.class.getClassLoader();
            for (String name : List.of("org.postgresql.Driver", "org.slf4j.LoggerFactory", "io.seqguard.GuardOption",
                    "io.seqguard.StartupGuard", "io.seqguard.SequenceAligner", "io.seqguard.internal.GuardRunner",
                    "io.seqguard.internal.Engine", "io.seqguard.internal.Session", "io.seqguard.internal.ServerFacts",
                    "org.postgresql.core.v3.ConnectionFactoryImpl", "org.postgresql.core.v3.QueryExecutorImpl")) {
                Class.forName(name, true, loader);
            }
            org.slf4j.LoggerFactory.getLogger(Main.class);
        } catch (ClassNotFoundException | LinkageError e) {
            // only a head start: the command loads what it needs itself
        }
    }

    /** {@return the process's compiler budget, or null when the command line runs inside another program} */
    static CompilerBudget compilerBudget() {
        return compilerBudget;
    }

    /**
     * Waits for the warm-up, if one runs, before a command connects: the driver's log level is set there. Loading
     * happens once; waiting costs nothing the command would not spend loading it itself.
     */
    static void awaitWarmUp() {
        Thread thread = warmUp;
        if (thread == null) {
            return;
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
            // a CommandLine of its own: picocli applies a command's model transformer only to one made so
            commandLine.addSubcommand(new CommandLine(new AlignCommand.Verify(environment)));
        }
        if (!one || named.equals("plan")) {
            commandLine.addSubcommand(new CommandLine(new AlignCommand.Plan(environment)));
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
