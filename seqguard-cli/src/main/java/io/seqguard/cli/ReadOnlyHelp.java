package io.seqguard.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * verify's and plan's help without what only a repair uses. The options stay accepted, hidden: a runbook passes the
 * same options to verify and then to repair, and verify rejects {@code --format sql} with its own message.
 */
final class ReadOnlyHelp implements IModelTransformer {

    @Override
    public CommandSpec transform(CommandSpec spec) {
        // re-added in their order, since help lists them as declared
        List<OptionSpec> options = new ArrayList<>(spec.options());
        options.forEach(spec::remove);
        for (OptionSpec option : options) {
            if (option.longestName().equals("--lock-wait-timeout")) {
                option = OptionSpec.builder(option).hidden(true).build();
            } else if (option.longestName().equals("--format") && spec.name().equals("verify")) {
                option = OptionSpec.builder(option).description("text or json (default: ${DEFAULT-VALUE}).")
                        .completionCandidates(List.of("text", "json")).build();
            }
            spec.addOption(option);
        }
        return spec;
    }
}
