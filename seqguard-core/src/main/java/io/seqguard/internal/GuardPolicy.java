package io.seqguard.internal;

import io.seqguard.GuardMode;
import io.seqguard.IncompleteAction;
import io.seqguard.StandbyAction;
import io.seqguard.StartupGuardException.Reason;
import io.seqguard.SubscriptionAction;
import io.seqguard.Verdict;

/**
 * The guard's rules, free of I/O: what the server's facts let the configured mode do ({@link #decide}), and what
 * the run's verdict then means for start-up ({@link #consequence}). Table-driven tests cover every combination.
 */
final class GuardPolicy {

    /** Whether the guard checks the sequences, skips them, or refuses before looking. */
    enum Kind {
        CHECK, SKIP, REFUSE
    }

    /** Which rule shaped the decision: the notes, log lines and messages follow from it. */
    enum Rule {
        /** No standby, no enabled subscription: the configured mode. */
        PLAIN,
        STANDBY_VERIFY,
        STANDBY_WARN,
        STANDBY_SKIP,
        STANDBY_FAIL,
        SUBSCRIPTION_REFUSE,
        SUBSCRIPTION_SKIP,
        SUBSCRIPTION_VERIFY,
        SUBSCRIPTION_PROCEED,
        /** PostgreSQL 19+: sequences still wait for a subscription's first synchronization. */
        SEQUENCE_SYNC_REFUSE,
        SEQUENCE_SYNC_SKIP,
        SEQUENCE_SYNC_VERIFY,
        SEQUENCE_SYNC_PROCEED,
        /**
         * No subscription feeds the database as a cutover, but Citus moves or splits shards: the configured mode. Its
         * subscriptions copy rows between shard placements with their ids, which changes no node's data.
         */
        CITUS_SHARD_TRANSFER
    }

    /**
     * What the guard does before it reads a sequence.
     *
     * @param kind check, skip or refuse
     * @param applied the mode in force: {@link GuardMode#REPAIR}, {@link GuardMode#VERIFY}, or {@link GuardMode#OFF}
     *     when nothing is checked
     * @param rule the rule that decided
     * @param syncRule the rule for sequences a subscription has yet to synchronize (PostgreSQL 19+), when that applies
     *     too; null otherwise
     */
    record Decision(Kind kind, GuardMode applied, Rule rule, Rule syncRule) {

        Decision(Kind kind, GuardMode applied, Rule rule) {
            this(kind, applied, rule, null);
        }

        /** Repair takes the lock exclusively; verify shares it. */
        boolean exclusive() {
            return applied == GuardMode.REPAIR;
        }

        /** The refusal's reason; null unless {@link Kind#REFUSE}. */
        Reason refusal() {
            switch (rule) {
                case STANDBY_FAIL:
                    return Reason.STANDBY;
                case SUBSCRIPTION_REFUSE:
                    return Reason.SUBSCRIPTION;
                case SEQUENCE_SYNC_REFUSE:
                    return Reason.SEQUENCE_SYNC;
                default:
                    return null;
            }
        }

        boolean onStandby() {
            return rule.name().startsWith("STANDBY");
        }
    }

    /** What the verdict of a check means for start-up. */
    enum Consequence {
        /** Start: aligned, or repaired. */
        START,
        /** Start, and say which sequences lag ({@link StandbyAction#WARN}). */
        START_DESPITE_DRIFT,
        /** Start, and say which sequences were not verified ({@link IncompleteAction#WARN}). */
        START_DESPITE_INCOMPLETE,
        /** Refuse: drift. */
        REFUSE_DRIFT,
        /** Refuse: drift found on a standby that was asked to repair ({@link Reason#STANDBY}). */
        REFUSE_STANDBY,
        /** Refuse: incomplete ({@link IncompleteAction#FAIL}). */
        REFUSE_INCOMPLETE
    }

    private GuardPolicy() {
    }

    /**
     * @param mode the configured mode, {@link GuardMode#REPAIR} or {@link GuardMode#VERIFY} (off never gets here)
     * @param standby whether the server is a standby; a standby's rules come first (its subscriptions do not run)
     * @param enabledSubscriptions whether an enabled subscription still feeds the database
     */
    static Decision decide(GuardMode mode, StandbyAction onStandby, SubscriptionAction onEnabledSubscription,
            boolean standby, boolean enabledSubscriptions) {
        return decide(mode, onStandby, onEnabledSubscription, SubscriptionAction.REFUSE, standby, enabledSubscriptions,
                false);
    }

