package io.seqguard.internal;

import io.seqguard.AllocationRule;
import io.seqguard.SequenceStatus;
import io.seqguard.Witness;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

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
     */
    record Verdict(SequenceStatus status, BigInteger requiredNext, BigInteger targetLast, BigInteger targetNext,
            String reason, boolean marginNarrowed, double rangeUsed, Witness witness) {
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
            return new Verdict(SequenceStatus.EMPTY, null, null, null, null, false, used, Witness.NONE);
        }
        BigInteger dataTarget = null;
        BigInteger dataRequired = null;
        if (dataBound != null) {
            // ids are whole numbers: a numeric column's 10.5 needs 11 (ascending) or 10 (descending)
            BigInteger bound = (increment > 0 ? dataBound.setScale(0, RoundingMode.CEILING)
                    : dataBound.setScale(0, RoundingMode.FLOOR)).toBigInteger().multiply(sign);
            BigInteger base;
            switch (rule.kind()) {
                case POOLED:
                    base = bound;
                    dataRequired = bound.add(step);
                    break;
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
                        "it has handed out its last value (" + max.multiply(sign) + ")", false, used, witness);
            }
            return new Verdict(SequenceStatus.ALIGNED, requiredNext, null, null, null, false, used, witness);
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
                    witness);
        }
        return new Verdict(SequenceStatus.BEHIND, requiredNext, target.multiply(sign),
                target.add(step).multiply(sign), null, narrowed && margin > 0, used, witness);
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
