package io.seqguard.micronaut;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.util.StringUtils;
import io.seqguard.micrometer.SeqguardMeters;
import jakarta.inject.Singleton;

/**
 * Binds the startup guard's Micrometer meters ({@link SeqguardMeters}: the same names, types, tags and units as
 * seqguard's Spring Boot and Quarkus modules) for every guarded data source (tag {@code datasource}) as its guard
 * runs, each showing the data source's latest run.
 *
 * <p>A {@link MeterBinder}: Micronaut Micrometer binds it to the application's registry when metrics are enabled
 * ({@code micronaut.metrics.enabled}, default true) and the registry is created, whichever comes first, the
 * registry or the data sources.
 */
@Singleton
@Requires(classes = MeterBinder.class)
@Requires(property = "micronaut.metrics.enabled", notEquals = StringUtils.FALSE)
@Requires(property = SeqguardDataSourceListener.ENABLED, notEquals = StringUtils.FALSE)
public class SeqguardMetrics implements MeterBinder {

    private final SeqguardRuns runs;

    /**
     * @param runs the runs to measure
     */
    public SeqguardMetrics(SeqguardRuns runs) {
        this.runs = runs;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        runs.observe(run -> SeqguardMeters.register(registry, run.dataSource(),
                () -> runs.latest(run.dataSource()).map(GuardRun::duration),
                () -> runs.latest(run.dataSource()).map(GuardRun::report)));
    }
}
