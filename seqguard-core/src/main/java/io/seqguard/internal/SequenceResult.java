package io.seqguard.internal;

import io.seqguard.AllocationRule;
import io.seqguard.AllocationSource;
import io.seqguard.FedColumn;
import io.seqguard.RepairAction;
import io.seqguard.SequenceReport;
import io.seqguard.SequenceStatus;
import io.seqguard.Witness;

import java.util.List;

/**
 * The {@link SequenceReport} seqguard reports; {@code oid} is the sequence's (0 when it does not exist), not shown, for
 * a later run of the same start-up to tell a sequence recreated since (same name, another oid) from the one it saw.
 */
record SequenceResult(String schema, String name, String qualifiedName, String dataType, long increment,
        long minValue, long maxValue, boolean cycle, List<FedColumn> columns, Long previousNextValue, Long nextValue,
        Long dataBound, Long requiredNextValue, SequenceStatus status, String reason, RepairAction action, String sql,
        Double rangeUsed, List<String> notes, Witness witness, Long sourceNextValue, boolean acknowledged,
        Long nodeRangeStart, Long nodeRangeEnd, boolean exists, AllocationRule allocation,
        AllocationSource allocationSource, long oid, boolean dataUnread) implements SequenceReport {

    SequenceResult {
        columns = List.copyOf(columns);
        notes = List.copyOf(notes);
        witness = witness == null ? Witness.NONE : witness;
    }

    /**
     * This report of a later run, for a sequence an earlier run of the same start-up moved forward: repaired, from
     * where the earlier run found it.
     */
    SequenceResult movedEarlierFrom(Long earlierPreviousNextValue) {
        // a later run that failed to move it, or found it behind again, says so instead
        if (action != RepairAction.NONE && action != RepairAction.REPAIRED || status.isDrift()) {
            return this;
        }
        return new SequenceResult(schema, name, qualifiedName, dataType, increment, minValue, maxValue, cycle, columns,
                earlierPreviousNextValue, nextValue, dataBound, requiredNextValue, status, reason,
                RepairAction.REPAIRED, sql, rangeUsed, notes, witness, sourceNextValue, acknowledged, nodeRangeStart,
                nodeRangeEnd, exists, allocation, allocationSource, oid, dataUnread);
    }
}
