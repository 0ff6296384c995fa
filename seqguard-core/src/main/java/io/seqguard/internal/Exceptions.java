package io.seqguard.internal;

import io.seqguard.AlignmentReport;
import io.seqguard.CutoverException;
import io.seqguard.IncompleteVerificationException;
import io.seqguard.SequenceDriftException;
import io.seqguard.StartupGuardException;

import java.util.List;

/**
 * Makes the API's exceptions, whose constructors are not public: users catch them, only seqguard throws them. The
 * maker lives in the API package and registers itself when that package's base exception is initialized, which this
 * class forces before its first use.
 */
public final class Exceptions {

    /** Implemented once, in the API package. */
    public interface Maker {
        SequenceDriftException drift(AlignmentReport report, String message);

        IncompleteVerificationException incomplete(AlignmentReport report, String message);

        StartupGuardException refusal(StartupGuardException.Reason reason, String message, AlignmentReport report,
                Throwable cause, boolean standby, List<String> enabledSubscriptions);

        CutoverException cutover(CutoverException.Reason reason, String message, List<String> steps);
    }

    private static Maker maker;

    static {
        try {
            Class.forName("io.seqguard.SeqguardException", true, Exceptions.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Exceptions() {
    }

    /**
     * Called once by the API package.
     *
     * @throws IllegalStateException when a maker is registered already
     */
    public static synchronized void register(Maker registered) {
        if (maker != null) {
            throw new IllegalStateException("seqguard's exception maker is registered already");
        }
        maker = registered;
    }

    static SequenceDriftException drift(AlignmentReport report, String message) {
        return maker.drift(report, message);
    }

    static IncompleteVerificationException incomplete(AlignmentReport report, String message) {
        return maker.incomplete(report, message);
    }

    static CutoverException cutover(CutoverException.Reason reason, String message, List<String> steps) {
        return maker.cutover(reason, message, steps);
    }

    static StartupGuardException refusal(StartupGuardException.Reason reason, String message, AlignmentReport report,
            Throwable cause, boolean standby, List<String> enabledSubscriptions) {
        return maker.refusal(reason, message, report, cause, standby, enabledSubscriptions);
    }
}
