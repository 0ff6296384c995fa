package io.seqguard;

/**
 * Thrown by {@link AlignmentReport#requireAligned()} when a run's {@link Verdict} is not {@link Verdict#ALIGNED}: the
 * two kinds are {@link SequenceDriftException} and {@link IncompleteVerificationException}. The message names every
 * sequence at fault, why, and the fix.
 */
public abstract class NotAlignedException extends SeqguardException {

    private static final long serialVersionUID = 1L;

    private final transient AlignmentReport report;

    NotAlignedException(AlignmentReport report, String message) {
        super(message);
        this.report = report;
    }

    /** {@return the report behind the verdict} */
    public AlignmentReport report() {
        return report;
    }

    /** {@return the report's verdict: {@link Verdict#DRIFT} or {@link Verdict#INCOMPLETE}} */
    public Verdict verdict() {
        return report.verdict();
    }
}
