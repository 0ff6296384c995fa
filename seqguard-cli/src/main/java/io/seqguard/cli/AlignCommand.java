package io.seqguard.cli;

import io.seqguard.SeqguardException;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.IntSupplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What verify, plan, repair and cutover share: their options, the environment, a connection failure explained. */
abstract class AlignCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    AlignOptions options;

    private final Map<String, String> environment;

    AlignCommand(Map<String, String> environment) {
        this.environment = environment;
    }

    AlignRun run() {
        Main.awaitWarmUp();
        return new AlignRun(spec.commandLine(), options, environment);
    }

    /**
     * verify, plan or repair: on the URL's database, on several of its server ({@code --database},
     * {@code --all-databases}), or on every node of a Citus cluster ({@code --all-nodes}).
     */
    int align(String command, DatabaseOptions databases) {
        if (options.allNodes && databases.several()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--all-nodes and "
                    + (databases.allDatabases ? "--all-databases" : "--database")
                    + ": give one of them (--all-nodes runs on --url's database on every node)");
        }
        if (command.equals("verify") && options.format == AlignOptions.Format.sql) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    AlignOptions.SQL_FORMAT_ELSEWHERE);
        }
        return explained(() -> {
            AlignRun run = run();
            if (options.allNodes) {
                return new CitusNodesRun(run, spec.commandLine(), options).run(command);
            }
            return databases.several() ? new DatabasesRun(spec.commandLine(), options, databases, run).run(command)
                    : run.printed(run.result(command));
        });
    }

    /** A connection failure the driver describes vaguely is said again with the host or port at fault. */
    int explained(IntSupplier run) {
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

    /** verify, plan and repair: the command's name is the verb, run on the databases the options name. */
    abstract static class OnDatabases extends AlignCommand {
        @Mixin
        DatabaseOptions databases;

        OnDatabases(Map<String, String> environment) {
            super(environment);
        }

        @Override
        public Integer call() {
            return align(spec.name(), databases);
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true, versionProvider = SeqguardCommand.Version.class,
            sortOptions = false, modelTransformer = ReadOnlyHelp.class,
            description = "Compare every sequence with its data; change nothing.",
            footer = {"", "Example:", "  seqguard verify --url jdbc:postgresql://db/shop --user app --schema public",
                "", SeqguardCommand.EXIT_CODES, SeqguardCommand.EXIT_CODES_CONTINUED})
    static final class Verify extends OnDatabases {
        Verify(Map<String, String> environment) {
            super(environment);
        }
    }

    @Command(name = "plan", mixinStandardHelpOptions = true, versionProvider = SeqguardCommand.Version.class,
            sortOptions = false, modelTransformer = ReadOnlyHelp.class,
            description = "Like verify, and list the forward-only SQL a repair would run.",
            footer = {"", "Example:", "  seqguard plan --url jdbc:postgresql://db/shop --user app --format sql", "",
                SeqguardCommand.EXIT_CODES, SeqguardCommand.EXIT_CODES_CONTINUED})
    static final class Plan extends OnDatabases {
        Plan(Map<String, String> environment) {
            super(environment);
        }
    }

    @Command(name = "repair", mixinStandardHelpOptions = true, versionProvider = SeqguardCommand.Version.class,
            sortOptions = false,
            description = {"Move every lagging sequence forward (never backwards).",
                "Follows the startup guard's rules: takes the seqguard advisory lock (waits for another instance at "
                        + "most --lock-wait-timeout), refuses a standby and a database an enabled subscription still "
                        + "feeds."},
            footer = {"", "Example:", "  seqguard repair --url jdbc:postgresql://db/shop --user admin --format json",
                "", SeqguardCommand.EXIT_CODES, SeqguardCommand.EXIT_CODES_CONTINUED})
    static final class Repair extends OnDatabases {
        Repair(Map<String, String> environment) {
            super(environment);
        }
    }

    @Command(name = "cutover", mixinStandardHelpOptions = true, versionProvider = SeqguardCommand.Version.class,
            sortOptions = false,
            description = {"Finish a cutover by logical replication in one step: wait until the subscription has "
                    + "applied everything the old primary (--source) had written, refusing while it still writes; on "
                    + "PostgreSQL 19 synchronize the sequences one last time; disable the subscription "
                    + "(--disable-subscription, else stop before the repair and print the statement); repair with the "
                    + "old primary as witness; verify.",
                "Every step prints its state on standard error; the repair's report goes to standard output."},
            footer = {"", "Example:", "  seqguard cutover --url jdbc:postgresql://new/shop --source "
                    + "jdbc:postgresql://old/shop --user admin --subscription from_old --disable-subscription "
                    + "--format json", "", SeqguardCommand.EXIT_CODES, SeqguardCommand.EXIT_CODES_CONTINUED})
    static final class Cutover extends AlignCommand {
        @Mixin
        CutoverOptions cutover;

        Cutover(Map<String, String> environment) {
            super(environment);
        }

        @Override
        public Integer call() {
            return explained(() -> run().cutover(cutover));
        }
    }
}
