package io.seqguard;

/** Thrown by {@link AlignmentReport#requireAligned()} when sequences are behind their data or exhausted. */
public class SequenceDriftException extends SeqguardException {

    private static final long serialVersionUID = 1L;

    private final transient AlignmentReport report;

    /**
     * @param report the report that found the drift; its text becomes the message
     */
    public SequenceDriftException(AlignmentReport report) {
        super(report.driftMessage());
        this.report = report;
    }

    /** {@return the report that found the drift} */
    public AlignmentReport report() {
        return report;
    }
}
