package io.seqguard;

import java.util.List;

/**
 * What seqguard found for, and did to, one sequence. Values are in the sequence's own units; for a descending
 * sequence {@link #dataBound()} is the minimum in use instead of the maximum.
 *
 * <p>Built by seqguard; not for implementation by users (methods may be added).
 */
public interface SequenceReport {

    /** {@return the sequence's schema} */
    String schema();

    /** {@return the sequence's name} */
    String name();

    /** {@return the sequence as a quoted, schema-qualified SQL identifier (quoted by the server)} */
    String qualifiedName();

    /**
     * {@return {@code smallint}, {@code integer} or {@code bigint}; null when it does not {@linkplain #exists()
     * exist}}
     */
    String dataType();

    /**
     * {@return the sequence's increment; negative for a descending sequence; 0 when it does not
     * {@linkplain #exists() exist}}
     */
    long increment();

    /** {@return the sequence's minimum; 0 when it does not {@linkplain #exists() exist}} */
    long minValue();

    /** {@return the sequence's maximum; 0 when it does not {@linkplain #exists() exist}} */
    long maxValue();

    /**
     * {@return whether the sequence exists in the database} False only for a sequence an ORM entity takes its ids from
     * (a {@linkplain SequenceMapping#isDiscovered() discovered mapping}) that the database lacks: it is
     * {@link SequenceStatus#NOT_VERIFIABLE}, lists no columns, and its reason names the entity, the column it fills
     * and the fix.
     */
    boolean exists();

    /**
     * {@return the allocation rule applied to it} The strictest of its entities' generators, a configured mapping's
     * rule, or the configured (or default) rule; see {@link #allocationSource()}.
     */
    AllocationRule allocation();

    /** {@return where {@link #allocation()} came from} */
    AllocationSource allocationSource();

    /** {@return whether the sequence wraps around} */
    boolean cycle();

    /** {@return every column the sequence feeds} */
    List<FedColumn> columns();

    /** {@return the next value before a repair changed it; null when nothing changed} */
    Long previousNextValue();

    /** {@return the value {@code nextval()} hands out next (after a repair: the new one); null when unknown} */
    Long nextValue();

    /** {@return the highest value in use (lowest for a descending sequence); null when unknown or empty} */
    Long dataBound();

    /** {@return the least next value that is safe under the allocation rule; null when unknown} */
    Long requiredNextValue();

    /** {@return where the sequence stands} */
    SequenceStatus status();

    /** {@return why it is not verifiable, skipped, exhausted or failed; null otherwise} */
    String reason();

    /** {@return what was done or planned} */
    RepairAction action();

    /** {@return the statement a repair runs for it (plan and repair); null when there is none} */
    String sql();

    /**
     * {@return the share of its usable range already used, 0 to 1, by the furthest of its next value and the data's
     * bound (the column type's range counts when it is narrower than the sequence's); null when unknown}
     */
    Double rangeUsed();

    /** {@return further findings a person should read, for example a range nearly used up} */
    List<String> notes();

    /** {@return which requirement decided {@link #requiredNextValue()}: the data, the source, both (equal), or none} */
    Witness witness();

    /**
     * {@return the value the source database's sequence of the same name would hand out next; null without a source, or
     * when the source has no such sequence or it could not be read}
     */
    Long sourceNextValue();

    /**
     * {@return whether the sequence is not verified ({@link SequenceStatus#isUnverified()}) and the configuration
     * acknowledges that ({@link AlignerConfiguration#allowUnverified(String...)}), so that it does not make the run
     * incomplete; false for every verified sequence}
     */
    boolean acknowledged();

    /**
     * {@return on a Citus node, the first value of this node's slice of a bigint sequence that feeds a Citus table
     * (its data and its repair stay within the slice); null otherwise (int and smallint sequences are not sliced: the
     * coordinator hands out all their ids)}
     */
    default Long nodeRangeStart() {
        return null;
    }

    /**
     * {@return on a Citus node, the last value of this node's slice (see {@link #nodeRangeStart()}); null otherwise}
     */
    default Long nodeRangeEnd() {
        return null;
    }

    /** {@return {@code schema.name} as a person reads it (unquoted)} */
    default String displayName() {
        return schema() + "." + name();
    }

    /**
     * {@return whether the sequence is not verified only because this run could not read what would verify it: a
     * column the connecting role may not read (or not every row of), a read past the lock or statement timeout, a
     * source that could not be read. Its data may be ahead of it: {@code allowUnverified("all")} does not cover it,
     * and acknowledging it by name lets the application start blind to that. False for a verified sequence and for
     * one no read can verify (no column uses it, or none it feeds can be compared)}
     */
    default boolean dataUnread() {
        return false;
    }

    /**
     * {@return whether the sequence is not verified only because no column uses it: it exists, and its own state was
     * read, so a mapping to the column it fills (an ORM entity's, at a framework's ORM step) would let a run verify
     * it. False for a sequence whose data or state could not be read ({@link #dataUnread()}), which no mapping helps}
     */
    default boolean usedByNoColumn() {
        return status() == SequenceStatus.NOT_VERIFIABLE && exists() && columns().isEmpty() && !dataUnread();
    }

    /**
     * {@return whether the sequence was not verified and not acknowledged: it makes the run {@link Verdict#INCOMPLETE}}
     */
    default boolean unverified() {
        return status().isUnverified() && !acknowledged();
    }

    /** {@return whether the sequence counts down} */
    default boolean descending() {
        return increment() < 0;
    }
}
