package io.seqguard.cli;

import io.seqguard.SeqguardException;
import io.seqguard.UnknownObjectException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/** One clear line per failure, the stack trace only with {@code --verbose}, and the documented exit code. */
final class FailureHandler implements IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception e, CommandLine commandLine, ParseResult parseResult) {
        boolean verbose = parseResult.subcommand() != null && parseResult.subcommand().hasMatchedOption("--verbose");
        // a name the engine parses only when it runs (an --exclude pattern) fails there, in the method's words
        String message = e instanceof IllegalArgumentException
                ? CliVocabulary.INSTANCE.inOptionWords((IllegalArgumentException) e) : String.valueOf(e.getMessage());
        // the guard's messages begin with the command ("seqguard repair could not ..."): said once after the prefix
        commandLine.getErr().println("seqguard: " + (message.startsWith("seqguard ")
                ? message.substring("seqguard ".length()) : message));
        if (verbose) {
            e.printStackTrace(commandLine.getErr());
        }
        if (!verbose && !(e instanceof SeqguardException) && exitCode(e) == ExitCode.FAILURE) {
            commandLine.getErr().println("seqguard: unexpected " + e.getClass().getSimpleName()
                    + "; run again with --verbose for the stack trace");
        }
        return exitCode(e);
    }

    /** {@return the exit code of a failure: a usage error for a name or value the user gave, else a failure} */
    static int exitCode(Exception e) {
        return e instanceof UnknownObjectException || e instanceof IllegalArgumentException ? ExitCode.USAGE
                : ExitCode.FAILURE;
    }
}
