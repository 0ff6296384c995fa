package io.seqguard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.seqguard.GuardMode;
import io.seqguard.IncompleteAction;
import io.seqguard.StandbyAction;
import io.seqguard.StartupGuardException.Reason;
import io.seqguard.SubscriptionAction;
import io.seqguard.Verdict;
import io.seqguard.internal.GuardPolicy.Consequence;
import io.seqguard.internal.GuardPolicy.Decision;
import io.seqguard.internal.GuardPolicy.Kind;
import io.seqguard.internal.GuardPolicy.Rule;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The guard's rules as a table: mode × standby × enabled subscription (and PostgreSQL 19's pending sequence
 * synchronization, and a Citus shard move), then verdict × the configured actions.
 */
class GuardPolicyTest {

    static Stream<Arguments> decisions() {
        return Stream.of(
                // mode, standby, onStandby, subscription, onEnabledSubscription -> kind, applied, rule
                Arguments.of(GuardMode.REPAIR, false, StandbyAction.VERIFY, false, SubscriptionAction.REFUSE,
                        Kind.CHECK, GuardMode.REPAIR, Rule.PLAIN),
                Arguments.of(GuardMode.VERIFY, false, StandbyAction.VERIFY, false, SubscriptionAction.REFUSE,
                        Kind.CHECK, GuardMode.VERIFY, Rule.PLAIN),
                // a standby never repairs, whatever the mode
                Arguments.of(GuardMode.REPAIR, true, StandbyAction.VERIFY, false, SubscriptionAction.REFUSE,
                        Kind.CHECK, GuardMode.VERIFY, Rule.STANDBY_VERIFY),
                Arguments.of(GuardMode.VERIFY, true, StandbyAction.VERIFY, false, SubscriptionAction.REFUSE,
                        Kind.CHECK, GuardMode.VERIFY, Rule.STANDBY_VERIFY),
                Arguments.of(GuardMode.REPAIR, true, StandbyAction.WARN, false, SubscriptionAction.REFUSE,
                        Kind.CHECK, GuardMode.VERIFY, Rule.STANDBY_WARN),
                Arguments.of(GuardMode.REPAIR, true, StandbyAction.SKIP, false, SubscriptionAction.REFUSE,
                        Kind.SKIP, GuardMode.OFF, Rule.STANDBY_SKIP),
                Arguments.of(GuardMode.VERIFY, true, StandbyAction.FAIL, false, SubscriptionAction.REFUSE,
                        Kind.REFUSE, GuardMode.OFF, Rule.STANDBY_FAIL),
                // the standby's rule comes first: its subscriptions do not run there
                Arguments.of(GuardMode.REPAIR, true, StandbyAction.VERIFY, true, SubscriptionAction.REFUSE,
                        Kind.CHECK, GuardMode.VERIFY, Rule.STANDBY_VERIFY),
                // an enabled subscription: the cutover is not finished
                Arguments.of(GuardMode.REPAIR, false, StandbyAction.VERIFY, true, SubscriptionAction.REFUSE,
                        Kind.REFUSE, GuardMode.OFF, Rule.SUBSCRIPTION_REFUSE),
                Arguments.of(GuardMode.VERIFY, false, StandbyAction.VERIFY, true, SubscriptionAction.REFUSE,
                        Kind.REFUSE, GuardMode.OFF, Rule.SUBSCRIPTION_REFUSE),
                Arguments.of(GuardMode.REPAIR, false, StandbyAction.VERIFY, true, SubscriptionAction.SKIP,
                        Kind.SKIP, GuardMode.OFF, Rule.SUBSCRIPTION_SKIP),
                Arguments.of(GuardMode.REPAIR, false, StandbyAction.VERIFY, true, SubscriptionAction.VERIFY,
                        Kind.CHECK, GuardMode.VERIFY, Rule.SUBSCRIPTION_VERIFY),
                Arguments.of(GuardMode.REPAIR, false, StandbyAction.VERIFY, true, SubscriptionAction.PROCEED,
                        Kind.CHECK, GuardMode.REPAIR, Rule.SUBSCRIPTION_PROCEED),
                Arguments.of(GuardMode.VERIFY, false, StandbyAction.VERIFY, true, SubscriptionAction.PROCEED,
                        Kind.CHECK, GuardMode.VERIFY, Rule.SUBSCRIPTION_PROCEED));
    }

