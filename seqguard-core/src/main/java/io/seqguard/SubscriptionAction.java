package io.seqguard;


/**
 * What the {@link StartupGuard} does when the database has an <em>enabled</em> logical replication subscription
 * ({@code pg_subscription.subenabled}). Replication that still feeds the database means the cutover is not finished:
 * rows with explicit ids keep arriving, so a sequence repaired now lags again a moment later.
 */
public enum SubscriptionAction {
    /** Fails start-up naming the subscription(s), in either mode. The default. */
    REFUSE,
    /**
     * Goes on as if there were no subscription: the configured mode runs (a repair in mode {@link GuardMode#REPAIR}).
     * For databases where replication feeds tables the application does not write through sequences.
     */
    PROCEED,
    /** Verifies only, whatever the mode: start-up fails on drift, nothing is changed. */
    VERIFY,
    /** Checks nothing and lets the application start; logs that the guard was skipped. */
    SKIP;

    /**
     * Reads an action from configuration text, ignoring case: {@code refuse}, {@code proceed}, {@code verify},
     * {@code skip}.
     *
     * @param text the configured value
     * @return the action
     * @throws IllegalArgumentException naming the property {@code onEnabledSubscription} and the accepted values
     */
    public static SubscriptionAction parse(String text) {
        return EnumText.parse(SubscriptionAction.class, text, "onEnabledSubscription", "subscription action");
    }
}
