package io.seqguard;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

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

    /**
     * Copies the lists: a result never changes.
     *
     * @param mode the configured mode
     * @param applied the mode in force after the standby and subscription rules: {@link GuardMode#REPAIR} (changes were
     *     allowed; {@link #outcome()} says whether any was needed), {@link GuardMode#VERIFY} (mode verify, a standby,
     *     or an enabled subscription with {@link SubscriptionAction#VERIFY}) or {@link GuardMode#OFF} (nothing was
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
    public GuardResult {
        enabledSubscriptions = List.copyOf(enabledSubscriptions);
        notes = List.copyOf(notes);
    }

    /** {@return the sequences this run moved forward; empty when it moved none} */
    public List<SequenceReport> repaired() {
        return report == null ? List.of() : report.withAction(RepairAction.REPAIRED);
    }

    /**
     * The facts a health endpoint shows, with the same keys in every framework module: mode, applied, outcome,
     * database, serverVersion, primary (id, recognition, fromSystemIdentifier, previousPrimaryId, lastRunAt),
     * standby, lastRun, durationMillis, allocation, counts (by status, as in the JSON report), maxRangeUsed,
     * repaired, lockWaitMillis, enabledSubscriptions, notes. Keys without a value are left out.
     *
     * @return a new, ordered, modifiable map of JSON-friendly values
     */
    public Map<String, Object> toDetails() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("mode", lower(mode));
        details.put("applied", lower(applied));
        details.put("outcome", lower(outcome));
        putIfNotNull(details, "database", database);
        putIfNotNull(details, "serverVersion", serverVersion);
        if (primary != null) {
            Map<String, Object> primaryDetails = new LinkedHashMap<>();
            primaryDetails.put("id", primary.id());
            primaryDetails.put("recognition", lower(primary.recognition()));
            primaryDetails.put("fromSystemIdentifier", primary.fromSystemIdentifier());
            putIfNotNull(primaryDetails, "previousPrimaryId", primary.previousPrimaryId());
            putIfNotNull(primaryDetails, "lastRunAt", primary.lastRunAt() == null ? null
                    : primary.lastRunAt().toString());
            details.put("primary", primaryDetails);
        }
        details.put("standby", standby);
        details.put("lastRun", startedAt.toString());
        details.put("durationMillis", duration.toMillis());
        if (report != null) {
            details.put("allocation", report.allocation().toString());
            details.put("counts", countsByStatusName(report));
            details.put("maxRangeUsed", report.maxRangeUsed());
            details.put("repaired", repaired().stream().map(SequenceReport::displayName).collect(Collectors.toList()));
        }
        if (waitedForLock) {
            details.put("lockWaitMillis", lockWait.toMillis());
        }
        if (!enabledSubscriptions.isEmpty()) {
            details.put("enabledSubscriptions", enabledSubscriptions);
        }
        if (!notes.isEmpty()) {
            details.put("notes", notes);
        }
        return details;
    }

    /**
     * Sequences by status, every status present, keyed as in the JSON report ({@code not_verifiable}).
     *
     * @param report any report
     * @return the counts, by status name
     */
    public static Map<String, Integer> countsByStatusName(AlignmentReport report) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Map.Entry<SequenceStatus, Integer> entry : report.countsByStatus().entrySet()) {
            counts.put(lower(entry.getKey()), entry.getValue());
        }
        return counts;
    }

    private static void putIfNotNull(Map<String, Object> details, String key, Object value) {
        if (value != null) {
            details.put(key, value);
        }
    }

    private static String lower(Enum<?> value) {
        return value == null ? null : value.name().toLowerCase(Locale.ROOT);
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
