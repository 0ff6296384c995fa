package io.seqguard.spring.boot.actuate;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.seqguard.AlignmentReport;
import io.seqguard.SequenceStatus;
import io.seqguard.spring.boot.autoconfigure.SeqguardResults;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Micrometer meters for the startup guard, one set per guarded DataSource bean (tag {@code datasource}), each showing
 * the bean's latest run, whether it let start-up go on or refused:
 * <ul>
 *   <li>{@value #SEQUENCES} (gauge, tag {@code status}: {@code aligned}, {@code behind}, {@code exhausted},
 *       {@code not_verifiable}, {@code no_privilege}, {@code skipped}, {@code empty}): how many sequences had each
 *       status in the run's report (after a repair, the repaired ones count as aligned);</li>
 *   <li>{@value #UNVERIFIED} (gauge): sequences that could not be verified and are not acknowledged
 *       ({@code allow-unverified}); above 0 means the run was incomplete;</li>
 *   <li>{@value #RANGE_USED_MAX} (gauge, 0 to 1): the highest share of its range any sequence has used;</li>
 *   <li>{@value #GUARD_DURATION} (time gauge): how long the run took, lock wait included.</li>
 * </ul>
 * The report's gauges appear once a run has a report (a guard in mode off has none) and read NaN when a later run has
 * none.
 */
public class SeqguardMetrics implements MeterBinder {

    /** Name of the gauge of sequences by status. */
    public static final String SEQUENCES = "seqguard.sequences";
    /** Name of the gauge of sequences not verified and not acknowledged. */
    public static final String UNVERIFIED = "seqguard.sequences.unverified";
    /** Name of the gauge of the highest share of range used. */
    public static final String RANGE_USED_MAX = "seqguard.range.used.max";
    /** Name of the time gauge of the guard's duration. */
    public static final String GUARD_DURATION = "seqguard.guard.duration";

    private final SeqguardResults results;

    /**
     * @param results the guard's results
     */
    public SeqguardMetrics(SeqguardResults results) {
        this.results = Objects.requireNonNull(results, "results");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        results.onRun(name -> register(registry, name));
    }

    private void register(MeterRegistry registry, String dataSourceName) {
        // registering a meter again returns the existing one, which reads the latest run from the results
        Tags tags = Tags.of("datasource", dataSourceName);
        TimeGauge.builder(GUARD_DURATION, results, TimeUnit.MILLISECONDS,
                r -> r.duration(dataSourceName).map(Duration::toNanos).map(n -> n / 1e6).orElse(Double.NaN))
                .tags(tags).description("How long the last seqguard startup guard run took").register(registry);
        if (results.report(dataSourceName).isEmpty()) {
            return;
        }
        for (SequenceStatus status : SequenceStatus.values()) {
            Gauge.builder(SEQUENCES, results, r -> read(r, dataSourceName, report -> report.countsByStatus()
                    .get(status))).tags(tags).tag("status", status.name().toLowerCase(Locale.ROOT))
                    .baseUnit("sequences").description("Sequences by status in the last seqguard startup guard run")
                    .register(registry);
        }
        Gauge.builder(UNVERIFIED, results, r -> read(r, dataSourceName, report -> report.unverified().size()))
                .tags(tags).baseUnit("sequences")
                .description("Sequences the last seqguard startup guard run could not verify and that are not "
                        + "acknowledged").register(registry);
        Gauge.builder(RANGE_USED_MAX, results, r -> read(r, dataSourceName, AlignmentReport::maxRangeUsed))
                .tags(tags).description("Highest share of its range (0 to 1) any sequence has used")
                .register(registry);
    }

    private static double read(SeqguardResults results, String dataSourceName,
            java.util.function.Function<AlignmentReport, Number> value) {
        return results.report(dataSourceName).map(value).map(Number::doubleValue).orElse(Double.NaN);
    }
}
