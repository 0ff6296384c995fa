package io.seqguard;

import java.util.List;

/**
 * A {@link Cutover} step refused to go on, or did not finish in time. The message names the step, what it saw, and
 * what to do; {@link #steps()} says what ran before.
 */
public class CutoverException extends SeqguardException {

    private static final long serialVersionUID = 1L;

    /** Why the cutover stopped. */
    public enum Reason {
        /** The old primary is a standby (in recovery): the cutover needs the publisher itself. */
        SOURCE_IS_STANDBY,
        /** The old primary's database kept committing changes while the cutover waited: writes have not stopped. */
        SOURCE_STILL_WRITING,
        /** The subscription does not exist on the new primary, or uses no replication slot. */
        SUBSCRIPTION_NOT_FOUND,
        /** The subscription is disabled, so it cannot catch up. */
        SUBSCRIPTION_DISABLED,
        /**
         * Another enabled subscription feeds the new primary's database: the repair would refuse the database once
         * the cutover had disabled its own subscription.
         */
        OTHER_SUBSCRIPTION_ENABLED,
        /** The subscription did not catch up (or its sequences did not synchronize) within the catch-up timeout. */
        CATCH_UP_TIMEOUT
    }

    /** Why the cutover stopped. */
    private final Reason reason;
    /** The steps that ran before. */
    private final List<String> steps;

    CutoverException(Reason reason, String message, List<String> steps) {
        super(message);
        this.reason = reason;
        this.steps = List.copyOf(steps);
    }

    /** {@return why the cutover stopped} */
    public Reason reason() {
        return reason;
    }

    /** {@return the steps that ran before it stopped, as lines for a person} */
    public List<String> steps() {
        return steps;
    }
}
