package io.seqguard.cli;

import io.seqguard.AlignerConfiguration;
import io.seqguard.AlignmentReport;
import io.seqguard.Cutover;
import io.seqguard.CutoverException;
import io.seqguard.CutoverResult;
import io.seqguard.GuardMode;
import io.seqguard.IncompleteAction;
import io.seqguard.RepairAction;
import io.seqguard.SequenceAligner;
import io.seqguard.SeqguardException;
import io.seqguard.SequenceMapping;
import io.seqguard.StandbyAction;
import io.seqguard.StartupGuard;
import io.seqguard.StartupGuardException;
import io.seqguard.SubscriptionAction;
import io.seqguard.UnknownObjectException;
import java.time.Duration;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import picocli.CommandLine;

/** One verify, plan or repair from the command line: options to configuration, report to output, code to exit. */
final class AlignRun {

    /** A runbook step may read big unindexed tables; the statement timeout bounds each read. */
    private static final Duration RUN_TIME_LIMIT = Duration.ofHours(6);
    /** How long opening one connection may take, the server's authentication included. */
    private static final int LOGIN_TIMEOUT_SECONDS = 20;

    private final CommandLine commandLine;
    private final AlignOptions options;
    private final Map<String, String> environment;

    AlignRun(CommandLine commandLine, AlignOptions options, Map<String, String> environment) {
        this.commandLine = commandLine;
        this.options = options;
        this.environment = environment;
    }

    /** Drawn only for a person at a terminal (standard error); tests and pipes get none. */
    private ProgressBar progressBar = ProgressBar.forTerminal();
    /** The database to run on instead of the URL's, for a run over several databases; null for the URL's. */
    private String database;

    /** What one command came to on one database: the report (null when refused), the exit code, the refusal. */
    record Result(AlignmentReport report, int exitCode, String refusal) {
    }

    /** The same run on another database of the server (the source, if any, on its database of that name). */
    AlignRun on(String otherDatabase, ProgressBar bar) {
        AlignRun run = new AlignRun(commandLine, options, environment);
        run.database = otherDatabase;
        run.progressBar = bar;
        return run;
    }

    /**
     * Runs verify, plan or repair and returns what it came to, printing nothing. A failure (connection, server,
     * unknown name) is thrown; a refused repair is a result. A repair runs through the start-up guard, so the command
     * line follows the same rules as every application instance: serialized by the advisory lock, refused on a
     * standby and while a subscription still feeds the database.
     */
    Result result(String command) {
        return result(command, dataSource());
    }

    /** Like {@link #result(String)}, on the given database (a node of a Citus cluster). */
    Result result(String command, DataSource dataSource) {
        switch (command) {
            case "verify": // AlignCommand has refused --format sql for it
                return verdict(aligner(dataSource).verify());
            case "plan":
                return verdict(aligner(dataSource).plan());
            case "repair":
                try {
                    return verdict(repairGuard(dataSource).run().report());
                } catch (StartupGuardException e) {
                    return refusedOrFailed(e);
                }
            default:
                throw new IllegalArgumentException(command);
        }
    }

    /** Prints a result, the report on standard output or the refusal in one line, and returns its exit code. */
    int printed(Result result) {
        if (result.report() != null) {
            print(result.report());
        } else {
            commandLine.getErr().println("seqguard: refused: " + result.refusal());
            printRefusal(result.exitCode(), result.refusal());
        }
        return result.exitCode();
    }

    /**
     * With {@code --format json}, a refusal is a document too, so that a runbook that saves standard output keeps
     * what happened and a gate on {@code .aligned} reads false: the report's first fields, no report.
     */
    private void printRefusal(int exitCode, String refusal) {
        if (options.format != AlignOptions.Format.json) {
            return;
        }
        finishProgress();
        StringBuilder json = new StringBuilder("{\n  \"formatVersion\": 1,\n  \"operation\": \"repair\",\n  "
                + "\"aligned\": false,\n  \"verdict\": null,\n  \"outcome\": \"refused\"");
        json.append(",\n  \"exitCode\": ").append(exitCode).append(",\n  \"refusal\": ");
        Json.string(json, refusal);
        PrintWriter out = commandLine.getOut();
        out.print(json.append("\n}\n"));
        out.flush();
    }

