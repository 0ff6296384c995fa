package io.seqguard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.seqguard.AllocationRule;
import io.seqguard.SequenceStatus;
import io.seqguard.Witness;
import java.math.BigDecimal;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/** The edges of the arithmetic, where a real server is slow to reach: the ends of bigint. */
class ArithmeticTest {

    private static final BigInteger MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private static Arithmetic.Verdict judge(long increment, long next, long bound, AllocationRule rule) {
        return Arithmetic.judge(increment, increment > 0 ? BigInteger.ONE : MIN, increment > 0 ? MAX
                : BigInteger.valueOf(-1), BigInteger.valueOf(next), BigDecimal.valueOf(bound), null, rule, 0);
    }

    @Test
    void dataAtTheEndOfBigintIsExhaustedWithoutOverflow() {
        Arithmetic.Verdict v = judge(1, 1, Long.MAX_VALUE, AllocationRule.plain());
        assertThat(v.status()).isEqualTo(SequenceStatus.EXHAUSTED);
        assertThat(v.requiredNext()).isEqualTo(MAX.add(BigInteger.ONE));
    }

    @Test
    void oneBelowTheEndStillFits() {
        Arithmetic.Verdict v = judge(1, 1, Long.MAX_VALUE - 1, AllocationRule.plain());
        assertThat(v.status()).isEqualTo(SequenceStatus.BEHIND);
        assertThat(v.targetNext()).isEqualTo(MAX);
    }

    @Test
    void descendingMirrorsAscending() {
        Arithmetic.Verdict v = judge(-5, -1, -100, AllocationRule.pooled());
        assertThat(v.requiredNext()).isEqualTo(BigInteger.valueOf(-105));
        assertThat(v.targetLast()).isEqualTo(BigInteger.valueOf(-100));
        assertThat(v.targetNext()).isEqualTo(BigInteger.valueOf(-105));
        assertThat(judge(-5, -105, -100, AllocationRule.pooled()).status()).isEqualTo(SequenceStatus.ALIGNED);
        assertThat(judge(-5, -104, -100, AllocationRule.pooled()).status()).isEqualTo(SequenceStatus.BEHIND);
    }

    @Test
    void aPooledBlockOfTheIncrementsSizeIsThePooledRule() {
        Arithmetic.Verdict sized = judge(50, 1, 1234, AllocationRule.pooled(50));
        Arithmetic.Verdict bare = judge(50, 1, 1234, AllocationRule.pooled());
        assertThat(sized.requiredNext()).isEqualTo(bare.requiredNext()).isEqualTo(BigInteger.valueOf(1284));
        assertThat(sized.targetLast()).isEqualTo(bare.targetLast()).isEqualTo(BigInteger.valueOf(1234));
        assertThat(Arithmetic.overlaps(AllocationRule.pooled(50), 50)).isFalse();
        assertThat(Arithmetic.skipsIds(AllocationRule.pooled(50), 50)).isFalse();
    }

    @Test
    void aPooledBlockLargerThanTheIncrementNeedsTheWholeBlockAboveTheData() {
        Arithmetic.Verdict v = judge(1, 1, 1234, AllocationRule.pooled(50));
        assertThat(v.requiredNext()).as("[next - 49, next] above 1234").isEqualTo(BigInteger.valueOf(1284));
        assertThat(v.targetLast()).isEqualTo(BigInteger.valueOf(1283));
        assertThat(v.targetNext()).isEqualTo(BigInteger.valueOf(1284));
        assertThat(Arithmetic.overlaps(AllocationRule.pooled(50), 1)).as("blocks 1235..1284 and 1236..1285")
                .isTrue();
        assertThat(Arithmetic.overlaps(AllocationRule.pooledLo(50), -1)).isTrue();
        assertThat(Arithmetic.overlaps(AllocationRule.pooled(), 1)).as("its block is the increment").isFalse();
        assertThat(Arithmetic.overlaps(AllocationRule.hilo(50), 1)).as("hilo multiplies").isFalse();
    }

    @Test
    void aPooledBlockSmallerThanTheIncrementOnlySkipsIds() {
        Arithmetic.Verdict v = judge(50, 1, 1234, AllocationRule.pooled(10));
        assertThat(v.requiredNext()).isEqualTo(BigInteger.valueOf(1244));
        assertThat(v.targetLast()).isEqualTo(BigInteger.valueOf(1234));
        assertThat(Arithmetic.skipsIds(AllocationRule.pooled(10), 50)).isTrue();
        assertThat(Arithmetic.overlaps(AllocationRule.pooled(10), 50)).isFalse();
    }

    @Test
    void ofSeveralRulesTheStrictestDecides() {
        BigInteger low = BigInteger.ONE;
        Arithmetic.Verdict pooled = Arithmetic.judge(50, low, MAX, BigInteger.ONE, BigDecimal.valueOf(1000), null,
                java.util.List.of(AllocationRule.plain(), AllocationRule.pooled(50)), 0);
        assertThat(pooled.rule()).isEqualTo(AllocationRule.pooled(50));
        assertThat(pooled.requiredNext()).isEqualTo(BigInteger.valueOf(1050));
        Arithmetic.Verdict plain = Arithmetic.judge(1, low, MAX, BigInteger.ONE, BigDecimal.valueOf(1000), null,
                java.util.List.of(AllocationRule.hilo(50), AllocationRule.plain()), 0);
        assertThat(plain.rule()).as("hilo needs 21, plain 1001").isEqualTo(AllocationRule.plain());
        assertThat(plain.targetLast()).isEqualTo(BigInteger.valueOf(1000));
        Arithmetic.Verdict descending = Arithmetic.judge(-5, MIN, BigInteger.valueOf(-1), BigInteger.valueOf(-1),
                BigDecimal.valueOf(-100), null, java.util.List.of(AllocationRule.pooledLo(5),
                        AllocationRule.pooled(5)), 0);
        assertThat(descending.rule()).isEqualTo(AllocationRule.pooled(5));
        assertThat(descending.requiredNext()).isEqualTo(BigInteger.valueOf(-105));
    }

