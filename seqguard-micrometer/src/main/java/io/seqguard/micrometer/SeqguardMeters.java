package io.seqguard.micrometer;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.seqguard.AlignmentReport;
import io.seqguard.SequenceStatus;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The startup guard's meters, one set per guarded data source (tag {@code datasource}), each reading the data source's
 * latest run, whether it let start-up go on or refused:
 * <ul>
 *   <li>{@value #SEQUENCES} (gauge, tag {@code status}: one per {@link SequenceStatus}, in lower case,
 *       {@code aligned}, {@code behind}, {@code not_verifiable} and so on): how many sequences had each status in the
 *       run's report (after a repair, the repaired ones count as aligned);</li>
 *   <li>{@value #UNVERIFIED} (gauge): sequences that could not be verified and are not acknowledged
 *       ({@code allow-unverified}); above 0 means the run was incomplete;</li>
 *   <li>{@value #RANGE_USED_MAX} (gauge, 0 to 1): the highest share of its range any sequence has used;</li>
 *   <li>{@value #GUARD_DURATION} (time gauge): how long the run took, lock wait included.</li>
 * </ul>
 * The report's gauges appear once a run has a report (a guard in mode off has none) and read NaN when a later run has
 * none. Each framework module binds them to its registry as its guard runs; the names, types, tags and units are the
 * same in each.
 */
public final class SeqguardMeters {

    /** Gauge: sequences by status. */
    public static final String SEQUENCES = "seqguard.sequences";
    /** Gauge: sequences not verified and not acknowledged. */
    public static final String UNVERIFIED = "seqguard.sequences.unverified";
    /** Gauge: the highest share of its range any sequence has used. */
    public static final String RANGE_USED_MAX = "seqguard.range.used.max";
    /** Time gauge: how long the latest guard run took. */
    public static final String GUARD_DURATION = "seqguard.guard.duration";

    private static final String DATASOURCE = "datasource";

    private SeqguardMeters() {
    }

    /**
     * Registers the meters of one data source, after each of its runs: registering again returns the meters already
     * there, which read the latest run, and adds the report's gauges once a run has a report. The meters hold
     * {@code runs} strongly.
     *
     * @param registry where the meters go
     * @param runs the runs they read
     * @param dataSource the data source's name, the tag {@code datasource}
     */
    public static void register(MeterRegistry registry, GuardRuns runs, String dataSource) {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(runs, "runs");
        Objects.requireNonNull(dataSource, "dataSource");
        TimeGauge.builder(GUARD_DURATION, runs, TimeUnit.MILLISECONDS,
                r -> r.duration(dataSource).map(Duration::toNanos).map(n -> n / 1e6).orElse(Double.NaN))
                .tag(DATASOURCE, dataSource)
                .description("How long the last seqguard startup guard run took")
                .strongReference(true)
                .register(registry);
        if (runs.report(dataSource).isEmpty()) {
            return;
        }
        for (SequenceStatus status : SequenceStatus.values()) {
            Gauge.builder(SEQUENCES, runs, r -> read(r, dataSource, report -> report.countsByStatus().get(status)))
                    .tag(DATASOURCE, dataSource)
                    .tag("status", status.name().toLowerCase(Locale.ROOT))
                    .baseUnit("sequences")
                    .description("Sequences by status in the last seqguard startup guard run")
                    .strongReference(true)
                    .register(registry);
        }
        Gauge.builder(UNVERIFIED, runs, r -> read(r, dataSource, report -> report.unverified().size()))
                .tag(DATASOURCE, dataSource)
                .baseUnit("sequences")
                .description("Sequences the last seqguard startup guard run could not verify and that are not "
                        + "acknowledged")
                .strongReference(true)
                .register(registry);
        Gauge.builder(RANGE_USED_MAX, runs, r -> read(r, dataSource, AlignmentReport::maxRangeUsed))
                .tag(DATASOURCE, dataSource)
                .description("Highest share of its range (0 to 1) any sequence has used")
                .strongReference(true)
                .register(registry);
    }

    private static double read(GuardRuns runs, String dataSource, Function<AlignmentReport, Number> value) {
        return runs.report(dataSource).map(value).map(Number::doubleValue).orElse(Double.NaN);
    }
}