    @ParameterizedTest(name = "{0}, standby {1} ({2}), subscription {3} ({4}) -> {5} {6} {7}")
    @MethodSource("decisions")
    void decide(GuardMode mode, boolean standby, StandbyAction onStandby, boolean subscription,
            SubscriptionAction onEnabledSubscription, Kind kind, GuardMode applied, Rule rule) {
        Decision decision = GuardPolicy.decide(mode, onStandby, onEnabledSubscription, standby, subscription);
        assertThat(decision.kind()).isEqualTo(kind);
        assertThat(decision.applied()).isEqualTo(applied);
        assertThat(decision.rule()).isEqualTo(rule);
        assertThat(decision.exclusive()).isEqualTo(applied == GuardMode.REPAIR);
        assertThat(decision.refusal()).isEqualTo(kind != Kind.REFUSE ? null
                : rule == Rule.STANDBY_FAIL ? Reason.STANDBY : Reason.SUBSCRIPTION);
    }

    static Stream<Arguments> syncDecisions() {
        return Stream.of(
                // mode, onEnabledSubscription, enabled subscription, onPendingSequenceSync, pending -> kind, applied,
                // rule, sync rule
                Arguments.of(GuardMode.REPAIR, SubscriptionAction.REFUSE, false, SubscriptionAction.REFUSE, true,
                        Kind.REFUSE, GuardMode.OFF, Rule.SEQUENCE_SYNC_REFUSE, null),
                Arguments.of(GuardMode.VERIFY, SubscriptionAction.REFUSE, false, SubscriptionAction.REFUSE, true,
                        Kind.REFUSE, GuardMode.OFF, Rule.SEQUENCE_SYNC_REFUSE, null),
                Arguments.of(GuardMode.REPAIR, SubscriptionAction.REFUSE, false, SubscriptionAction.SKIP, true,
                        Kind.SKIP, GuardMode.OFF, Rule.SEQUENCE_SYNC_SKIP, null),
                Arguments.of(GuardMode.REPAIR, SubscriptionAction.REFUSE, false, SubscriptionAction.VERIFY, true,
                        Kind.CHECK, GuardMode.VERIFY, Rule.PLAIN, Rule.SEQUENCE_SYNC_VERIFY),
                Arguments.of(GuardMode.REPAIR, SubscriptionAction.REFUSE, false, SubscriptionAction.PROCEED, true,
                        Kind.CHECK, GuardMode.REPAIR, Rule.PLAIN, Rule.SEQUENCE_SYNC_PROCEED),
                // an enabled subscription's refusal comes first; when it lets the guard go on, the stricter wins
                Arguments.of(GuardMode.REPAIR, SubscriptionAction.REFUSE, true, SubscriptionAction.PROCEED, true,
                        Kind.REFUSE, GuardMode.OFF, Rule.SUBSCRIPTION_REFUSE, null),
                Arguments.of(GuardMode.REPAIR, SubscriptionAction.PROCEED, true, SubscriptionAction.REFUSE, true,
                        Kind.REFUSE, GuardMode.OFF, Rule.SEQUENCE_SYNC_REFUSE, null),
                Arguments.of(GuardMode.REPAIR, SubscriptionAction.VERIFY, true, SubscriptionAction.PROCEED, true,
                        Kind.CHECK, GuardMode.VERIFY, Rule.SUBSCRIPTION_VERIFY, Rule.SEQUENCE_SYNC_PROCEED),
                // nothing pending: the sync rule does not apply
                Arguments.of(GuardMode.REPAIR, SubscriptionAction.REFUSE, false, SubscriptionAction.REFUSE, false,
                        Kind.CHECK, GuardMode.REPAIR, Rule.PLAIN, null));
    }

