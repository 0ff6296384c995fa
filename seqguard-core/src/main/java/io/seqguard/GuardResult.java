package io.seqguard;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What one {@link StartupGuard#run()} that let the application start did. A run that refused start-up throws
 * {@link StartupGuardException} instead.
 *
 * <p>Built by seqguard; not for implementation by users (methods may be added).
 */
public interface GuardResult {

    /** {@return the configured mode} */
    GuardMode mode();

    /**
     * {@return the mode in force after the standby and subscription rules: {@link GuardMode#REPAIR} (changes were
     * allowed; {@link #outcome()} says whether any was needed), {@link GuardMode#VERIFY} (mode verify, a standby, or an
     * enabled subscription with {@link SubscriptionAction#VERIFY}) or {@link GuardMode#OFF} (nothing was checked)}
     */
    GuardMode applied();

    /** {@return how it ended} */
    GuardOutcome outcome();

    /** {@return the database's name; null when the guard did not connect (mode off)} */
    String database();

    /** {@return the server's version; null when the guard did not connect} */
    String serverVersion();

    /** {@return the primary's identity; null when the guard did not connect} */
    PrimaryIdentity primary();

    /** {@return whether the server is a standby (in recovery)} */
    boolean standby();

    /** {@return the enabled subscriptions found in this database (empty when none or not readable)} */
    List<String> enabledSubscriptions();

    /** {@return whether another instance held the seqguard lock when this one asked for it} */
    boolean waitedForLock();

    /** {@return how long this instance waited for the lock} */
    Duration lockWait();

    /** {@return the aligner's report; null when nothing was checked} */
    AlignmentReport report();

    /** {@return when the run started} */
    Instant startedAt();

    /** {@return how long it took} */
    Duration duration();

    /**
     * {@return what a person should know about the run (a standby, a skipped check, a journal that could not be
     * written)}
     */
    List<String> notes();

    /** {@return the sequences this run moved forward; empty when it moved none} */
    default List<SequenceReport> repaired() {
        return report() == null ? List.of() : report().withAction(RepairAction.REPAIRED);
    }

    /**
     * The facts a health endpoint shows, with the same keys in every framework module: mode, applied, outcome,
     * database, serverVersion, primary (id, recognition, fromSystemIdentifier, previousPrimaryId, lastRunAt),
     * standby, lastRun, durationMillis, verdict, allocation, counts (by status, keyed as in the JSON report),
     * maxRangeUsed, repaired, unverified (sequences not verified and not acknowledged), acknowledged (not verified,
     * acknowledged by {@code allow-unverified}), dataUnread (of the unverified and acknowledged ones, those whose
     * data the run could not read, which may be ahead of them), lockWaitMillis, enabledSubscriptions, notes. Keys
     * without a value are left out. Sequences are named as {@link SequenceReport#qualifiedName()} gives them, the form
     * {@code allow-unverified} takes.
     *
     * @return a new, ordered, modifiable map of JSON-friendly values
     */
    Map<String, Object> toDetails();
}
