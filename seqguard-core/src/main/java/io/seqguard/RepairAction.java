package io.seqguard;

/** What seqguard did, or would do, to one sequence. */
public enum RepairAction {
    /** Nothing: the sequence is aligned, or not something seqguard changes. */
    NONE,
    /** {@link SequenceAligner#plan()} would move it forward with the SQL in the report. */
    PLANNED,
    /** {@link SequenceAligner#repair()} moved it forward. */
    REPAIRED,
    /** {@link SequenceAligner#repair()} tried and failed; the report says why. */
    FAILED
}