    @ParameterizedTest(name = "{0}, subscription {2} ({1}), pending {4} ({3}) -> {5} {6} {7} {8}")
    @MethodSource("syncDecisions")
    void decideWithSequenceSync(GuardMode mode, SubscriptionAction onEnabledSubscription, boolean subscription,
            SubscriptionAction onPendingSequenceSync, boolean pending, Kind kind, GuardMode applied, Rule rule,
            Rule syncRule) {
        Decision decision = GuardPolicy.decide(mode, StandbyAction.VERIFY, onEnabledSubscription,
                onPendingSequenceSync, false, subscription, pending);
        assertThat(decision.kind()).isEqualTo(kind);
        assertThat(decision.applied()).isEqualTo(applied);
        assertThat(decision.rule()).isEqualTo(rule);
        assertThat(decision.syncRule()).isEqualTo(syncRule);
        if (rule == Rule.SEQUENCE_SYNC_REFUSE) {
            assertThat(decision.refusal()).isEqualTo(Reason.SEQUENCE_SYNC);
        }
    }

    static Stream<Arguments> citusDecisions() {
        SubscriptionAction none = SubscriptionAction.REFUSE;
        return Stream.of(
                // mode, standby, cutover subscription (onEnabledSubscription), pending sync (onPendingSequenceSync),
                // Citus shard move -> kind, applied, rule, sync rule
                Arguments.of(GuardMode.REPAIR, false, false, SubscriptionAction.REFUSE, false, none, true,
                        Kind.CHECK, GuardMode.REPAIR, Rule.CITUS_SHARD_TRANSFER, null),
                Arguments.of(GuardMode.VERIFY, false, false, SubscriptionAction.REFUSE, false, none, true,
                        Kind.CHECK, GuardMode.VERIFY, Rule.CITUS_SHARD_TRANSFER, null),
                // a cutover's subscription beside a shard move: the cutover's rule, as without the move
                Arguments.of(GuardMode.REPAIR, false, true, SubscriptionAction.REFUSE, false, none, true,
                        Kind.REFUSE, GuardMode.OFF, Rule.SUBSCRIPTION_REFUSE, null),
                Arguments.of(GuardMode.REPAIR, false, true, SubscriptionAction.PROCEED, false, none, true,
                        Kind.CHECK, GuardMode.REPAIR, Rule.SUBSCRIPTION_PROCEED, null),
                Arguments.of(GuardMode.REPAIR, false, true, SubscriptionAction.SKIP, false, none, true,
                        Kind.SKIP, GuardMode.OFF, Rule.SUBSCRIPTION_SKIP, null),
                // a standby's rule first
                Arguments.of(GuardMode.REPAIR, true, false, SubscriptionAction.REFUSE, false, none, true,
                        Kind.CHECK, GuardMode.VERIFY, Rule.STANDBY_VERIFY, null),
                // sequences waiting for their first synchronization (19) decide as without the move
                Arguments.of(GuardMode.REPAIR, false, false, SubscriptionAction.REFUSE, true,
                        SubscriptionAction.REFUSE, true, Kind.REFUSE, GuardMode.OFF, Rule.SEQUENCE_SYNC_REFUSE, null),
                Arguments.of(GuardMode.REPAIR, false, false, SubscriptionAction.REFUSE, true,
                        SubscriptionAction.VERIFY, true, Kind.CHECK, GuardMode.VERIFY, Rule.CITUS_SHARD_TRANSFER,
                        Rule.SEQUENCE_SYNC_VERIFY),
                // no shard move: the plain rule
                Arguments.of(GuardMode.REPAIR, false, false, SubscriptionAction.REFUSE, false, none, false,
                        Kind.CHECK, GuardMode.REPAIR, Rule.PLAIN, null));
    }

    @ParameterizedTest(name = "{0}, standby {1}, subscription {2} ({3}), pending {4} ({5}), Citus move {6} -> {7} {8} "
            + "{9} {10}")
    @MethodSource("citusDecisions")
    void decideWithCitusShardTransfers(GuardMode mode, boolean standby, boolean subscription,
            SubscriptionAction onEnabledSubscription, boolean pending, SubscriptionAction onPendingSequenceSync,
            boolean citusMove, Kind kind, GuardMode applied, Rule rule, Rule syncRule) {
        Decision decision = GuardPolicy.decide(mode, StandbyAction.VERIFY, onEnabledSubscription,
                onPendingSequenceSync, standby, subscription, pending, citusMove);
        assertThat(decision.kind()).isEqualTo(kind);
        assertThat(decision.applied()).isEqualTo(applied);
        assertThat(decision.rule()).isEqualTo(rule);
        assertThat(decision.syncRule()).isEqualTo(syncRule);
        assertThat(decision.exclusive()).isEqualTo(applied == GuardMode.REPAIR);
    }

