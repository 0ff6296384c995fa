package io.seqguard.internal;

import io.seqguard.AllocationRule;
import io.seqguard.SequenceStatus;
import io.seqguard.Witness;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.List;

/**
 * The sequence arithmetic of the design notes, in one place and free of I/O. Work happens in "normalized" space:
 * values of a descending sequence are negated, so every rule reads as for an ascending one. {@link BigInteger} keeps
 * sums near the ends of {@code bigint} exact.
 */
final class Arithmetic {

    private Arithmetic() {
    }

    /**
     * The verdict on one sequence.
     *
     * @param status where it stands
     * @param requiredNext the least safe next value; null when nothing requires one (no data, no source)
     * @param targetLast the value a repair passes to {@code setval(seq, value, true)}; null when no repair applies
     * @param targetNext the next value after that repair; null when no repair applies
     * @param reason why it is exhausted; null otherwise
     * @param marginNarrowed whether the margin had to shrink to stay within the range
     * @param rangeUsed the share of the usable range before {@code next}
     * @param witness which requirement decided {@code requiredNext}
     * @param rule the allocation rule that decided (of several, the strictest)
     */
    record Verdict(SequenceStatus status, BigInteger requiredNext, BigInteger targetLast, BigInteger targetNext,
            String reason, boolean marginNarrowed, double rangeUsed, Witness witness, AllocationRule rule) {
    }

    /**
     * Judges one sequence under each of several rules (the entities sharing it may allocate differently) and keeps
     * the strictest verdict: the highest required next value (normalized), then the furthest repair. Whatever
     * satisfies it satisfies every rule, since each rule's target is its requirement less at most one increment.
     *
     * @param rules at least one
     * @see #judge(long, BigInteger, BigInteger, BigInteger, BigDecimal, BigInteger, AllocationRule, long)
     */
    static Verdict judge(long increment, BigInteger low, BigInteger high, BigInteger next, BigDecimal dataBound,
            BigInteger sourceNext, List<AllocationRule> rules, long margin) {
        BigInteger sign = BigInteger.valueOf(Long.signum(increment));
        Verdict strictest = null;
        for (AllocationRule rule : rules) {
            Verdict v = judge(increment, low, high, next, dataBound, sourceNext, rule, margin);
            if (strictest == null || stricter(v, strictest, sign)) {
                strictest = v;
            }
        }
        return strictest;
    }

    private static boolean stricter(Verdict a, Verdict b, BigInteger sign) {
        if (a.requiredNext() == null || b.requiredNext() == null) {
            return b.requiredNext() == null && a.requiredNext() != null;
        }
        int c = a.requiredNext().multiply(sign).compareTo(b.requiredNext().multiply(sign));
        if (c != 0) {
            return c > 0;
        }
        return a.targetLast() != null && (b.targetLast() == null
                || a.targetLast().multiply(sign).compareTo(b.targetLast().multiply(sign)) > 0);
    }

    /**
     * Whether consecutive id blocks of the rule overlap on a sequence with this increment: a pooled or pooled-lo
     * block (the entity's {@code allocationSize}) larger than the increment. The value after {@code v} is
     * {@code v + inc}, and its block reaches back (pooled) or forward (pooled-lo) into ids the block of {@code v}
     * already handed out; no value of the sequence avoids that.
     */
    static boolean overlaps(AllocationRule rule, long increment) {
        return (rule.kind() == AllocationRule.Kind.POOLED || rule.kind() == AllocationRule.Kind.POOLED_LO)
                && rule.blockSize() > Math.abs(increment);
    }

    /**
     * Whether a pooled or pooled-lo rule's block is smaller than the increment: every value skips ids (no
     * collision, only gaps).
     */
    static boolean skipsIds(AllocationRule rule, long increment) {
        return (rule.kind() == AllocationRule.Kind.POOLED || rule.kind() == AllocationRule.Kind.POOLED_LO)
                && rule.blockSize() > 0 && rule.blockSize() < Math.abs(increment);
    }

