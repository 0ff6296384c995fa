package io.seqguard.spring.boot.actuate;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.seqguard.AlignmentReport;
import io.seqguard.GuardResult;
import io.seqguard.SequenceStatus;
import io.seqguard.spring.boot.autoconfigure.SeqguardResults;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Micrometer meters for the startup guard, one set per guarded DataSource bean (tag {@code datasource}):
 * <ul>
 *   <li>{@code seqguard.sequences} (gauge, tag {@code status}: {@code aligned}, {@code behind}, {@code exhausted},
 *       {@code not_verifiable}, {@code skipped}, {@code empty}): how many sequences had each status in the last
 *       run's report (after a repair, the repaired ones count as aligned);</li>
 *   <li>{@code seqguard.range.used.max} (gauge, 0 to 1): the highest share of its range any sequence has used;</li>
 *   <li>{@code seqguard.guard.duration} (time gauge): how long the last guard run took, lock wait included.</li>
 * </ul>
 * Meters appear when a DataSource's guard has run (a guard in mode off reports no sequences) and show its latest run.
 */
public class SeqguardMetrics implements MeterBinder {

    /** Name of the gauge of sequences by status. */
    public static final String SEQUENCES = "seqguard.sequences";
    /** Name of the gauge of the highest share of range used. */
    public static final String RANGE_USED_MAX = "seqguard.range.used.max";
    /** Name of the time gauge of the guard's duration. */
    public static final String GUARD_DURATION = "seqguard.guard.duration";

    private final SeqguardResults results;
    private final Map<String, Latest> latest = new ConcurrentHashMap<>();

    /**
     * @param results the guard's results
     */
    public SeqguardMetrics(SeqguardResults results) {
        this.results = Objects.requireNonNull(results, "results");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        results.onResult((name, result) -> register(registry, name, result));
    }

    private void register(MeterRegistry registry, String dataSourceName, GuardResult result) {
        Latest value = latest.computeIfAbsent(dataSourceName, key -> new Latest());
        value.result = result;
        Tags tags = Tags.of("datasource", dataSourceName);
        TimeGauge.builder(GUARD_DURATION, value, TimeUnit.MILLISECONDS, v -> v.result.duration().toNanos() / 1e6)
                .tags(tags).description("How long the last seqguard startup guard run took").register(registry);
        if (result.report() == null) {
            return;
        }
        for (SequenceStatus status : SequenceStatus.values()) {
            Gauge.builder(SEQUENCES, value, v -> v.count(status)).tags(tags)
                    .tag("status", status.name().toLowerCase(Locale.ROOT)).baseUnit("sequences")
                    .description("Sequences by status in the last seqguard startup guard run").register(registry);
        }
        Gauge.builder(RANGE_USED_MAX, value, v -> v.report() == null ? Double.NaN : v.report().maxRangeUsed())
                .tags(tags).description("Highest share of its range (0 to 1) any sequence has used")
                .register(registry);
    }

    /** The latest result of one DataSource, read by its gauges. */
    private static final class Latest {
        volatile GuardResult result;

        AlignmentReport report() {
            return result.report();
        }

        double count(SequenceStatus status) {
            AlignmentReport report = report();
            return report == null ? Double.NaN : report.countsByStatus().get(status);
        }
    }
}
