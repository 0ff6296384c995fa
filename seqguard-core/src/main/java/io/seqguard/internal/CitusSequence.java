package io.seqguard.internal;

import io.seqguard.AlignerConfiguration;
import io.seqguard.SequenceStatus;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * A sequence that feeds a Citus table, on the node seqguard runs on: its verdict comes from {@link CitusRanges}
 * instead of the plain arithmetic, against the data inside this node's slice ({@link CitusCatalog} made the reads so).
 */
final class CitusSequence {

    /** This node's group. */
    final long group;
    /** Whether Citus slices it (bigint); int and smallint ids come from the coordinator only. */
    final boolean sliced;
    /** Why it is not judged on this node; null when it is. */
    final String refusal;

    CitusSequence(long group, boolean sliced, String refusal) {
        this.group = group;
        this.sliced = sliced;
        this.refusal = refusal;
    }

    /** {@return the first value of this node's slice; null when the sequence is not sliced} */
    Long rangeStart() {
        return sliced ? CitusRanges.ofGroup(group).low().longValueExact() : null;
    }

    /** {@return the last value of this node's slice; null when the sequence is not sliced} */
    Long rangeEnd() {
        return sliced ? CitusRanges.ofGroup(group).high().longValueExact() : null;
    }

    /**
     * The last step of {@link Judge#judge} for this sequence, once its state and the data in this node's slice are
     * known: sets the status, the reason, the node's usable range and the verdict a repair follows.
     */
    void judge(Judged j, AlignerConfiguration config) {
        SequenceInfo s = j.sequence;
        if (refusal != null) {
            j.status = SequenceStatus.NOT_VERIFIABLE;
            j.reason = refusal;
            // not judged: no share of a range either
            j.low = null;
            j.high = null;
            return;
        }
        if (sliced && CitusRanges.sourceBeyondSlice(group, j.sourceNext)) {
            j.extraNotes.add("the source's next value " + j.sourceNext + " lies beyond this node's range (group "
                    + group + ": " + CitusRanges.ofGroup(group) + "): it binds the nodes whose ranges hold it, not "
                    + "this one");
            j.sourceNext = null;
        }
        CitusRanges.NodeVerdict v = CitusRanges.judge(group, sliced, s.increment, j.low, j.high, j.next, s.cycle,
                j.bound, j.sourceNext, j.allocation, config.getMargin());
        j.status = v.status();
        j.reason = v.reason();
        j.verdict = v.verdict();
        if (v.status() == SequenceStatus.NOT_USED_ON_NODE || v.status() == SequenceStatus.OUTSIDE_NODE_RANGE) {
            // no share of a range it does not (or must not) hand out from
            j.low = null;
            j.high = null;
        } else {
            j.low = v.low();
            j.high = v.high();
        }
        if (v.status() == SequenceStatus.OUTSIDE_NODE_RANGE) {
            j.extraNotes.add(sliced ? "a repair never moves a sequence backwards, so seqguard leaves it; after "
                    + "checking which ids it handed out, set it back by hand on this node, within "
                    + CitusRanges.ofGroup(group)
                    : "seqguard never moves int or smallint sequences on a worker; after checking which ids it handed "
                            + "out, park it again by hand on this node, as Citus does: SELECT setval(" + s.literal
                            + ", " + s.maxValue + ", true)");
        }
        for (ColumnInfo c : s.columns) {
            BigDecimal above = c.read == null ? null : c.read.aboveGroups;
            if (above != null) {
                BigInteger id = above.toBigInteger();
                j.extraNotes.add(c.qualifiedName() + " holds ids above every active group's range (up to " + id
                        + ", in group " + CitusRanges.groupOf(id) + "'s range): a node added later may get a group "
                        + "whose range holds them, and its first inserts would collide");
            }
        }
    }
}
