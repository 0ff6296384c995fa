package io.seqguard;


/**
 * What the {@link StartupGuard} does when its run is {@linkplain Verdict#INCOMPLETE incomplete}: nothing it read is
 * behind, but some sequence could not be verified (no privilege, a read that failed or timed out, no column to compare
 * with) and is not acknowledged ({@link AlignerConfiguration#allowUnverified(String...)}).
 */
public enum IncompleteAction {
    /** Fails start-up naming each unverified sequence, why, and the fix, in either mode. The default. */
    FAIL,
    /**
     * Lets the application start and logs each unverified sequence at WARN; health stays up and lists them. For a
     * database whose unverified sequences are known and watched some other way.
     */
    WARN;

    /**
     * Reads an action from configuration text, ignoring case: {@code fail}, {@code warn}.
     *
     * @param text the configured value
     * @return the action
     * @throws IllegalArgumentException naming the property {@code onIncomplete} and the accepted values
     */
    public static IncompleteAction parse(String text) {
        return EnumText.parse(IncompleteAction.class, text, "onIncomplete",
                "choice of what to do when the run is incomplete");
    }
}
