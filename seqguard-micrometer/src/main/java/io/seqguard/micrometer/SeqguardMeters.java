package io.seqguard.micrometer;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.seqguard.AlignmentReport;
import io.seqguard.SequenceStatus;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

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
     * there, which read the latest run through the same suppliers, and adds the report's gauges once a run has a
     * report. The meters hold the suppliers strongly.
     *
     * @param registry where the meters go
     * @param dataSource the data source's name in the application, the tag {@code datasource}
     * @param duration how long its latest run took, lock wait included; empty before its first run
     * @param report the report of its latest run; empty when that run has none (mode off, or it failed before its
     *     report)
     */
    public static void register(MeterRegistry registry, String dataSource, Supplier<Optional<Duration>> duration,
            Supplier<Optional<AlignmentReport>> report) {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(dataSource, "dataSource");
        Latest latest = new Latest(Objects.requireNonNull(duration, "duration"), Objects.requireNonNull(report,
                "report"));
        TimeGauge.builder(GUARD_DURATION, latest, TimeUnit.MILLISECONDS,
                l -> l.duration().get().map(Duration::toNanos).map(n -> n / 1e6).orElse(Double.NaN))
                .tag(DATASOURCE, dataSource)
                .description("How long the last seqguard startup guard run took")
                .strongReference(true)
                .register(registry);
        if (report.get().isEmpty()) {
            return;
        }
        for (SequenceStatus status : SequenceStatus.values()) {
            Gauge.builder(SEQUENCES, latest, l -> l.read(r -> r.countsByStatus().get(status)))
                    .tag(DATASOURCE, dataSource)
                    .tag("status", status.name().toLowerCase(Locale.ROOT))
                    .baseUnit("sequences")
                    .description("Sequences by status in the last seqguard startup guard run")
                    .strongReference(true)
                    .register(registry);
        }
        Gauge.builder(UNVERIFIED, latest, l -> l.read(r -> r.unverified().size()))
                .tag(DATASOURCE, dataSource)
                .baseUnit("sequences")
                .description("Sequences the last seqguard startup guard run could not verify and that are not "
                        + "acknowledged")
                .strongReference(true)
                .register(registry);
        Gauge.builder(RANGE_USED_MAX, latest, l -> l.read(AlignmentReport::maxRangeUsed))
                .tag(DATASOURCE, dataSource)
                .description("Highest share of its range (0 to 1) any sequence has used")
                .strongReference(true)
                .register(registry);
    }

    /** What the meters of one data source read. */
    private record Latest(Supplier<Optional<Duration>> duration, Supplier<Optional<AlignmentReport>> report) {
        double read(Function<AlignmentReport, Number> value) {
            return report.get().map(value).map(Number::doubleValue).orElse(Double.NaN);
        }
    }
}