    @Test
    void hiloRoundsTheBlockUp() {
        assertThat(judge(1, 1, 101, AllocationRule.hilo(50)).requiredNext()).isEqualTo(BigInteger.valueOf(4));
        assertThat(judge(1, 1, 100, AllocationRule.hilo(50)).requiredNext()).isEqualTo(BigInteger.valueOf(3));
        assertThat(judge(1, 3, 100, AllocationRule.hilo(50)).status()).isEqualTo(SequenceStatus.ALIGNED);
    }

    @Test
    void anExhaustedSequenceIsReportedEvenWhenItsDataIsLow() {
        Arithmetic.Verdict v = Arithmetic.judge(1, BigInteger.ONE, BigInteger.valueOf(10), BigInteger.valueOf(11),
                BigDecimal.valueOf(3), null, AllocationRule.plain(), 0);
        assertThat(v.status()).isEqualTo(SequenceStatus.EXHAUSTED);
        assertThat(v.rangeUsed()).isEqualTo(1.0);
    }

    @Test
    void noDataMeansEmpty() {
        Arithmetic.Verdict v = Arithmetic.judge(1, BigInteger.ONE, MAX, BigInteger.ONE, null,
                null, AllocationRule.pooled(), 0);
        assertThat(v.status()).isEqualTo(SequenceStatus.EMPTY);
        assertThat(v.targetLast()).isNull();
    }

    private static Arithmetic.Verdict withSource(long increment, long next, Long bound, long sourceNext, long margin) {
        return Arithmetic.judge(increment, increment > 0 ? BigInteger.ONE : MIN, increment > 0 ? MAX
                : BigInteger.valueOf(-1), BigInteger.valueOf(next), bound == null ? null : BigDecimal.valueOf(bound),
                BigInteger.valueOf(sourceNext), AllocationRule.pooled(), margin);
    }

    @Test
    void theSourceAloneDecidesWhenThereIsNoData() {
        Arithmetic.Verdict v = withSource(1, 1, null, 43, 0);
        assertThat(v.status()).isEqualTo(SequenceStatus.BEHIND);
        assertThat(v.witness()).isEqualTo(Witness.SOURCE);
        assertThat(v.requiredNext()).isEqualTo(BigInteger.valueOf(43));
        assertThat(v.targetLast()).isEqualTo(BigInteger.valueOf(42));
        assertThat(v.targetNext()).isEqualTo(BigInteger.valueOf(43));
        assertThat(withSource(1, 43, null, 43, 0).status()).isEqualTo(SequenceStatus.ALIGNED);
        assertThat(withSource(1, 43, null, 43, 0).witness()).isEqualTo(Witness.SOURCE);
    }

    @Test
    void theFurthestWitnessDecidesAndTheMarginGoesBeyondIt() {
        assertThat(withSource(1, 1, 10L, 16, 0).witness()).isEqualTo(Witness.SOURCE);
        assertThat(withSource(1, 1, 10L, 16, 0).targetNext()).isEqualTo(BigInteger.valueOf(16));
        assertThat(withSource(1, 1, 20L, 16, 0).witness()).isEqualTo(Witness.DATA);
        assertThat(withSource(1, 1, 20L, 16, 0).targetNext()).isEqualTo(BigInteger.valueOf(21));
        assertThat(withSource(1, 1, 15L, 16, 0).witness()).isEqualTo(Witness.BOTH);
        assertThat(withSource(1, 1, 10L, 16, 100).targetNext()).isEqualTo(BigInteger.valueOf(116));
        assertThat(withSource(1, 1, 200L, 16, 100).targetNext()).isEqualTo(BigInteger.valueOf(301));
        // a target already beyond both stays where it is
        assertThat(withSource(1, 1000, 10L, 16, 0).status()).isEqualTo(SequenceStatus.ALIGNED);
    }

    @Test
    void aDescendingSourceMirrorsAscending() {
        Arithmetic.Verdict v = withSource(-1, -1, null, -4, 0);
        assertThat(v.requiredNext()).isEqualTo(BigInteger.valueOf(-4));
        assertThat(v.targetLast()).isEqualTo(BigInteger.valueOf(-3));
        assertThat(v.targetNext()).isEqualTo(BigInteger.valueOf(-4));
        assertThat(withSource(-1, -5, -2L, -4, 0).status()).isEqualTo(SequenceStatus.ALIGNED);
    }

    @Test
    void aSourceBeyondTheRangeIsExhausted() {
        Arithmetic.Verdict v = Arithmetic.judge(1, BigInteger.ONE, BigInteger.TEN, BigInteger.ONE, null,
                BigInteger.valueOf(12), AllocationRule.plain(), 0);
        assertThat(v.status()).isEqualTo(SequenceStatus.EXHAUSTED);
        assertThat(v.reason()).startsWith("the source has handed out values up to next value 12");
    }
}
