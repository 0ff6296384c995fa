package io.seqguard;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * What one {@link StartupGuard#run()} that let the application start did. A run that refused start-up throws
 * {@link StartupGuardException} instead.
 *
 * @param mode the configured mode
 * @param applied the mode in force after the standby and subscription rules: {@link GuardMode#REPAIR} (changes were
 *     allowed; {@link #outcome()} says whether any was needed), {@link GuardMode#VERIFY} (mode verify, a standby, or
 *     an enabled subscription with {@link SubscriptionAction#VERIFY}) or {@link GuardMode#OFF} (nothing was
 *     checked)
 * @param outcome how it ended
 * @param database the database's name; null when the guard did not connect (mode off)
 * @param serverVersion the server's version; null when the guard did not connect
 * @param primary the primary's identity; null when the guard did not connect
 * @param standby whether the server is a standby (in recovery)
 * @param enabledSubscriptions the enabled subscriptions found in this database (empty when none or not readable)
 * @param waitedForLock whether another instance held the seqguard lock when this one asked for it
 * @param lockWait how long this instance waited for the lock
 * @param report the aligner's report; null when nothing was checked
 * @param startedAt when the run started
 * @param duration how long it took
 * @param notes what a person should know about the run (a standby, a skipped check, a journal that could not be
 *     written)
 */
public record GuardResult(GuardMode mode, GuardMode applied, GuardOutcome outcome, String database,
        String serverVersion, PrimaryIdentity primary, boolean standby, List<String> enabledSubscriptions,
        boolean waitedForLock, Duration lockWait, AlignmentReport report, Instant startedAt, Duration duration,
        List<String> notes) {

    public GuardResult {
        enabledSubscriptions = List.copyOf(enabledSubscriptions);
        notes = List.copyOf(notes);
    }

    /** The sequences this run moved forward; empty when it moved none. */
    public List<SequenceReport> repaired() {
        return report == null ? List.of() : report.withAction(RepairAction.REPAIRED);
    }

    /** One line for the log. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("seqguard startup guard (mode ")
                .append(mode.name().toLowerCase(Locale.ROOT)).append("): ")
                .append(outcome.name().toLowerCase(Locale.ROOT).replace('_', ' '));
        if (report != null) {
            text.append("; ").append(report);
        }
        if (primary != null) {
            text.append("; ").append(primary.describe());
        }
        if (waitedForLock) {
            text.append("; waited ").append(lockWait.toMillis()).append(" ms for another instance");
        }
        text.append(" (").append(duration.toMillis()).append(" ms in all)");
        return text.toString();
    }
}
