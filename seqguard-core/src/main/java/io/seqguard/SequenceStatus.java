package io.seqguard;

/** Where a sequence stands against the data it feeds. */
public enum SequenceStatus {
    /** The next value the sequence hands out is safe under the configured allocation rule. */
    ALIGNED,
    /** The next value would collide with data already present; a repair moves it forward. */
    BEHIND,
    /** The value the data requires lies beyond the sequence's (or its column type's) range; nothing is changed. */
    EXHAUSTED,
    /** The data cannot tell: no column uses the sequence, a default is not a plain number, a read failed. */
    NOT_VERIFIABLE,
    /** Not looked at: excluded by configuration or not readable with the connecting role. */
    SKIPPED,
    /** Every column the sequence feeds is empty: nothing to align, never touched. */
    EMPTY;

    /** {@return whether this status means the sequence would hand out an id that already exists (or none at all)} */
    public boolean isDrift() {
        return this == BEHIND || this == EXHAUSTED;
    }
}
