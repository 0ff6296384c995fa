package io.seqguard.internal;

import io.seqguard.AlignmentReport;
import io.seqguard.GuardMode;
import io.seqguard.GuardOutcome;
import io.seqguard.GuardResult;
import io.seqguard.PrimaryIdentity;
import io.seqguard.SequenceReport;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The {@link GuardResult} seqguard reports. */
record GuardRunResult(GuardMode mode, GuardMode applied, GuardOutcome outcome, String database,
        String serverVersion, PrimaryIdentity primary, boolean standby, List<String> enabledSubscriptions,
        boolean waitedForLock, Duration lockWait, AlignmentReport report, Instant startedAt, Duration duration,
        List<String> notes) implements GuardResult {

    GuardRunResult {
        enabledSubscriptions = List.copyOf(enabledSubscriptions);
        notes = List.copyOf(notes);
    }

    @Override
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
            ReportDetails.put(details, report, repaired().stream().map(SequenceReport::qualifiedName)
                    .collect(Collectors.toList()));
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
