package io.seqguard;


/**
 * What the {@link StartupGuard} does when the server is a standby ({@code pg_is_in_recovery()}). A standby cannot be
 * repaired: repair belongs to the primary. Whatever the action, the guard never tries to change a standby.
 */
public enum StandbyAction {
    /**
     * Verifies (in either mode) and fails start-up when a sequence lags, saying that repair belongs to the primary.
     * The default: a standby's sequences are the primary's, so drift here is drift there.
     */
    VERIFY,
    /** Verifies and logs lagging sequences as a warning, but lets the application start (read-only replicas). */
    WARN,
    /** Checks nothing and lets the application start; logs that the guard was skipped. */
    SKIP,
    /** Refuses start-up against a standby, aligned or not. */
    FAIL;

    /**
     * Reads an action from configuration text, ignoring case: {@code verify}, {@code warn}, {@code skip},
     * {@code fail}.
     *
     * @param text the configured value
     * @return the action
     * @throws IllegalArgumentException naming the property {@code onStandby} and the accepted values
     */
    public static StandbyAction parse(String text) {
        return EnumText.parse(StandbyAction.class, text, "onStandby", "standby action");
    }
}
