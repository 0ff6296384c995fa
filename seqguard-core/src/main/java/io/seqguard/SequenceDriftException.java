package io.seqguard;

/**
 * Thrown by {@link AlignmentReport#requireAligned()} when sequences are behind their data or exhausted
 * ({@link Verdict#DRIFT}).
 */
public class SequenceDriftException extends NotAlignedException {

    private static final long serialVersionUID = 1L;

    SequenceDriftException(AlignmentReport report, String message) {
        super(report, message);
    }
}
