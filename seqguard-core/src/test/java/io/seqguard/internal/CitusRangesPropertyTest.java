package io.seqguard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.seqguard.AllocationRule;
import io.seqguard.SequenceStatus;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * The arithmetic of sequences on a Citus node, as properties over every group (the coordinator, small groups, the
 * last group bigint holds), increments, sequence states around and beyond the node's slice, data inside it, a source
 * witness and every allocation rule: no repair ever leaves the node's slice or lowers a sequence, and an int or
 * smallint sequence on a worker is never repaired. Citus itself cannot run here (its catalog faked would be a mock);
 * these are the rules the engine applies to what Citus's catalog says on a real node.
 */
class CitusRangesPropertyTest {

    private static final BigInteger BIGINT_MAX = BigInteger.valueOf(Long.MAX_VALUE);
    /** The last group whose slice bigint holds: {@code 32767 << 48} plus one is still a bigint. */
    private static final long LAST_GROUP = (1L << (63 - CitusRanges.GROUP_BITS)) - 1;

    /** One sequence on one node, as the engine hands it over. */
    record Case(long group, String type, long increment, BigInteger low, BigInteger high, BigInteger next,
            boolean cycle, BigDecimal bound, BigInteger sourceNext, AllocationRule rule, long margin) {

        boolean bigint() {
            return type.equals("bigint");
        }

        CitusRanges.Range slice() {
            return CitusRanges.ofGroup(group);
        }

        CitusRanges.NodeVerdict judge() {
            return CitusRanges.judge(group, bigint(), increment, low, high, next, cycle, bound, sourceNext, rule,
                    margin);
        }
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<Long> groups = Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just(0L)),
                Tuple.of(4, Arbitraries.longs().between(1, 8)), Tuple.of(1, Arbitraries.longs().between(9, LAST_GROUP)),
                Tuple.of(1, Arbitraries.just(LAST_GROUP)));
        Arbitrary<String> types = Arbitraries.frequency(Tuple.of(4, "bigint"), Tuple.of(1, "integer"),
                Tuple.of(1, "smallint"));
        Arbitrary<Long> increments = Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just(1L)),
                Tuple.of(1, Arbitraries.of(5L, 50L)), Tuple.of(1, Arbitraries.longs().between(2, 1000)));
        Arbitrary<AllocationRule> rules = Arbitraries.of(AllocationRule.plain(), AllocationRule.pooled(),
                AllocationRule.pooledLo(), AllocationRule.hilo(10));
        return Combinators.combine(groups, types, increments, rules, Arbitraries.of(0L, 0L, 3L, 1000L))
                .flatAs((group, type, increment, rule, margin) -> state(group, type, increment, rule, margin));
    }

    /** A sequence defined as Citus defines it on that node, in a state around its slice, with data inside it. */
    private Arbitrary<Case> state(long group, String type, long increment, AllocationRule rule, long margin) {
        BigInteger typeMax = type.equals("bigint") ? BIGINT_MAX
                : BigInteger.valueOf(type.equals("integer") ? Integer.MAX_VALUE : Short.MAX_VALUE);
        CitusRanges.Range slice = CitusRanges.ofGroup(group);
        // a worker's bigint sequence: minvalue at its slice's start, maxvalue one past its end (Citus's own values);
        // the coordinator's and every int or smallint sequence keep their own range
        boolean sliced = type.equals("bigint") && group != 0;
        BigInteger low = sliced ? slice.low() : BigInteger.ONE;
        BigInteger high = sliced ? slice.high().add(BigInteger.ONE).min(typeMax) : typeMax;
        BigInteger inc = BigInteger.valueOf(increment);
        BigInteger start = type.equals("bigint") ? slice.low() : BigInteger.ONE;
        BigInteger end = type.equals("bigint") ? slice.high() : typeMax;
        Arbitrary<BigInteger> inside = Arbitraries.bigIntegers().between(start, end);
        List<Tuple.Tuple2<Integer, Arbitrary<BigInteger>>> states = new ArrayList<>(List.of(
                Tuple.of(4, inside),
                Tuple.of(1, Arbitraries.just(start)),
                Tuple.of(1, Arbitraries.bigIntegers().between(end.subtract(inc.multiply(BigInteger.valueOf(3)))
                        .max(start), end)),
                // the range used up: the next value belongs to the next group (or lies beyond the type)
                Tuple.of(1, Arbitraries.bigIntegers().between(end.add(BigInteger.ONE), end.add(inc))),
                // parked by Citus (int and smallint on a worker): last_value = maxvalue, called
                Tuple.of(1, Arbitraries.just(typeMax.add(inc)))));
        if (end.add(inc).compareTo(BIGINT_MAX) < 0) {
            // left by another tool: in another node's slice, or far above
            states.add(Tuple.of(1, Arbitraries.bigIntegers().between(end.add(inc).add(BigInteger.ONE), BIGINT_MAX)));
        }
        if (start.compareTo(BigInteger.ONE) > 0) {
            // below the node's slice: in a lower group's
            states.add(Tuple.of(1, Arbitraries.bigIntegers().between(BigInteger.ONE, start.subtract(BigInteger.ONE))));
        }
        @SuppressWarnings("unchecked")
        Arbitrary<BigInteger> next = Arbitraries.frequencyOf(states.toArray(new Tuple.Tuple2[0]));
        Arbitrary<BigDecimal> bound = Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just((BigDecimal) null)),
                Tuple.of(3, inside.map(BigDecimal::new)),
                Tuple.of(1, Arbitraries.bigIntegers().between(end.subtract(inc.multiply(BigInteger.TWO)).max(start),
                        end).map(BigDecimal::new)));
        Arbitrary<BigInteger> source = Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.just((BigInteger) null)),
                Tuple.of(1, inside), Tuple.of(1, Arbitraries.bigIntegers().between(BigInteger.ONE, BIGINT_MAX)));
        return Combinators.combine(next, Arbitraries.of(false, false, false, true), bound, source)
                .as((n, cycle, b, src) -> new Case(group, type, increment, low, high, n, cycle, b, src, rule,
                        margin));
    }

    @Property(tries = 3000)
    void noRepairEverLeavesTheNodesRangeOrLowersTheSequence(@ForAll("cases") Case c) {
        CitusRanges.NodeVerdict v = c.judge();
        Statistics.label("status").collect(v.status());
        if (v.status() != SequenceStatus.BEHIND) {
            assertThat(v.verdict() == null || v.verdict().targetLast() == null).as("only a lagging one is moved")
                    .isTrue();
            return;
        }
        BigInteger targetNext = v.verdict().targetNext();
        BigInteger targetLast = v.verdict().targetLast();
        assertThat(targetNext).as("forward only").isGreaterThan(c.next());
        assertThat(targetLast).isEqualTo(targetNext.subtract(BigInteger.valueOf(c.increment())));
        if (c.bigint()) {
            // setval(seq, targetLast, true): both the value set and the next one nextval() hands out are the node's
            assertThat(c.slice().contains(targetNext)).as("next %s within %s", targetNext, c.slice()).isTrue();
            assertThat(c.slice().contains(targetLast)).as("value set %s within %s", targetLast, c.slice()).isTrue();
        } else {
            assertThat(c.group()).as("int and smallint ids are the coordinator's").isZero();
        }
        assertThat(targetNext.compareTo(c.high())).as("within the sequence's own range").isLessThanOrEqualTo(0);
    }

    @Property(tries = 1500)
    void intAndSmallintOnAWorkerAreNeverRepaired(@ForAll("cases") Case c) {
        if (c.bigint() || c.group() == 0) {
            return;
        }
        CitusRanges.NodeVerdict v = c.judge();
        assertThat(v.status()).isIn(SequenceStatus.NOT_USED_ON_NODE, SequenceStatus.OUTSIDE_NODE_RANGE);
        assertThat(v.verdict()).isNull();
        // not used exactly when nextval() fails there: parked at (or beyond) its maximum, not cycling
        assertThat(v.status() == SequenceStatus.NOT_USED_ON_NODE)
                .isEqualTo(c.next().compareTo(c.high()) > 0 && !c.cycle());
        assertThat(v.status().isUnverified()).isFalse();
    }

    @Property(tries = 1500)
    void aSequenceOutsideItsRangeGetsItsOwnFindingAndIsNeverMoved(@ForAll("cases") Case c) {
        if (!c.bigint()) {
            return;
        }
        CitusRanges.NodeVerdict v = c.judge();
        BigInteger usedUp = c.slice().high().add(BigInteger.valueOf(c.increment()));
        boolean outside = c.next().compareTo(c.slice().low()) < 0 || c.next().compareTo(usedUp) > 0;
        assertThat(v.status() == SequenceStatus.OUTSIDE_NODE_RANGE).as("next %s, slice %s", c.next(), c.slice())
                .isEqualTo(outside);
        if (outside) {
            assertThat(v.verdict()).isNull();
            assertThat(v.status().isDrift()).isTrue();
        }
    }

    @Property(tries = 1500)
    void whatIsAlignedHandsOutFreeIdsOfTheNodesRange(@ForAll("cases") Case c) {
        if (!c.bigint()) {
            return;
        }
        CitusRanges.NodeVerdict v = c.judge();
        BigInteger next = v.status() == SequenceStatus.BEHIND ? v.verdict().targetNext()
                : v.status() == SequenceStatus.ALIGNED ? c.next() : null;
        if (next == null) {
            return;
        }
        // the next nextval() (after the repair, if any) is this node's, and above every id in use in its slice
        assertThat(c.slice().contains(next)).as("%s in %s", next, c.slice()).isTrue();
        if (c.bound() != null && c.rule().kind() != AllocationRule.Kind.HILO) {
            assertThat(new BigDecimal(next)).isGreaterThan(c.bound());
        }
    }

    @Property(tries = 500)
    void eachGroupsSliceFollowsTheLastAndHoldsTwoToThe48(@ForAll("cases") Case c) {
        CitusRanges.Range slice = c.slice();
        assertThat(CitusRanges.groupOf(slice.low())).isEqualTo(c.group());
        assertThat(CitusRanges.groupOf(slice.high())).isEqualTo(c.group());
        if (c.group() > 0) {
            assertThat(slice.low()).isEqualTo(CitusRanges.ofGroup(c.group() - 1).high().add(BigInteger.ONE));
        }
        if (c.group() < LAST_GROUP) {
            assertThat(slice.high().subtract(slice.low()).add(BigInteger.ONE)).isEqualTo(BigInteger.ONE.shiftLeft(48));
            assertThat(CitusRanges.aboveGroups(List.of(0L, c.group())).low()).isEqualTo(slice.high().add(
                    BigInteger.ONE));
        } else {
            assertThat(slice.high()).isEqualTo(BIGINT_MAX);
            assertThat(CitusRanges.aboveGroups(List.of(0L, c.group()))).isNull();
        }
    }

    // ---------------------------------------------------------------------------------- the lab's own numbers

    private static final BigInteger G1_START = BigInteger.valueOf(281474976710657L);
    private static final BigInteger G2_START = BigInteger.valueOf(562949953421313L);

    @Example
    void theCoordinatorPushedIntoWorkerTwosRangeIsOutsideItsOwn() {
        // what seqguard before Citus support did on a healthy cluster: max(id) through the coordinator is worker 2's
        CitusRanges.NodeVerdict v = CitusRanges.judge(0, true, 1, BigInteger.ONE, BIGINT_MAX,
                BigInteger.valueOf(562949953421316L), false, new BigDecimal(20), null, AllocationRule.pooled(), 0);
        assertThat(v.status()).isEqualTo(SequenceStatus.OUTSIDE_NODE_RANGE);
        assertThat(v.reason()).contains("562949953421316", "group 0: 1..281474976710656", "another node's");
    }

    @Example
    void aHealthyWorkerIsAlignedWithinItsRangeWhateverTheOtherNodesHold() {
        CitusRanges.NodeVerdict v = CitusRanges.judge(1, true, 1, G1_START, G2_START,
                G1_START.add(BigInteger.TEN), false, new BigDecimal(G1_START.add(BigInteger.valueOf(9))), null,
                AllocationRule.pooled(), 0);
        assertThat(v.status()).isEqualTo(SequenceStatus.ALIGNED);
        assertThat(v.high()).isEqualTo(G2_START.subtract(BigInteger.ONE));
    }

    @Example
    void aWorkerBehindRowsCopiedIntoItsRangeMovesToTheEndOfThemOnly() {
        BigDecimal copied = new BigDecimal(G1_START.add(BigInteger.valueOf(49)));
        CitusRanges.NodeVerdict v = CitusRanges.judge(1, true, 1, G1_START, G2_START, G1_START, false, copied, null,
                AllocationRule.pooled(), 0);
        assertThat(v.status()).isEqualTo(SequenceStatus.BEHIND);
        assertThat(v.verdict().targetNext()).isEqualTo(G1_START.add(BigInteger.valueOf(50)));
    }

    @Example
    void dataAtTheEndOfTheNodesRangeIsExhaustedNeverTheNextGroupsFirstId() {
        BigDecimal last = new BigDecimal(G2_START.subtract(BigInteger.ONE));
        CitusRanges.NodeVerdict v = CitusRanges.judge(1, true, 1, G1_START, G2_START, G1_START, false, last, null,
                AllocationRule.pooled(), 0);
        assertThat(v.status()).isEqualTo(SequenceStatus.EXHAUSTED);
        assertThat(v.reason()).contains("group 1");
        // maxvalue is one past the slice: a sequence standing there has handed out its slice's last value
        CitusRanges.NodeVerdict usedUp = CitusRanges.judge(1, true, 1, G1_START, G2_START, G2_START, false, null,
                null, AllocationRule.pooled(), 0);
        assertThat(usedUp.status()).isEqualTo(SequenceStatus.EXHAUSTED);
        assertThat(usedUp.reason()).contains("next group");
    }

    @Example
    void aParkedIntSequenceIsNotUsedOnAWorkerAndAnUnparkedOneIsOutside() {
        BigInteger max = BigInteger.valueOf(Integer.MAX_VALUE);
        assertThat(CitusRanges.judge(2, false, 1, BigInteger.ONE, max, max.add(BigInteger.ONE), false, null, null,
                AllocationRule.pooled(), 0).status()).isEqualTo(SequenceStatus.NOT_USED_ON_NODE);
        assertThat(CitusRanges.judge(2, false, 1, BigInteger.ONE, max, BigInteger.TWO, false, null, null,
                AllocationRule.pooled(), 0).status()).isEqualTo(SequenceStatus.OUTSIDE_NODE_RANGE);
        // on the coordinator the same sequence is judged against its whole column
        assertThat(CitusRanges.judge(0, false, 1, BigInteger.ONE, max, BigInteger.TWO, false, BigDecimal.TEN, null,
                AllocationRule.plain(), 0).status()).isEqualTo(SequenceStatus.BEHIND);
    }

    @Example
    void aSourceBeyondTheNodesRangeDoesNotBindIt() {
        // a single PostgreSQL that had handed out ids up to 10^15 binds the node whose range holds them, not worker 1
        CitusRanges.NodeVerdict v = CitusRanges.judge(1, true, 1, G1_START, G2_START, G1_START.add(BigInteger.TEN),
                false, null, BigInteger.TEN.pow(15), AllocationRule.plain(), 0);
        assertThat(v.status()).isEqualTo(SequenceStatus.EMPTY);
        assertThat(CitusRanges.sourceBeyondSlice(1, BigInteger.TEN.pow(15))).isTrue();
        assertThat(CitusRanges.sourceBeyondSlice(1, G2_START)).isFalse();
    }
}
