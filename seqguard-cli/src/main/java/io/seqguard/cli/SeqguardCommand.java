package io.seqguard.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The top-level command: it only lists its subcommands. */
@Command(name = "seqguard", mixinStandardHelpOptions = true, subcommands = DemoCommand.class,
        versionProvider = SeqguardCommand.Version.class,
        description = "Keeps PostgreSQL sequences ahead of their data: run after replication stops and before the "
                + "first application write.",
        footer = {"", "Exit codes: 0 aligned, 3 drift (or a refused repair), 4 incomplete (a sequence could not be "
                + "verified), 2 usage error, 1 failure."})
final class SeqguardCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    SeqguardCommand(Map<String, String> environment) {
        this.environment = environment;
    }

    private final Map<String, String> environment;

    @Command(name = "verify", description = "Compare every sequence with its data; change nothing.")
    int verify(@CommandLine.Mixin AlignOptions options) {
        return new AlignRun(spec.commandLine(), options, environment).verify();
    }

    @Command(name = "plan", description = "Like verify, and list the forward-only SQL a repair would run.")
    int plan(@CommandLine.Mixin AlignOptions options) {
        return new AlignRun(spec.commandLine(), options, environment).plan();
    }

    @Command(name = "repair", description = "Move every lagging sequence forward (never backwards).")
    int repair(@CommandLine.Mixin AlignOptions options) {
        return new AlignRun(spec.commandLine(), options, environment).repair();
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCode.USAGE;
    }

    /** Reads the version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = SeqguardCommand.class.getPackage().getImplementationVersion();
            return new String[] {"seqguard " + (version == null ? "(development build)" : version)};
        }
    }
}
