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
     * Not verified because the connecting role may not read the sequence, its schema, or a table it feeds; the reason
     * names the {@code GRANT} that fixes it. The run is {@linkplain Verdict#INCOMPLETE incomplete} unless the sequence
     * is acknowledged.
     */
    NO_PRIVILEGE,
    /** Not looked at: excluded by configuration ({@code excludeSequences}, or every table it feeds excluded). */
    SKIPPED,
    /** Every column the sequence feeds is empty: nothing to align, never touched. */
    EMPTY,
    /**
     * Its increment is smaller than the block the application's pooled or pooled-lo optimizer takes per value (an
     * entity's {@code allocationSize}): consecutive blocks overlap, so ids repeat however far the sequence is moved.
     * Counts as drift; a repair does not touch it; the reason names the fix ({@code ALTER SEQUENCE ... INCREMENT BY},
     * or the entity's {@code allocationSize}).
     */
    MISMATCHED;

    /** {@return whether this status means the sequence would hand out an id that already exists (or none at all)} */
    public boolean isDrift() {
        return this == BEHIND || this == EXHAUSTED || this == MISMATCHED;
    }

    /**
     * {@return whether the sequence was meant to be checked and could not be: {@link #NOT_VERIFIABLE} or {@link
     * #NO_PRIVILEGE}}
     */
    public boolean isUnverified() {
        return this == NOT_VERIFIABLE || this == NO_PRIVILEGE;
    }
}
