package io.seqguard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.seqguard.AllocationRule;
import io.seqguard.SequenceStatus;
import java.math.BigDecimal;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/** The edges of the arithmetic, where a real server is slow to reach: the ends of bigint. */
class ArithmeticTest {

    private static final BigInteger MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private static Arithmetic.Verdict judge(long increment, long next, long bound, AllocationRule rule) {
        return Arithmetic.judge(increment, increment > 0 ? BigInteger.ONE : MIN, increment > 0 ? MAX
                : BigInteger.valueOf(-1), BigInteger.valueOf(next), BigDecimal.valueOf(bound), rule, 0);
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
    void hiloRoundsTheBlockUp() {
        assertThat(judge(1, 1, 101, AllocationRule.hilo(50)).requiredNext()).isEqualTo(BigInteger.valueOf(4));
        assertThat(judge(1, 1, 100, AllocationRule.hilo(50)).requiredNext()).isEqualTo(BigInteger.valueOf(3));
        assertThat(judge(1, 3, 100, AllocationRule.hilo(50)).status()).isEqualTo(SequenceStatus.ALIGNED);
    }

    @Test
    void anExhaustedSequenceIsReportedEvenWhenItsDataIsLow() {
        Arithmetic.Verdict v = Arithmetic.judge(1, BigInteger.ONE, BigInteger.valueOf(10), BigInteger.valueOf(11),
                BigDecimal.valueOf(3), AllocationRule.plain(), 0);
        assertThat(v.status()).isEqualTo(SequenceStatus.EXHAUSTED);
        assertThat(v.rangeUsed()).isEqualTo(1.0);
    }

    @Test
    void noDataMeansEmpty() {
        Arithmetic.Verdict v = Arithmetic.judge(1, BigInteger.ONE, MAX, BigInteger.ONE, null,
                AllocationRule.pooled(), 0);
        assertThat(v.status()).isEqualTo(SequenceStatus.EMPTY);
        assertThat(v.targetLast()).isNull();
    }
}
