package io.seqguard;

/** Which verb produced a report. */
public enum Operation {
    /** {@link SequenceAligner#verify()}: read-only. */
    VERIFY,
    /** {@link SequenceAligner#plan()}: read-only, lists the SQL a repair would run. */
    PLAN,
    /** {@link SequenceAligner#repair()}: moved lagging sequences forward. */
    REPAIR
}
