package io.seqguard.spring.boot.actuate;

import io.seqguard.AlignmentReport;
import io.seqguard.GuardResult;
import io.seqguard.PrimaryIdentity;
import io.seqguard.SequenceReport;
import io.seqguard.SequenceStatus;
import io.seqguard.spring.boot.autoconfigure.SeqguardResults;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The {@code seqguard} health contributor: what the startup guard found and did for each DataSource bean at start-up.
 * It reads the recorded {@link SeqguardResults} and never queries the database (a guard that refused start-up means
 * there is no running application to ask).
 *
 * <p>Status: {@code UP} once the guard has run, {@code UNKNOWN} before. Details, per DataSource bean name: mode,
 * what was applied, outcome, database, server version, primary (its identity and whether it was a first boot, known,
 * or unknown without the journal), standby, last run (start time), duration in milliseconds, counts by status,
 * sequences moved, highest share of range used, notes; and the DataSource beans that are not guarded, with the
 * reason.
 */
public class SeqguardHealthIndicator extends AbstractHealthIndicator {

    private final SeqguardResults results;

    /**
     * @param results the guard's results
     */
    public SeqguardHealthIndicator(SeqguardResults results) {
        super("seqguard health check failed");
        this.results = Objects.requireNonNull(results, "results");
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        if (results.isEmpty()) {
            builder.unknown().withDetail("message", "the startup guard has not run");
            return;
        }
        builder.up();
        results.getResults().forEach((name, result) -> builder.withDetail(name, details(result)));
        Map<String, String> unguarded = results.getUnguarded();
        if (!unguarded.isEmpty()) {
            builder.withDetail("unguarded", unguarded);
        }
    }

    static Map<String, Object> details(GuardResult result) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("mode", lower(result.mode()));
        details.put("applied", lower(result.applied()));
        details.put("outcome", lower(result.outcome()));
        putIfNotNull(details, "database", result.database());
        putIfNotNull(details, "serverVersion", result.serverVersion());
        PrimaryIdentity primary = result.primary();
        if (primary != null) {
            Map<String, Object> primaryDetails = new LinkedHashMap<>();
            primaryDetails.put("id", primary.id());
            primaryDetails.put("recognition", lower(primary.recognition()));
            primaryDetails.put("fromSystemIdentifier", primary.fromSystemIdentifier());
            putIfNotNull(primaryDetails, "previousPrimaryId", primary.previousPrimaryId());
            putIfNotNull(primaryDetails, "lastRunAt", primary.lastRunAt() != null ? primary.lastRunAt().toString()
                    : null);
            details.put("primary", primaryDetails);
        }
        details.put("standby", result.standby());
        details.put("lastRun", result.startedAt().toString());
        details.put("durationMillis", result.duration().toMillis());
        AlignmentReport report = result.report();
        if (report != null) {
            details.put("allocation", report.allocation().toString());
            details.put("counts", counts(report));
            details.put("maxRangeUsed", report.maxRangeUsed());
            List<String> repaired = result.repaired().stream().map(SequenceReport::displayName)
                    .collect(Collectors.toList());
            details.put("repaired", repaired);
        }
        if (result.waitedForLock()) {
            details.put("lockWaitMillis", result.lockWait().toMillis());
        }
        if (!result.enabledSubscriptions().isEmpty()) {
            details.put("enabledSubscriptions", result.enabledSubscriptions());
        }
        if (!result.notes().isEmpty()) {
            details.put("notes", result.notes());
        }
        return details;
    }

    static Map<String, Integer> counts(AlignmentReport report) {
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
}
