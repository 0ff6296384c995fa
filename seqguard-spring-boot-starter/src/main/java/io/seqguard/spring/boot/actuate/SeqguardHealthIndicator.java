package io.seqguard.spring.boot.actuate;

import io.seqguard.GuardResult;
import io.seqguard.spring.boot.autoconfigure.SeqguardResults;

import java.util.Map;
import java.util.Objects;

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

    /** The details of a run that let start-up go on: the core's, the same keys in every framework. */
    static Map<String, Object> details(GuardResult result) {
        return result.toDetails();
    }
}
