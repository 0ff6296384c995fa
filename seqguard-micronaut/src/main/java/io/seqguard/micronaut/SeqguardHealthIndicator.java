package io.seqguard.micronaut;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.core.util.StringUtils;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.endpoint.health.HealthEndpoint;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.seqguard.AlignmentReport;
import io.seqguard.GuardResult;
import io.seqguard.StartupGuardException;
import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.reactivestreams.Publisher;

/**
 * Health indicator {@value #NAME}: the latest startup guard run of each data source, from {@link SeqguardRuns}, with
 * the same details as seqguard's Spring Boot starter. Defined when micronaut-management's health endpoint is;
 * {@code endpoints.health.seqguard.enabled=false} turns it off.
 *
 * <p>Status: {@code UNKNOWN} before the guard has run on any data source; {@code DOWN} when a run refused start-up
 * (seen only for a data source created after start-up, since a refusal stops start-up); else {@code UP}. Details, by
 * data source name: {@code mode}, {@code applied}, {@code outcome}, {@code database}, {@code serverVersion},
 * {@code primary} ({@code id}, {@code recognition}, {@code fromSystemIdentifier}, {@code previousPrimaryId},
 * {@code lastRunAt}), {@code standby}, {@code lastRun} (when it started), {@code durationMillis}, {@code allocation},
 * {@code counts} (sequences by status, keyed as in the JSON report), {@code maxRangeUsed}, {@code repaired} (the
 * sequences moved), {@code lockWaitMillis}, {@code enabledSubscriptions}, {@code notes}; for a refusal
 * {@code status DOWN}, {@code reason} and {@code error}. Data sources the guard does not run on are listed under
 * {@code unguarded} with the reason.
 */
@Singleton
@Requires(classes = HealthIndicator.class)
@Requires(beans = HealthEndpoint.class)
@Requires(property = HealthEndpoint.PREFIX + ".seqguard.enabled", notEquals = StringUtils.FALSE)
@Requires(property = SeqguardDataSourceListener.ENABLED, notEquals = StringUtils.FALSE)
public class SeqguardHealthIndicator implements HealthIndicator {

    /** The indicator's name in the health endpoint's details. */
    public static final String NAME = "seqguard";

    private final SeqguardRuns runs;

    /**
     * @param runs the runs to report
     */
    public SeqguardHealthIndicator(SeqguardRuns runs) {
        this.runs = runs;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        return Publishers.just(result());
    }

    /** The health result, computed from the runs recorded so far. */
    HealthResult result() {
        Map<String, Object> details = new LinkedHashMap<>();
        HealthStatus status;
        if (runs.isEmpty()) {
            status = HealthStatus.UNKNOWN;
            details.put("message", "the startup guard has not run");
        } else {
            status = HealthStatus.UP;
            for (GuardRun run : runs.latest().values()) {
                details.put(run.dataSource(), details(run));
                if (!run.passed()) {
                    status = HealthStatus.DOWN;
                }
            }
        }
        Map<String, String> unguarded = runs.unguarded();
        if (!unguarded.isEmpty()) {
            details.put("unguarded", unguarded);
        }
        return HealthResult.builder(NAME, status).details(details).build();
    }

    private static Map<String, Object> details(GuardRun run) {
        GuardResult result = run.result();
        if (result == null) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("status", "DOWN");
            if (run.failure() instanceof StartupGuardException) {
                details.put("reason", lower(((StartupGuardException) run.failure()).reason()));
            }
            details.put("lastRun", run.startedAt().toString());
            details.put("durationMillis", run.duration().toMillis());
            AlignmentReport report = run.report();
            if (report != null) {
                details.put("allocation", report.allocation().toString());
                details.put("counts", counts(report));
                details.put("maxRangeUsed", report.maxRangeUsed());
            }
            details.put("error", String.valueOf(run.failure().getMessage()));
            return details;
        }
        return details(result);
    }

    /** The details of a run that let start-up go on: the core's, the same keys in every framework. */
    static Map<String, Object> details(GuardResult result) {
        return result.toDetails();
    }

    /** Sequences by status, every status present, keyed as in the JSON report ({@code not_verifiable}). */
    static Map<String, Integer> counts(AlignmentReport report) {
        Map<String, Integer> counts = new java.util.LinkedHashMap<>();
        report.countsByStatus().forEach((status, count) -> counts.put(lower(status), count));
        return counts;
    }

    static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
