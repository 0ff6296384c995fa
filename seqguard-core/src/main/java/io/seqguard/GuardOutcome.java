package io.seqguard;

/** How a {@link StartupGuard} run that let the application start ended. A run that did not is an exception. */
public enum GuardOutcome {
    /** The guard moved at least one sequence forward. */
    REPAIRED,
    /** Every sequence was found aligned (verified, or a repair found nothing to move). */
    ALIGNED,
    /** Sequences lag, and the configuration lets the application start anyway ({@link StandbyAction#WARN}). */
    DRIFT_TOLERATED,
    /**
     * Nothing read lags, but some sequence could not be verified and the configuration lets the application start
     * anyway ({@link IncompleteAction#WARN}); {@link GuardResult#report()} names them. Sequences may have been
     * repaired too ({@link GuardResult#repaired()}).
     */
    INCOMPLETE_TOLERATED,
    /**
     * Nothing was checked: mode {@link GuardMode#OFF}, or {@link StandbyAction#SKIP} / {@link SubscriptionAction#SKIP}.
     */
    SKIPPED
}
