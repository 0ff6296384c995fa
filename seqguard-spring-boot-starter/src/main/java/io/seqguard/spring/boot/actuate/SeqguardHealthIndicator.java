package io.seqguard.spring.boot.actuate;

import io.seqguard.GuardResult;
import io.seqguard.spring.boot.autoconfigure.SeqguardResults;
import io.seqguard.spring.boot.autoconfigure.SeqguardStartupException;

import java.util.Map;
import java.util.Objects;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The {@code seqguard} health contributor: what the startup guard found and did for each DataSource bean. It reads
 * the recorded {@link SeqguardResults} and never queries the database (a guard that refused start-up means there is
 * no running application to ask).
 *
 * <p>Status: {@code UNKNOWN} before the guard has run; {@code DOWN} when the latest run of some DataSource refused
 * start-up (an incomplete run with {@code on-incomplete=fail} among them: seen when the guard was run again in a
 * running application); else {@code UP}, also for an incomplete run let through with {@code on-incomplete=warn},
 * whose details list the unverified sequences. Details, per DataSource bean name: the core's
 * ({@link GuardResult#toDetails()}: mode, applied, outcome, database, serverVersion, primary, standby, lastRun,
 * durationMillis, verdict, allocation, counts, maxRangeUsed, repaired, unverified, lockWaitMillis,
 * enabledSubscriptions, notes), for a refusal {@link io.seqguard.StartupGuardException#toDetails()} (status, reason,
 * verdict, counts, unverified, error ...); and the DataSource beans that are not guarded, with the reason.
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
        Map<String, SeqguardStartupException> failures = results.getFailures();
        if (failures.isEmpty()) {
            builder.up();
        } else {
            builder.down();
        }
        results.getResults().forEach((name, result) -> builder.withDetail(name, result.toDetails()));
        failures.forEach((name, failure) -> {
            Map<String, Object> details = failure.getGuardException().toDetails();
            results.duration(name).ifPresent(duration -> details.put("durationMillis", duration.toMillis()));
            builder.withDetail(name, details);
        });
        Map<String, String> unguarded = results.getUnguarded();
        if (!unguarded.isEmpty()) {
            builder.withDetail("unguarded", unguarded);
        }
    }
}
