package io.seqguard.internal;

import io.seqguard.AllocationRule;
import io.seqguard.SequenceStatus;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.TreeSet;

/**
 * The arithmetic of sequences on a Citus node, free of I/O. Citus gives the node of group {@code g} its own slice of
 * every bigint sequence: a worker starts at {@code (g << 48) + 1} and its slice ends at {@code (g + 1) << 48} (Citus
 * sets the worker's {@code maxvalue} one past that, into the next group, so the end comes from the group, never from
 * {@code maxvalue}); the coordinator (group 0) uses {@code 1 .. 2^48} although its {@code maxvalue} stays at bigint's.
 * Int and smallint sequences hand out ids on the coordinator only: on a worker Citus parks them at their maximum. The
 * data read for a node is the data inside its slice only, since {@code max(id)} through any node covers every node's
 * rows.
 */
final class CitusRanges {

    /** Citus's {@code valueBitLength}: each group's slice of a bigint sequence holds {@code 2^48} values. */
    static final int GROUP_BITS = 48;

    private static final BigInteger BIGINT_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private CitusRanges() {
    }

    /**
     * A closed range of values; a null end is open (unbounded that way).
     *
     * @param low the first value in it; null for no lower end
     * @param high the last value in it; null for no upper end
     */
    record Range(BigInteger low, BigInteger high) {

        boolean contains(BigInteger value) {
            return (low == null || value.compareTo(low) >= 0) && (high == null || value.compareTo(high) <= 0);
        }

        @Override
        public String toString() {
            return (low == null ? "" : low.toString()) + ".." + (high == null ? "" : high.toString());
        }
    }

    /** {@return the slice of every bigint sequence that the node of this group hands out ids from} */
    static Range ofGroup(long group) {
        if (group < 0) {
            throw new IllegalArgumentException("a Citus group is never negative: " + group);
        }
        BigInteger g = BigInteger.valueOf(group);
        BigInteger low = g.shiftLeft(GROUP_BITS).add(BigInteger.ONE);
        BigInteger high = g.add(BigInteger.ONE).shiftLeft(GROUP_BITS).min(BIGINT_MAX);
        return new Range(low, high);
    }

    /**
     * {@return the values above every given group's slice, where a group added later would start: {@code null} when
     * none is left}
     */
    static Range aboveGroups(Collection<Long> groups) {
        long highest = new TreeSet<>(groups).last();
        BigInteger end = ofGroup(highest).high();
        return end.compareTo(BIGINT_MAX) >= 0 ? null : new Range(end.add(BigInteger.ONE), null);
    }

    /**
     * The verdict on one ascending sequence that feeds a Citus table, on one node.
     *
     * @param status where it stands on this node
     * @param reason why, for the statuses that need one; null otherwise
     * @param low the lowest usable value on this node (the node's slice within the sequence's own range)
     * @param high the highest usable value on this node
     * @param verdict the plain arithmetic within {@code low..high}, when it was asked; null otherwise
     */
    record NodeVerdict(SequenceStatus status, String reason, BigInteger low, BigInteger high,
            Arithmetic.Verdict verdict) {
    }

    /**
     * Judges an ascending sequence feeding a Citus table on the node of {@code group}.
     *
     * @param group the node's group (0: the coordinator)
     * @param bigint whether the sequence is a bigint one (Citus slices those); int and smallint are the coordinator's
     * @param increment the sequence's increment (positive)
     * @param low the sequence's usable low end: its minimum, raised to the narrowest column type's
     * @param high the sequence's usable high end: its maximum, lowered to the narrowest column type's
     * @param next what {@code nextval()} returns next on this node
     * @param cycle whether the sequence wraps around (a parked sequence that cycles still hands out values)
     * @param dataBound the highest id in use within the node's slice (bigint), or in the whole column (int and smallint
     *     on the coordinator); null when none
     * @param sourceNext what a source database's sequence would hand out next; ignored when it lies beyond this node's
     *     slice, since the ids before it then belong to other nodes
     */
    static NodeVerdict judge(long group, boolean bigint, long increment, BigInteger low, BigInteger high,
            BigInteger next, boolean cycle, BigDecimal dataBound, BigInteger sourceNext, AllocationRule rule,
            long margin) {
        if (increment <= 0) {
            throw new IllegalArgumentException("Citus slices ascending sequences only: increment " + increment);
        }
        if (!bigint) {
            if (group == 0) {
                Arithmetic.Verdict v = Arithmetic.judge(increment, low, high, next, dataBound, sourceNext, rule,
                        margin);
                return new NodeVerdict(v.status(), v.reason(), low, high, v);
            }
            if (next.compareTo(high) > 0 && !cycle) {
                return new NodeVerdict(SequenceStatus.NOT_USED_ON_NODE, "Citus hands out int and smallint ids on the "
                        + "coordinator only; on this worker (group " + group + ") it parks the sequence at its "
                        + "maximum, so nextval() fails here", low, high, null);
            }
            return new NodeVerdict(SequenceStatus.OUTSIDE_NODE_RANGE, "on this worker (group " + group + ") Citus "
                    + "hands out no int or smallint ids and parks the sequence at its maximum, but it stands at next "
                    + "value " + next + (cycle ? " (and cycles)" : "") + ": an insert here through an identity column "
                    + "would take an id the coordinator hands out", low, high, null);
        }
        Range slice = ofGroup(group);
        BigInteger nodeLow = low.max(slice.low());
        BigInteger nodeHigh = high.min(slice.high());
        String where = "this node's range (group " + group + ": " + slice + ")";
        if (!slice.contains(next)) {
            BigInteger step = BigInteger.valueOf(increment);
            if (next.compareTo(slice.high()) > 0 && next.compareTo(slice.high().add(step)) <= 0) {
                return new NodeVerdict(SequenceStatus.EXHAUSTED, "it has handed out the last value of " + where
                        + ": its next value " + next + " belongs to the next group", nodeLow, nodeHigh, null);
            }
            return new NodeVerdict(SequenceStatus.OUTSIDE_NODE_RANGE, "its next value " + next + " lies outside "
                    + where + (next.signum() > 0 ? ", in another node's" : "") + ": the ids it handed "
                    + "out there may already collide", nodeLow, nodeHigh, null);
        }
        if (nodeLow.compareTo(nodeHigh) > 0) {
            return new NodeVerdict(SequenceStatus.EXHAUSTED, "its own range (" + low + ".." + high
                    + ") leaves nothing of " + where, nodeLow, nodeHigh, null);
        }
        BigInteger witnessed = sourceBeyondSlice(group, sourceNext) ? null : sourceNext;
        Arithmetic.Verdict v = Arithmetic.judge(increment, nodeLow, nodeHigh, next, dataBound, witnessed, rule,
                margin);
        String reason = v.reason() == null ? null : v.reason() + " (" + where + ")";
        return new NodeVerdict(v.status(), reason, nodeLow, nodeHigh, v);
    }

    /** {@return whether a source's next value lies beyond this node's slice, so that it cannot bind this node} */
    static boolean sourceBeyondSlice(long group, BigInteger sourceNext) {
        return sourceNext != null && sourceNext.compareTo(ofGroup(group).high().add(BigInteger.ONE)) > 0;
    }

    /** {@return the group whose slice holds a (positive) value: {@code (value - 1) >> 48}} */
    static long groupOf(BigInteger value) {
        return value.subtract(BigInteger.ONE).shiftRight(GROUP_BITS).longValue();
    }
}
