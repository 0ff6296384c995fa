package io.seqguard;

/**
 * What a whole run found, from the worst sequence: {@link #DRIFT} over {@link #INCOMPLETE} over {@link #ALIGNED}. Only
 * {@link #ALIGNED} means every sequence in scope is safe; a run that broke off (connection lost, server gone) has no
 * verdict and throws instead.
 */
public enum Verdict {
    /** Every sequence in scope was read and is safe (or empty, excluded, or acknowledged as not verifiable). */
    ALIGNED,
    /** Some sequence is behind its data or exhausted. */
    DRIFT,
    /**
     * Nothing read is behind, but some sequence could not be verified ({@link SequenceStatus#isUnverified()}) and was
     * not acknowledged: its safety is unknown.
     */
    INCOMPLETE
}
