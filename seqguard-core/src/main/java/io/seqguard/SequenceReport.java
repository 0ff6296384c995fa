package io.seqguard;

import java.util.List;

/**
 * What seqguard found for, and did to, one sequence. Values are in the sequence's own units; for a descending
 * sequence {@link #dataBound()} is the minimum in use instead of the maximum.
 *
 * <p>Built by seqguard; not for implementation by users (methods may be added).
 */
public interface SequenceReport {

    /** The sequence's schema. */
    String schema();

    /** The sequence's name. */
    String name();

    /** The sequence as a quoted, schema-qualified SQL identifier (quoted by the server). */
    String qualifiedName();

    /** {@code smallint}, {@code integer} or {@code bigint}; null when it does not {@linkplain #exists() exist}. */
    String dataType();

    /** The sequence's increment; negative for a descending sequence; 0 when it does not {@linkplain #exists() exist}. */
    long increment();

    /** The sequence's minimum; 0 when it does not {@linkplain #exists() exist}. */
    long minValue();

    /** The sequence's maximum; 0 when it does not {@linkplain #exists() exist}. */
    long maxValue();

    /**
     * Whether the sequence exists in the database. False only for a sequence an ORM entity takes its ids from
     * (a {@linkplain SequenceMapping#isDiscovered() discovered mapping}) that the database lacks: it is
     * {@link SequenceStatus#NOT_VERIFIABLE}, its reason names the entity and the fix, and its {@link #columns()} are
     * the entity's, where they exist.
     */
    boolean exists();

    /**
     * The allocation rule applied to it: the strictest of its entities' generators, a configured mapping's rule, or
     * the configured (or default) rule; see {@link #allocationSource()}.
     */
    AllocationRule allocation();

    /** Where {@link #allocation()} came from. */
    AllocationSource allocationSource();

    /** Whether the sequence wraps around. */
    boolean cycle();

    /** Every column the sequence feeds. */
    List<FedColumn> columns();

    /** The next value before a repair changed it; null when nothing changed. */
    Long previousNextValue();

    /** The value {@code nextval()} hands out next (after a repair: the new one); null when unknown. */
    Long nextValue();

    /** The highest value in use (lowest for a descending sequence); null when unknown or empty. */
    Long dataBound();

    /** The least next value that is safe under the allocation rule; null when unknown. */
    Long requiredNextValue();

    /** Where the sequence stands. */
    SequenceStatus status();

    /** Why it is not verifiable, skipped, exhausted or failed; null otherwise. */
    String reason();

    /** What was done or planned. */
    RepairAction action();

    /** The statement a repair runs for it (plan and repair); null when there is none. */
    String sql();

    /**
     * The share of its usable range already used, 0 to 1, by the furthest of its next value and the data's bound (the
     * column type's range counts when it is narrower than the sequence's); null when unknown.
     */
    Double rangeUsed();

    /** Further findings a person should read, for example a range nearly used up. */
    List<String> notes();

    /** Which requirement decided {@link #requiredNextValue()}: the data, the source, both (equal), or none. */
    Witness witness();

    /**
     * The value the source database's sequence of the same name would hand out next; null without a source, or when the
     * source has no such sequence or it could not be read.
     */
    Long sourceNextValue();

    /**
     * Whether the sequence is not verified ({@link SequenceStatus#isUnverified()}) and the configuration acknowledges
     * that ({@link AlignerConfiguration#allowUnverified(String...)}), so that it does not make the run incomplete;
     * false for every verified sequence.
     */
    boolean acknowledged();

    /** {@code schema.name} as a person reads it (unquoted). */
    default String displayName() {
        return schema() + "." + name();
    }

    /** Whether the sequence was not verified and not acknowledged: it makes the run {@link Verdict#INCOMPLETE}. */
    default boolean unverified() {
        return status().isUnverified() && !acknowledged();
    }

    /** Whether the sequence counts down. */
    default boolean descending() {
        return increment() < 0;
    }
}