    /** The startup guard a repair runs through, on the given database. */
    StartupGuard repairGuard(DataSource dataSource) {
        try {
            return repairGuardConfiguration(dataSource);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(commandLine, CliVocabulary.INSTANCE.inOptionWords(e));
        }
    }

    private StartupGuard repairGuardConfiguration(DataSource dataSource) {
        return StartupGuard.configure().dataSource(dataSource).mode(GuardMode.REPAIR)
                .aligner(this::configure).onStandby(StandbyAction.FAIL)
                .onEnabledSubscription(SubscriptionAction.REFUSE).onIncomplete(IncompleteAction.FAIL)
                .vocabulary(CliVocabulary.INSTANCE).applicationName("seqguard-cli").timeLimit(RUN_TIME_LIMIT)
                .lockWaitTimeout(options.lockWaitTimeout).load();
    }

    /**
     * The cutover as one command: every step's state on standard error as it happens; on standard output the repair's
     * report (the change record), or with {@code --format json} the cutover's own document ({@link CutoverDocument});
     * the exit code of the final verify, or of the step that refused.
     */
    int cutover(CutoverOptions cutover) {
        if (options.sourceUrl == null) {
            throw new CommandLine.ParameterException(commandLine, "cutover needs the old primary: --source JDBC_URL");
        }
        if (options.format == AlignOptions.Format.sql) {
            throw new CommandLine.ParameterException(commandLine,
                    AlignOptions.SQL_FORMAT_ELSEWHERE);
        }
        if (options.allNodes) {
            throw new CommandLine.ParameterException(commandLine, "--all-nodes works with verify, plan and repair; "
                    + "a cutover into Citus ends with seqguard repair --all-nodes");
        }
        PrintWriter err = commandLine.getErr();
        List<String> steps = new ArrayList<>();
        CutoverResult result;
        try {
            result = Cutover.configure().newPrimary(dataSource()).oldPrimary(sourceDataSource())
                    .subscription(cutover.subscription).disableSubscription(cutover.disableSubscription)
                    .catchUpTimeout(cutover.catchUpTimeout)
                    .listener(line -> {
                        steps.add(line);
                        err.println("seqguard cutover: " + line);
                        err.flush();
                    })
                    .guard(g -> g.aligner(this::configure).onIncomplete(IncompleteAction.FAIL)
                            .vocabulary(CliVocabulary.INSTANCE).applicationName("seqguard-cutover")
                            .timeLimit(RUN_TIME_LIMIT).lockWaitTimeout(options.lockWaitTimeout))
                    .load().run();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(commandLine, CliVocabulary.INSTANCE.inOptionWords(e));
        } catch (CutoverException e) {
            err.println("seqguard: " + e.getMessage());
            int code = e.reason() == CutoverException.Reason.CATCH_UP_TIMEOUT ? ExitCode.FAILURE
                    : e.reason() == CutoverException.Reason.SUBSCRIPTION_NOT_FOUND ? ExitCode.USAGE : ExitCode.DRIFT;
            boolean refused = code == ExitCode.DRIFT;
            printCutover(steps, new CutoverDocument(cutover.subscription, steps, refused ? "refused" : "failed", code,
                    refused ? null : e.getMessage(), refused ? e.getMessage() : null, null, null, null));
            return code;
        } catch (StartupGuardException e) {
            Result repair;
            try {
                repair = refusedOrFailed(e);
            } catch (RuntimeException failure) {
                throw failedCutover(cutover, steps, failure);
            }
            if (repair.report() == null) {
                err.println("seqguard: refused: " + repair.refusal());
            }
            printCutover(steps, new CutoverDocument(cutover.subscription, steps, new Part(repair, null).outcome(),
                    repair.exitCode(), null, repair.refusal(), null, repair.report(), null));
            return repair.exitCode();
        } catch (SeqguardException e) {
            throw failedCutover(cutover, steps, e); // a step failed on a server or its connection
        }
        if (result.stoppedBeforeRepair()) {
            String stopped = "stopped before the repair, which refuses a subscription that is still enabled. "
                    + "Next: run this cutover again with --disable-subscription (it disables the subscription once "
                    + "caught up, then repairs), or run " + result.nextStatement() + " yourself and then seqguard "
                    + "repair with the same --url and --source.";
            err.println("seqguard: " + stopped);
            printCutover(steps, new CutoverDocument(cutover.subscription, steps, "stopped before the repair",
                    ExitCode.DRIFT, null, stopped, result.nextStatement(), null, null));
            return ExitCode.DRIFT;
        }
        Result verified = verdict(result.report());
        printCutover(steps, new CutoverDocument(cutover.subscription, steps, new Part(verified, null).outcome(),
                verified.exitCode(), null, null, null, result.repair().report(), result.report()));
        return verified.exitCode();
    }