    /**
     * Like {@link #decide(GuardMode, StandbyAction, SubscriptionAction, boolean, boolean)}, with PostgreSQL 19's
     * sequence synchronization: a subscription, enabled or not, whose sequences still wait for their first
     * synchronization would undo a repair. Its rule applies after the enabled subscriptions' (the stricter wins).
     *
     * @param pendingSequenceSync whether some subscription's sequences wait for their first synchronization
     */
    static Decision decide(GuardMode mode, StandbyAction onStandby, SubscriptionAction onEnabledSubscription,
            SubscriptionAction onPendingSequenceSync, boolean standby, boolean enabledSubscriptions,
            boolean pendingSequenceSync) {
        Decision decision = decideWithoutSync(mode, onStandby, onEnabledSubscription, standby, enabledSubscriptions);
        if (!pendingSequenceSync || decision.kind() != Kind.CHECK || decision.onStandby()) {
            return decision;
        }
        switch (onPendingSequenceSync) {
            case REFUSE:
                return new Decision(Kind.REFUSE, GuardMode.OFF, Rule.SEQUENCE_SYNC_REFUSE);
            case SKIP:
                return new Decision(Kind.SKIP, GuardMode.OFF, Rule.SEQUENCE_SYNC_SKIP);
            case VERIFY:
                return new Decision(Kind.CHECK, GuardMode.VERIFY, decision.rule(), Rule.SEQUENCE_SYNC_VERIFY);
            default:
                return new Decision(Kind.CHECK, decision.applied(), decision.rule(), Rule.SEQUENCE_SYNC_PROCEED);
        }
    }

    /**
     * Like {@link #decide(GuardMode, StandbyAction, SubscriptionAction, SubscriptionAction, boolean, boolean,
     * boolean)}, on a Citus node: a shard move or split in progress is no unfinished cutover and changes nothing of
     * the decision; only the rule says it, where no other rule shaped the decision.
     *
     * @param enabledSubscriptions whether an enabled subscription other than Citus's own still feeds the database
     * @param citusShardTransfers whether Citus's own subscriptions for a shard move or split are enabled
     */
    static Decision decide(GuardMode mode, StandbyAction onStandby, SubscriptionAction onEnabledSubscription,
            SubscriptionAction onPendingSequenceSync, boolean standby, boolean enabledSubscriptions,
            boolean pendingSequenceSync, boolean citusShardTransfers) {
        Decision decision = decide(mode, onStandby, onEnabledSubscription, onPendingSequenceSync, standby,
                enabledSubscriptions, pendingSequenceSync);
        if (!citusShardTransfers || decision.rule() != Rule.PLAIN) {
            return decision;
        }
        return new Decision(decision.kind(), decision.applied(), Rule.CITUS_SHARD_TRANSFER, decision.syncRule());
    }

    private static Decision decideWithoutSync(GuardMode mode, StandbyAction onStandby,
            SubscriptionAction onEnabledSubscription, boolean standby, boolean enabledSubscriptions) {
        if (standby) {
            switch (onStandby) {
                case FAIL:
                    return new Decision(Kind.REFUSE, GuardMode.OFF, Rule.STANDBY_FAIL);
                case SKIP:
                    return new Decision(Kind.SKIP, GuardMode.OFF, Rule.STANDBY_SKIP);
                case WARN:
                    return new Decision(Kind.CHECK, GuardMode.VERIFY, Rule.STANDBY_WARN);
                default:
                    return new Decision(Kind.CHECK, GuardMode.VERIFY, Rule.STANDBY_VERIFY);
            }
        }
        if (enabledSubscriptions) {
            switch (onEnabledSubscription) {
                case REFUSE:
                    return new Decision(Kind.REFUSE, GuardMode.OFF, Rule.SUBSCRIPTION_REFUSE);
                case SKIP:
                    return new Decision(Kind.SKIP, GuardMode.OFF, Rule.SUBSCRIPTION_SKIP);
                case VERIFY:
                    return new Decision(Kind.CHECK, GuardMode.VERIFY, Rule.SUBSCRIPTION_VERIFY);
                default:
                    return new Decision(Kind.CHECK, mode, Rule.SUBSCRIPTION_PROCEED);
            }
        }
        return new Decision(Kind.CHECK, mode, Rule.PLAIN);
    }

    /**
     * @param decision the check that ran
     * @param mode the configured mode
     * @param verdict what the check (after a repair: the repair) found
     */
    static Consequence consequence(Decision decision, GuardMode mode, Verdict verdict, IncompleteAction onIncomplete) {
        switch (verdict) {
            case DRIFT:
                if (decision.rule() == Rule.STANDBY_WARN) {
                    return Consequence.START_DESPITE_DRIFT;
                }
                return decision.onStandby() && mode == GuardMode.REPAIR ? Consequence.REFUSE_STANDBY
                        : Consequence.REFUSE_DRIFT;
            case INCOMPLETE:
                return onIncomplete == IncompleteAction.FAIL ? Consequence.REFUSE_INCOMPLETE
                        : Consequence.START_DESPITE_INCOMPLETE;
            default:
                return Consequence.START;
        }
    }
}
