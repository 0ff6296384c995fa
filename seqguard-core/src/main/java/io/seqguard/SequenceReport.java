package io.seqguard;

import java.util.List;

/**
 * What seqguard found for, and did to, one sequence. Values are in the sequence's own units; for a descending
 * sequence {@link #dataBound()} is the minimum in use instead of the maximum.
 *
 * @param schema the sequence's schema
 * @param name the sequence's name
 * @param qualifiedName the sequence as a quoted, schema-qualified SQL identifier (quoted by the server)
 * @param dataType {@code smallint}, {@code integer} or {@code bigint}
 * @param increment the sequence's increment; negative for a descending sequence
 * @param minValue the sequence's minimum
 * @param maxValue the sequence's maximum
 * @param cycle whether the sequence wraps around
 * @param columns every column the sequence feeds
 * @param previousNextValue the next value before a repair changed it; null when nothing changed
 * @param nextValue the value {@code nextval()} hands out next (after a repair: the new one); null when unknown
 * @param dataBound the highest value in use (lowest for a descending sequence); null when unknown or empty
 * @param requiredNextValue the least next value that is safe under the allocation rule; null when unknown
 * @param status where the sequence stands
 * @param reason why it is not verifiable, skipped, exhausted or failed; null otherwise
 * @param action what was done or planned
 * @param sql the statement a repair runs for it (plan and repair); null when there is none
 * @param rangeUsed the share of its usable range already handed out, 0 to 1 (the column type's range counts
 *     when it is narrower than the sequence's); null when unknown
 * @param notes further findings a person should read, for example a range nearly used up
 * @param witness which requirement decided {@link #requiredNextValue()}: the data, the source, both (equal), or
 *     none
 * @param sourceNextValue the value the source database's sequence of the same name would hand out next; null
 *     without a source, or when the source has no such sequence or it could not be read
 */
public record SequenceReport(String schema, String name, String qualifiedName, String dataType, long increment,
        long minValue, long maxValue, boolean cycle, List<FedColumn> columns, Long previousNextValue,
        Long nextValue, Long dataBound, Long requiredNextValue, SequenceStatus status, String reason,
        RepairAction action, String sql, Double rangeUsed, List<String> notes, Witness witness,
        Long sourceNextValue) {

    /**
     * Copies the lists; a null witness means {@link Witness#NONE}.
     *
     * @param schema the sequence's schema
     * @param name the sequence's name
     * @param qualifiedName the sequence as a quoted, schema-qualified SQL identifier (quoted by the server)
     * @param dataType {@code smallint}, {@code integer} or {@code bigint}
     * @param increment the sequence's increment; negative for a descending sequence
     * @param minValue the sequence's minimum
     * @param maxValue the sequence's maximum
     * @param cycle whether the sequence wraps around
     * @param columns every column the sequence feeds
     * @param previousNextValue the next value before a repair changed it; null when nothing changed
     * @param nextValue the value {@code nextval()} hands out next (after a repair: the new one); null when unknown
     * @param dataBound the highest value in use (lowest for a descending sequence); null when unknown or empty
     * @param requiredNextValue the least next value that is safe under the allocation rule; null when unknown
     * @param status where the sequence stands
     * @param reason why it is not verifiable, skipped, exhausted or failed; null otherwise
     * @param action what was done or planned
     * @param sql the statement a repair runs for it (plan and repair); null when there is none
     * @param rangeUsed the share of its usable range already handed out, 0 to 1 (the column type's range counts when it
     *     is narrower than the sequence's); null when unknown
     * @param notes further findings a person should read, for example a range nearly used up
     * @param witness which requirement decided {@link #requiredNextValue()}: the data, the source, both (equal), or
     *     none
     * @param sourceNextValue the value the source database's sequence of the same name would hand out next; null
     *     without a source, or when the source has no such sequence or it could not be read
     */
    public SequenceReport {
        columns = List.copyOf(columns);
        notes = List.copyOf(notes);
        witness = witness == null ? Witness.NONE : witness;
    }

    /** {@return {@code schema.name} as a person reads it (unquoted)} */
    public String displayName() {
        return schema + "." + name;
    }

    /** {@return whether the sequence counts down} */
    public boolean descending() {
        return increment < 0;
    }
}