    static Stream<Arguments> consequences() {
        Decision plainRepair = new Decision(Kind.CHECK, GuardMode.REPAIR, Rule.PLAIN);
        Decision plainVerify = new Decision(Kind.CHECK, GuardMode.VERIFY, Rule.PLAIN);
        Decision standby = new Decision(Kind.CHECK, GuardMode.VERIFY, Rule.STANDBY_VERIFY);
        Decision standbyWarn = new Decision(Kind.CHECK, GuardMode.VERIFY, Rule.STANDBY_WARN);
        Decision citusMove = new Decision(Kind.CHECK, GuardMode.REPAIR, Rule.CITUS_SHARD_TRANSFER);
        return Stream.of(
                // decision, configured mode, verdict, onIncomplete -> consequence
                Arguments.of(plainRepair, GuardMode.REPAIR, Verdict.ALIGNED, IncompleteAction.FAIL, Consequence.START),
                Arguments.of(plainRepair, GuardMode.REPAIR, Verdict.DRIFT, IncompleteAction.FAIL,
                        Consequence.REFUSE_DRIFT),
                Arguments.of(plainVerify, GuardMode.VERIFY, Verdict.DRIFT, IncompleteAction.WARN,
                        Consequence.REFUSE_DRIFT),
                Arguments.of(plainRepair, GuardMode.REPAIR, Verdict.INCOMPLETE, IncompleteAction.FAIL,
                        Consequence.REFUSE_INCOMPLETE),
                Arguments.of(plainVerify, GuardMode.VERIFY, Verdict.INCOMPLETE, IncompleteAction.FAIL,
                        Consequence.REFUSE_INCOMPLETE),
                Arguments.of(plainRepair, GuardMode.REPAIR, Verdict.INCOMPLETE, IncompleteAction.WARN,
                        Consequence.START_DESPITE_INCOMPLETE),
                // on a standby asked to repair, drift is the standby's refusal; asked to verify, plain drift
                Arguments.of(standby, GuardMode.REPAIR, Verdict.DRIFT, IncompleteAction.FAIL,
                        Consequence.REFUSE_STANDBY),
                Arguments.of(standby, GuardMode.VERIFY, Verdict.DRIFT, IncompleteAction.FAIL,
                        Consequence.REFUSE_DRIFT),
                Arguments.of(standbyWarn, GuardMode.REPAIR, Verdict.DRIFT, IncompleteAction.FAIL,
                        Consequence.START_DESPITE_DRIFT),
                // warn on a standby tolerates drift, not what could not be read
                Arguments.of(standbyWarn, GuardMode.REPAIR, Verdict.INCOMPLETE, IncompleteAction.FAIL,
                        Consequence.REFUSE_INCOMPLETE),
                Arguments.of(standby, GuardMode.VERIFY, Verdict.ALIGNED, IncompleteAction.FAIL, Consequence.START),
                // a Citus shard move changes nothing of what the verdict means
                Arguments.of(citusMove, GuardMode.REPAIR, Verdict.ALIGNED, IncompleteAction.FAIL, Consequence.START),
                Arguments.of(citusMove, GuardMode.REPAIR, Verdict.DRIFT, IncompleteAction.WARN,
                        Consequence.REFUSE_DRIFT),
                Arguments.of(citusMove, GuardMode.REPAIR, Verdict.INCOMPLETE, IncompleteAction.FAIL,
                        Consequence.REFUSE_INCOMPLETE));
    }

    @ParameterizedTest(name = "{0} in mode {1}, {2}, onIncomplete {3} -> {4}")
    @MethodSource("consequences")
    void consequence(Decision decision, GuardMode mode, Verdict verdict, IncompleteAction onIncomplete,
            Consequence expected) {
        assertThat(GuardPolicy.consequence(decision, mode, verdict, onIncomplete)).isEqualTo(expected);
    }
}