    /**
     * Judges one sequence against its data and, when given, against what the source database had handed out.
     *
     * @param increment the sequence's increment (never 0)
     * @param low the lowest usable value: the sequence's minimum, raised to the narrowest column type's
     * @param high the highest usable value: the sequence's maximum, lowered to the narrowest column type's
     * @param next what {@code nextval()} returns next
     * @param dataBound the max (min when descending) value in use; null when every column is empty (or none is
     *     compared)
     * @param sourceNext what the source's sequence would hand out next (everything before it may exist somewhere):
     *     the next value must be at least that far (at most, descending); null without a source witness
     * @param rule how applications turn values into ids
     * @param margin extra values a repair skips
     */
    static Verdict judge(long increment, BigInteger low, BigInteger high, BigInteger next, BigDecimal dataBound,
            BigInteger sourceNext, AllocationRule rule, long margin) {
        BigInteger sign = BigInteger.valueOf(Long.signum(increment));
        BigInteger step = BigInteger.valueOf(Math.abs(increment));
        BigInteger min = increment > 0 ? low : high.negate();
        BigInteger max = increment > 0 ? high : low.negate();
        BigInteger n = next.multiply(sign);
        double used = rangeUsed(increment, low, high, next);

        if (dataBound == null && sourceNext == null) {
            return new Verdict(SequenceStatus.EMPTY, null, null, null, null, false, used, Witness.NONE, rule);
        }
        BigInteger dataTarget = null;
        BigInteger dataRequired = null;
        if (dataBound != null) {
            // ids are whole numbers: a numeric column's 10.5 needs 11 (ascending) or 10 (descending)
            BigInteger bound = (increment > 0 ? dataBound.setScale(0, RoundingMode.CEILING)
                    : dataBound.setScale(0, RoundingMode.FLOOR)).toBigInteger().multiply(sign);
            BigInteger base;
            switch (rule.kind()) {
                case POOLED: {
                    // [v - block + 1, v] must lie above the bound; a block larger than the increment needs the
                    // repair to reach further than one increment past the bound
                    BigInteger block = rule.blockSize() > 0 ? BigInteger.valueOf(rule.blockSize()) : step;
                    base = bound.add(block.subtract(step).max(BigInteger.ZERO));
                    dataRequired = bound.add(block);
                    break;
                }
                case HILO:
                    base = ceilDiv(bound, BigInteger.valueOf(rule.blockSize()));
                    dataRequired = base.add(BigInteger.ONE);
                    break;
                default:
                    base = bound;
                    dataRequired = bound.add(BigInteger.ONE);
                    break;
            }
            dataTarget = base.add(BigInteger.valueOf(margin));
        }
        BigInteger sourceRequired = null;
        BigInteger sourceTarget = null;
        if (sourceNext != null) {
            // the source's next value is the least next value here; a repair lands the next value margin beyond it
            sourceRequired = sourceNext.multiply(sign);
            sourceTarget = sourceRequired.add(BigInteger.valueOf(margin)).subtract(step);
        }
        BigInteger required;
        BigInteger target;
        Witness witness;
        if (dataRequired == null) {
            required = sourceRequired;
            target = sourceTarget;
            witness = Witness.SOURCE;
        } else if (sourceRequired == null) {
            required = dataRequired;
            target = dataTarget;
            witness = Witness.DATA;
        } else {
            int c = dataRequired.compareTo(sourceRequired);
            required = c >= 0 ? dataRequired : sourceRequired;
            target = dataTarget.max(sourceTarget);
            witness = c == 0 ? Witness.BOTH : c > 0 ? Witness.DATA : Witness.SOURCE;
        }
        BigInteger requiredNext = required.multiply(sign);
        String needs = witness == Witness.SOURCE ? "the source has handed out values up to next value "
                : witness == Witness.BOTH ? "the data and the source need next value " : "the data needs next value ";

        if (n.compareTo(required) >= 0) {
            if (n.compareTo(max) > 0) {
                return new Verdict(SequenceStatus.EXHAUSTED, requiredNext, null, null,
                        "it has handed out its last value (" + max.multiply(sign) + ")", false, used, witness, rule);
            }
            return new Verdict(SequenceStatus.ALIGNED, requiredNext, null, null, null, false, used, witness, rule);
        }

        target = target.max(min);
        boolean narrowed = false;
        BigInteger highestTarget = max.subtract(step);
        if (target.compareTo(highestTarget) > 0) {
            target = highestTarget;
            narrowed = true;
        }
        if (target.add(step).compareTo(required) < 0) {
            return new Verdict(SequenceStatus.EXHAUSTED, requiredNext, null, null,
                    needs + requiredNext + " but the usable range ends at " + max.multiply(sign), false, used,
                    witness, rule);
        }
        return new Verdict(SequenceStatus.BEHIND, requiredNext, target.multiply(sign),
                target.add(step).multiply(sign), null, narrowed && margin > 0, used, witness, rule);
    }

    /** The share of the usable range {@code [low, high]} a sequence whose next value is {@code next} has used. */
    static double rangeUsed(long increment, BigInteger low, BigInteger high, BigInteger next) {
        return increment > 0 ? share(next, low, high) : share(next.negate(), high.negate(), low.negate());
    }

    /** Where {@code n} stands between {@code min} and {@code max}, clamped to 0..1. */
    static double share(BigInteger n, BigInteger min, BigInteger max) {
        BigInteger span = max.subtract(min);
        if (span.signum() <= 0) {
            return 1;
        }
        double value = new BigDecimal(n.subtract(min)).divide(new BigDecimal(span), 6, RoundingMode.HALF_UP)
                .doubleValue();
        return Math.max(0, Math.min(1, value));
    }

    private static BigInteger ceilDiv(BigInteger a, BigInteger b) {
        BigInteger[] qr = a.divideAndRemainder(b);
        return qr[1].signum() > 0 ? qr[0].add(BigInteger.ONE) : qr[0];
    }
}
