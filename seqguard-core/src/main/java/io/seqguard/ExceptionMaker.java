package io.seqguard;

import io.seqguard.internal.Exceptions;

import java.util.List;

/** The one way seqguard's internals make the API's exceptions, whose constructors are package-private. */
final class ExceptionMaker implements Exceptions.Maker {

    @Override
    public SequenceDriftException drift(AlignmentReport report, String message) {
        return new SequenceDriftException(report, message);
    }

    @Override
    public IncompleteVerificationException incomplete(AlignmentReport report, String message) {
        return new IncompleteVerificationException(report, message);
    }

    @Override
    public CutoverException cutover(CutoverException.Reason reason, String message, List<String> steps) {
        return new CutoverException(reason, message, steps);
    }

    @Override
    public StartupGuardException refusal(StartupGuardException.Reason reason, String message, AlignmentReport report,
            Throwable cause, boolean standby, List<String> enabledSubscriptions) {
        return new StartupGuardException(reason, message, report, cause, standby, enabledSubscriptions);
    }
}
