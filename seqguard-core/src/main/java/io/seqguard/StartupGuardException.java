package io.seqguard;

/**
 * The {@link StartupGuard} refused start-up. The message says what was found, on which objects, and what to do; for
 * drift it lists each lagging sequence and the statement that fixes it.
 */
public class StartupGuardException extends SeqguardException {

    private static final long serialVersionUID = 1L;

    /** Why start-up was refused. */
    public enum Reason {
        /** Sequences lag their data (mode verify, or what a repair could not change, such as an exhausted sequence). */
        DRIFT,
        /** A repair could not move some sequences (missing privilege, lost connection, lock timeout). */
        REPAIR_FAILED,
        /** The server is a standby: repair belongs to the primary ({@link StandbyAction}). */
        STANDBY,
        /** An enabled subscription still feeds the database ({@link SubscriptionAction#REFUSE}). */
        SUBSCRIPTION,
        /** Another instance held the seqguard lock longer than {@link GuardConfiguration#lockWaitTimeout}. */
        LOCK_TIMEOUT,
        /** The guard did not finish within {@link GuardConfiguration#timeLimit}. */
        TIME_LIMIT,
        /** The database could not be reached or read. */
        DATABASE_ERROR
    }

    private final Reason reason;
    private final transient AlignmentReport report;

    /**
     * @param reason why start-up was refused
     * @param message what was found, on which objects, and what to do
     * @param report the report behind the refusal; may be null
     * @param cause the underlying failure; may be null
     */
    public StartupGuardException(Reason reason, String message, AlignmentReport report, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.report = report;
    }

    /** Why start-up was refused. */
    public Reason reason() {
        return reason;
    }

    /** The report behind the refusal (drift, failed repairs); null when there is none. */
    public AlignmentReport report() {
        return report;
    }
}
