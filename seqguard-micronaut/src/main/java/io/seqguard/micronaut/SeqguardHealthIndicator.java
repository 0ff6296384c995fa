package io.seqguard.micronaut;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.core.util.StringUtils;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.endpoint.health.HealthEndpoint;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.seqguard.GuardResult;
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
 * <p>Status: {@code UNKNOWN} before the guard has run on any data source; {@code DOWN} when the latest run of some
 * data source refused start-up (an incomplete run with {@code on-incomplete=fail} among them; seen only for a data
 * source created after start-up, since a refusal stops start-up) or failed on its configuration; else {@code UP},
 * also for an incomplete run let through with {@code on-incomplete=warn}, whose details list the unverified
 * sequences. Details, by data source name: the core's ({@link GuardResult#toDetails()}: {@code mode},
 * {@code applied}, {@code outcome}, {@code database}, {@code serverVersion}, {@code primary}, {@code standby},
 * {@code lastRun}, {@code durationMillis}, {@code verdict}, {@code allocation}, {@code counts}, {@code maxRangeUsed},
 * {@code repaired}, {@code unverified}, {@code lockWaitMillis}, {@code enabledSubscriptions}, {@code notes}); for a
 * refusal {@link io.seqguard.StartupGuardException#toDetails()} ({@code status DOWN}, {@code reason}, {@code verdict},
 * {@code counts}, {@code unverified}, {@code error} ...) with {@code lastRun} and {@code durationMillis}. Data sources
 * the guard does not run on are listed under {@code unguarded} with the reason.
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

    /** {@return the health result, computed from the runs recorded so far} */
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
        if (result != null) {
            return result.toDetails();
        }
        Map<String, Object> details;
        if (run.failure() instanceof SeqguardStartupException refusal) {
            details = refusal.getGuardException().toDetails();
        } else {
            details = new LinkedHashMap<>();
            details.put("status", "DOWN");
            details.put("error", String.valueOf(run.failure().getMessage()));
        }
        details.put("lastRun", run.startedAt().toString());
        details.put("durationMillis", run.duration().toMillis());
        return details;
    }

    static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
