package io.seqguard;

/** Where a sequence stands against the data it feeds. */
public enum SequenceStatus {
    /** The next value the sequence hands out is safe under the configured allocation rule. */
    ALIGNED,
    /** The next value would collide with data already present; a repair moves it forward. */
    BEHIND,
    /** The value the data requires lies beyond the sequence's (or its column type's) range; nothing is changed. */
    EXHAUSTED,
    /**
     * Not verified: no column uses the sequence, a default is not a plain number, a read failed or timed out. The run
     * is {@linkplain Verdict#INCOMPLETE incomplete} unless the sequence is acknowledged
     * ({@link AlignerConfiguration#allowUnverified(String...)}).
     */
    NOT_VERIFIABLE,
    /**
     * Not verified because the connecting role may not read the sequence, its schema, or a table it feeds, or may
     * read only some of that table's rows (row-level security applies to it); the reason names the fix (the
     * {@code GRANT}, or connecting as the table's owner or a role with {@code BYPASSRLS}). The run is
     * {@linkplain Verdict#INCOMPLETE incomplete} unless the sequence is acknowledged.
     */
    NO_PRIVILEGE,
    /** Not looked at: excluded by configuration ({@code excludeSequences}, or every table it feeds excluded). */
    SKIPPED,
    /**
     * Every column the sequence feeds is empty (on a Citus node: holds no id in this node's range): nothing to align,
     * never touched.
     */
    EMPTY,
    /**
     * On a Citus worker: an int or smallint sequence that Citus parks at its maximum there, since only the coordinator
     * hands out such ids. Judged on the coordinator; neither drift nor unverified here.
     */
    NOT_USED_ON_NODE,
    /**
     * On a Citus node: the next value lies outside the node's own range ({@link SequenceReport#nodeRangeStart()} ..
     * {@link SequenceReport#nodeRangeEnd()}), or an int or smallint sequence on a worker is not parked, so the node
     * hands out ids that belong to another node. Left there by an earlier tool; a forward-only repair cannot take it
     * back, so it is never repaired. Counts as drift.
     */
    OUTSIDE_NODE_RANGE,
    /**
     * Its increment is smaller than the block the application's pooled or pooled-lo optimizer takes per value (an
     * entity's {@code allocationSize}): consecutive blocks overlap, so ids repeat however far the sequence is moved.
     * Counts as drift; a repair does not touch it; the reason names the fix ({@code ALTER SEQUENCE ... INCREMENT BY},
     * or the entity's {@code allocationSize}).
     */
    MISMATCHED;

    /**
     * {@return whether this status means the sequence would hand out an id that already exists (or none at all, or one
     * that belongs to another Citus node)}
     */
    public boolean isDrift() {
        return this == BEHIND || this == EXHAUSTED || this == OUTSIDE_NODE_RANGE || this == MISMATCHED;
    }

    /**
     * {@return whether the sequence was meant to be checked and could not be: {@link #NOT_VERIFIABLE} or {@link
     * #NO_PRIVILEGE}}
     */
    public boolean isUnverified() {
        return this == NOT_VERIFIABLE || this == NO_PRIVILEGE;
    }
}
