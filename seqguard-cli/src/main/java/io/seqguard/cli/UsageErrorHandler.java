package io.seqguard.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * A usage error in one or two lines, exit code 2: what was wrong, the closest command or option to what was typed,
 * and where the help is.
 */
final class UsageErrorHandler implements IParameterExceptionHandler {

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine commandLine = e.getCommandLine();
        PrintWriter err = commandLine.getErr();
        String command = commandLine.getCommandSpec().qualifiedName();
        if (e instanceof UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
            String typed = unmatched.getUnmatched().get(0);
            boolean option = typed.startsWith("-");
            if (!option && !commandLine.getSubcommands().isEmpty()) {
                err.println("seqguard: '" + typed + "' is not a seqguard command (" + String.join(", ",
                        new java.util.TreeSet<>(commandLine.getSubcommands().keySet())) + ")." + suggestion(typed,
                        commandLine.getSubcommands().keySet()));
            } else {
                List<String> names = new ArrayList<>();
                for (OptionSpec spec : commandLine.getCommandSpec().options()) {
                    names.addAll(List.of(spec.names()));
                }
                String name = option ? typed.split("=", 2)[0] : typed;
                err.println(command + ": unknown " + (option ? "option" : "argument") + " '" + name
                        + "'." + (option ? suggestion(name, names) : ""));
            }
        } else {
            err.println("seqguard: " + e.getMessage());
        }
        err.println("Try '" + command + " --help' for more information.");
        return ExitCode.USAGE;
    }

    /** " Did you mean 'verify'?" for the closest candidate, or nothing when none is close. */
    static String suggestion(String typed, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int distance = distance(typed.toLowerCase(Locale.ROOT), candidate);
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        // a typo, not another word: at most two edits, and fewer than half the word
        boolean close = best != null && bestDistance <= 2 && bestDistance * 2 < best.replace("-", "").length();
        return close ? " Did you mean '" + best + "'?" : "";
    }

    /** Edits (insert, delete, replace, swap two neighbours) that turn one word into the other. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
