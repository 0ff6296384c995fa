package io.seqguard.quarkus.runtime;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.seqguard.AlignmentReport;
import io.seqguard.SequenceStatus;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Micrometer meters for the startup guard, under the same names, types, tags and units as seqguard's Spring Boot and
 * Micronaut modules, one set per guarded datasource (tag {@code datasource}), each showing its latest run:
 * <ul>
 *   <li>{@value #SEQUENCES} (gauge, tag {@code status}: {@code aligned}, {@code behind}, {@code exhausted},
 *       {@code not_verifiable}, {@code no_privilege}, {@code skipped}, {@code empty}, ...): sequences by status in
 *       the latest run's report;</li>
 *   <li>{@value #UNVERIFIED} (gauge): sequences that could not be verified and are not acknowledged
 *       ({@code allow-unverified}); above 0 means the run was incomplete;</li>
 *   <li>{@value #RANGE_USED_MAX} (gauge, 0 to 1): the highest share of its range any sequence has used;</li>
 *   <li>{@value #GUARD_DURATION} (time gauge): how long the latest run took, lock wait included.</li>
 * </ul>
 * The gauges but the duration appear once a run has a report (mode off has none). A {@link MeterBinder} bean, which
 * Quarkus' Micrometer extension binds to its registry; defined when the application has that extension.
 */
@Singleton
public class SeqguardMetrics implements MeterBinder {

    /** Gauge: sequences by status. */
    public static final String SEQUENCES = "seqguard.sequences";
    /** Gauge: sequences not verified and not acknowledged. */
    public static final String UNVERIFIED = "seqguard.sequences.unverified";
    /** Gauge: the highest share of its range any sequence has used. */
    public static final String RANGE_USED_MAX = "seqguard.range.used.max";
    /** Time gauge: how long the latest guard run took. */
    public static final String GUARD_DURATION = "seqguard.guard.duration";

    private static final String DATASOURCE = "datasource";

    @Inject
    SeqguardGuards guards;

    @Override
    public void bindTo(MeterRegistry registry) {
        SeqguardRuns runs = guards.runs();
        runs.observe(run -> register(registry, runs, run));
    }

    private static void register(MeterRegistry registry, SeqguardRuns runs, GuardRun run) {
        String name = run.dataSource();
        // registering a meter again returns the existing one, which reads the latest run
        TimeGauge.builder(GUARD_DURATION, runs, TimeUnit.MILLISECONDS, r -> durationMillis(r, name))
                .tag(DATASOURCE, name)
                .description("How long the last seqguard startup guard run took")
                .strongReference(true)
                .register(registry);
        if (run.report() == null) {
            return;
        }
        for (SequenceStatus status : SequenceStatus.values()) {
            Gauge.builder(SEQUENCES, runs, r -> count(r, name, status))
                    .tag(DATASOURCE, name)
                    .tag("status", status.name().toLowerCase(Locale.ROOT))
                    .baseUnit("sequences")
                    .description("Sequences by status in the last seqguard startup guard run")
                    .strongReference(true)
                    .register(registry);
        }
        Gauge.builder(UNVERIFIED, runs, r -> unverified(r, name))
                .tag(DATASOURCE, name)
                .baseUnit("sequences")
                .description("Sequences the last seqguard startup guard run could not verify and that are not "
                        + "acknowledged")
                .strongReference(true)
                .register(registry);
        Gauge.builder(RANGE_USED_MAX, runs, r -> rangeUsed(r, name))
                .tag(DATASOURCE, name)
                .description("Highest share of its range (0 to 1) any sequence has used")
                .strongReference(true)
                .register(registry);
    }

    private static double durationMillis(SeqguardRuns runs, String name) {
        return runs.latest(name).map(run -> run.duration().toNanos() / 1e6).orElse(Double.NaN);
    }

    private static double count(SeqguardRuns runs, String name, SequenceStatus status) {
        AlignmentReport report = report(runs, name);
        return report == null ? Double.NaN : report.countsByStatus().get(status);
    }

    private static double unverified(SeqguardRuns runs, String name) {
        AlignmentReport report = report(runs, name);
        return report == null ? Double.NaN : report.unverified().size();
    }

    private static double rangeUsed(SeqguardRuns runs, String name) {
        AlignmentReport report = report(runs, name);
        return report == null ? Double.NaN : report.maxRangeUsed();
    }

    private static AlignmentReport report(SeqguardRuns runs, String name) {
        return runs.latest(name).map(GuardRun::report).orElse(null);
    }
}
