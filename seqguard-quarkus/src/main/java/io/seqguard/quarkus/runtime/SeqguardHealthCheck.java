package io.seqguard.quarkus.runtime;

import io.seqguard.GuardResult;
import io.seqguard.quarkus.SeqguardStartupException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * SmallRye Health readiness check {@value #NAME}: the latest guard run of each datasource, with the details every
 * seqguard adapter shows ({@link GuardResult#toDetails()}), flattened into the check's data as
 * {@code <datasource>.<detail>} (for example {@code <default>.outcome}, {@code orders.counts.behind}; lists are
 * comma-separated), since a check's data holds plain values only. DOWN when a run refused start-up (then the details
 * of its refusal, {@link io.seqguard.StartupGuardException#toDetails()}); datasources the
 * guard does not run on are listed as {@code unguarded.<datasource>} with the reason. Turned off like any check:
 * {@code quarkus.smallrye-health.check."io.seqguard.quarkus.runtime.SeqguardHealthCheck".enabled=false}.
 */
@Readiness
@ApplicationScoped
public class SeqguardHealthCheck implements HealthCheck {

    /** The check's name. */
    public static final String NAME = "seqguard";

    @Inject
    SeqguardGuards guards;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME).up();
        SeqguardRuns runs = guards.runs();
        for (GuardRun run : runs.latest().values()) {
            String prefix = run.dataSource() + ".";
            if (run.passed()) {
                flatten(response, prefix, run.result().toDetails());
            } else {
                response.down();
                Map<String, Object> details;
                if (run.failure() instanceof SeqguardStartupException) {
                    details = ((SeqguardStartupException) run.failure()).getGuardException().toDetails();
                } else {
                    details = new LinkedHashMap<>();
                    details.put("status", "DOWN");
                    details.put("error", String.valueOf(run.failure().getMessage()));
                }
                details.put("lastRun", run.startedAt().toString());
                details.put("durationMillis", run.duration().toMillis());
                flatten(response, prefix, details);
            }
        }
        runs.unguarded().forEach((dataSource, reason) -> response.withData("unguarded." + dataSource, reason));
        return response.build();
    }

    /** Nested maps become dotted keys, lists comma-separated text, numbers and booleans stay what they are. */
    static void flatten(HealthCheckResponseBuilder response, String prefix, Map<String, Object> details) {
        for (Map.Entry<String, Object> detail : details.entrySet()) {
            String key = prefix + detail.getKey();
            Object value = detail.getValue();
            if (value instanceof Map) {
                @SuppressWarnings("unchecked")
                Map<String, Object> nested = (Map<String, Object>) value;
                flatten(response, key + ".", nested);
            } else if (value instanceof List) {
                response.withData(key, String.join(", ", ((List<?>) value).stream().map(String::valueOf).toList()));
            } else if (value instanceof Boolean) {
                response.withData(key, (Boolean) value);
            } else if (value instanceof Integer || value instanceof Long) {
                response.withData(key, ((Number) value).longValue());
            } else {
                response.withData(key, String.valueOf(value));
            }
        }
    }
}