    /**
     * A failure after some step ran: the document says how far the cutover got (the steps may have disabled the
     * subscription and moved sequences), then the failure goes on to be said and to set the exit code as every
     * command's does.
     */
    private RuntimeException failedCutover(CutoverOptions cutover, List<String> steps, RuntimeException failure) {
        printCutover(steps, new CutoverDocument(cutover.subscription, steps, "failed", FailureHandler.exitCode(failure),
                failure.getMessage(), null, null, null, null));
        return failure;
    }

    /**
     * The cutover's document with {@code --format json}, once some step ran (before that, a bad option or an
     * unreachable server is said as for every command); in the other formats the repair's report when there is one
     * (as a repair prints it), else nothing: the steps and why it stopped went to standard error.
     */
    private void printCutover(List<String> steps, CutoverDocument document) {
        if (steps.isEmpty()) {
            return;
        }
        finishProgress();
        PrintWriter out = commandLine.getOut();
        AlignmentReport repair = document.repair();
        if (options.format == AlignOptions.Format.json) {
            try {
                document.writeJson(out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        } else if (repair != null) {
            options.write(out, repair::writeText, repair::writeJson, repair::writeSql);
        }
        out.flush();
    }

    /** A guard refusal with exit 3, or the report it carries, or rethrown as a failure. */
    private static Result refusedOrFailed(StartupGuardException e) {
        switch (e.reason()) {
            case STANDBY:
            case SUBSCRIPTION:
            case SEQUENCE_SYNC:
                return new Result(null, ExitCode.DRIFT, e.getMessage());
            case DRIFT:
            case REPAIR_FAILED:
            case INCOMPLETE:
                if (e.report() == null) {
                    throw e;
                }
                return verdict(e.report());
            default:
                if (e.getCause() instanceof UnknownObjectException unknown) {
                    throw unknown; // a name the user gave: a usage error, said as verify and plan say it
                }
                throw e;
        }
    }

    /** A report's exit code: 3 when a repair failed, else the verdict's. */
    private static Result verdict(AlignmentReport report) {
        boolean failedRepair = !report.withAction(RepairAction.FAILED).isEmpty();
        return new Result(report, failedRepair ? ExitCode.DRIFT : ExitCode.of(report.verdict()), null);
    }

    private void print(AlignmentReport report) {
        finishProgress();
        PrintWriter out = commandLine.getOut();
        options.write(out, report::writeText, report::writeJson, report::writeSql);
        out.flush();
    }

    /** Clears the progress bar, if one is drawn, before something is printed. */
    void finishProgress() {
        if (progressBar != null) {
            progressBar.finish();
        }
    }

    SequenceAligner aligner(DataSource dataSource) {
        AlignerConfiguration configuration = SequenceAligner.configure().dataSource(dataSource)
                .vocabulary(CliVocabulary.INSTANCE);
        configure(configuration);
        return configuration.load();
    }

    /** The options, applied to an aligner's configuration; bad values become usage errors. */
    private void configure(AlignerConfiguration configuration) {
        List<SequenceMapping> mappings = new ArrayList<>();
        for (String mapping : options.mappings) {
            try {
                mappings.add(SequenceMapping.parse(mapping));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(commandLine, "--map " + e.getMessage());
            }
        }
        try {
            configuration.schemas(options.schemas).excludeSequences(options.excludes)
                    .excludeTables(options.excludes).mappings(mappings)
                    .margin(options.margin).jobs(options.jobs).lockTimeout(options.lockTimeout)
                    .statementTimeout(options.statementTimeout).allowUnverified(options.allowUnverified);
            if (options.allocationRule() != null) {
                configuration.allocation(options.allocationRule());
            }
            ProgressBar bar = progressBar;
            CompilerBudget budget = Main.compilerBudget();
            if (bar != null || budget != null) {
                configuration.progressListener((phase, done, total) -> {
                    if (budget != null) {
                        budget.progress(phase, done, total);
                    }
                    if (bar != null) {
                        bar.progress(phase, done, total);
                    }
                });
            }
            if (options.sourceUrl != null) {
                configuration.source(sourceDataSource());
            }
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(commandLine, CliVocabulary.INSTANCE.inOptionWords(e));
        }
    }

    /** The database {@code --url} names, or another one on its server, as the user and password given reach it. */
    PGSimpleDataSource dataSource() {
        PGSimpleDataSource dataSource = dataSource("--url", options.url);
        if (options.user != null) {
            requireOneRole("--user", options.user, "--url", urlUser(dataSource));
            dataSource.setUser(options.user);
        }
        if (options.password != null) {
            dataSource.setPassword(password("--password"));
        } else if (environment.get("PGPASSWORD") != null) {
            dataSource.setPassword(environment.get("PGPASSWORD"));
        }
        if (database != null) {
            dataSource.setDatabaseName(database);
        }
        dataSource.setApplicationName("seqguard");
        return dataSource;
    }

    /**
     * The source: its own user and password. The user is --source-user's, else its URL's user=, else --user's; the
     * password never the target's.
     */
    private DataSource sourceDataSource() {
        PGSimpleDataSource dataSource = dataSource("--source", options.sourceUrl);
        if (database != null) {
            dataSource.setDatabaseName(database);
        }
        // the source URL's own user= names the source's role: --user, the new primary's, is only the default
        String urlUser = urlUser(dataSource);
        if (options.sourceUser != null) {
            requireOneRole("--source-user", options.sourceUser, "--source", urlUser);
        }
        String user = options.sourceUser != null ? options.sourceUser : urlUser != null ? urlUser : options.user;
        if (user != null) {
            dataSource.setUser(user);
        }
        if (options.sourcePassword != null) {
            dataSource.setPassword(password("--source-password"));
        } else if (environment.get("PGSOURCEPASSWORD") != null) {
            dataSource.setPassword(environment.get("PGSOURCEPASSWORD"));
        }
        dataSource.setApplicationName("seqguard-source");
        dataSource.setReadOnly(true);
        return dataSource;
    }

    /** The role a URL names ({@code user=}, or its service's); an empty one names none. */
    private static String urlUser(PGSimpleDataSource dataSource) {
        String user = dataSource.getUser();
        return user == null || user.isBlank() ? null : user;
    }

    /** An option and its URL's {@code user=} naming two roles: which one was meant cannot be told, so neither wins. */
    private void requireOneRole(String option, String user, String urlOption, String urlUser) {
        if (urlUser != null && !urlUser.equals(user)) {
            throw new CommandLine.ParameterException(commandLine, option + " '" + user + "' and user='" + urlUser
                    + "' in the " + urlOption + " URL (or its service) name two roles: give the role once, in " + option
                    + " or in the URL");
        }
    }

    /** The URL's loginTimeout; one the driver cannot read counts as set: the driver warns and goes on with it. */
    private static int loginTimeoutOf(PGSimpleDataSource dataSource) {
        try {
            return dataSource.getLoginTimeout();
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * The password of {@code --password} or {@code --source-password}, given or asked for. It is asked for once: a run
     * over several databases shares the options and connects many times. {@code --password}'s is asked first, so
     * that two lines on standard input come in the options' order. None at all (an empty line, standard input at its
     * end) is a usage error.
     */
    private String password(String option) {
        synchronized (options) {
            requireValue("--password", options.password, "PGPASSWORD");
            requireValue("--source-password", options.sourcePassword, "PGSOURCEPASSWORD");
            if (AlignOptions.ASK.equals(options.password)) {
                options.password = asked("--password", "Password: ", "PGPASSWORD");
            }
            if (option.equals("--password")) {
                return options.password;
            }
            if (AlignOptions.ASK.equals(options.sourcePassword)) {
                options.sourcePassword = asked("--source-password", "Password of the source: ", "PGSOURCEPASSWORD");
            }
            return options.sourcePassword;
        }
    }

    /** An empty value, as {@code --password="$PW"} gives with PW unset, is a mistake, not a request to be asked. */
    private void requireValue(String option, String value, String variable) {
        if (value != null && value.isEmpty()) {
            throw new CommandLine.ParameterException(commandLine, option + ": the value is empty; give the password, "
                    + "or leave the value out to be asked for it, or set the " + variable + " variable and leave "
                    + option + " out");
        }
    }

    private String asked(String option, String prompt, String variable) {
        String typed;
        try {
            typed = PasswordPrompt.read(prompt);
        } catch (IOException e) {
            throw new CommandLine.ParameterException(commandLine, option + ": the password could not be read ("
                    + e.getMessage() + "); set the " + variable + " variable and leave " + option + " out");
        }
        if (typed.isEmpty()) {
            throw new CommandLine.ParameterException(commandLine, option + ": no password was given"
                    + (Terminal.isTerminal(0) ? "; type it at the prompt, or set the " + variable
                            + " variable and leave " + option + " out"
                            : ": standard input is not a terminal and had no line to read it from; pipe it "
                                    + "in, or set the " + variable + " variable and leave " + option + " out"));
        }
        return typed;
    }

    private PGSimpleDataSource dataSource(String option, String url) {
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new CommandLine.ParameterException(commandLine, option + ": '" + Urls.masked(url)
                    + "' is not a PostgreSQL JDBC URL; expected jdbc:postgresql://HOST[:PORT]/DATABASE");
        }
        if (Urls.hasUserInfo(url)) {
            throw new CommandLine.ParameterException(commandLine, option + ": '" + Urls.masked(url)
                    + "' puts a user and password before the host, which PostgreSQL's JDBC URLs do not take; give "
                    + "the user with " + (option.equals("--url") ? "--user" : "--source-user")
                    + " and the password in " + (option.equals("--url") ? "PGPASSWORD" : "PGSOURCEPASSWORD")
                    + " (or at the prompt)");
        }
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        try {
            dataSource.setUrl(url);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(commandLine, option + ": '" + Urls.masked(url)
                    + "' is malformed; expected jdbc:postgresql://HOST[:PORT]/DATABASE");
        }
        // the driver reads "host:5432:99" as host "host:5432" and "[::1" as a host name, then fails as if it did
        // not resolve: a typo in the URL is a usage error, said before anything connects
        if (ServerProbe.endpoints(url).isEmpty() || ServerProbe.endpoints(url).stream().map(ServerProbe.Endpoint::host)
                .anyMatch(host -> host.startsWith("[") ? !host.endsWith("]") : host.contains(":"))) {
            throw new CommandLine.ParameterException(commandLine, option + ": '" + Urls.masked(url)
                    + "' names no host and port the driver can read; expected jdbc:postgresql://HOST[:PORT]/DATABASE");
        }
        // Connecting is bounded as a whole, not only the TCP handshake: a port forward or load balancer whose
        // backend is gone accepts the connection and then never answers, and a runbook step must not hang on it.
        if (loginTimeoutOf(dataSource) == 0) { // unless the URL sets its own (?loginTimeout=SECONDS)
            dataSource.setLoginTimeout(LOGIN_TIMEOUT_SECONDS);
        }
        dataSource.setTcpKeepAlive(true);
        return dataSource;
    }
}
