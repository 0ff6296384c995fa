package io.seqguard.quarkus.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.seqguard.micrometer.SeqguardMeters;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * Binds the startup guard's Micrometer meters ({@link SeqguardMeters}: the same names, types, tags and units as
 * seqguard's Spring Boot and Micronaut modules) for every guarded datasource (tag {@code datasource}), each showing its
 * latest run. A {@link MeterBinder} bean, which Quarkus' Micrometer extension binds to its registry; defined when the
 * application has that extension.
 */
@Singleton
public class SeqguardMetrics implements MeterBinder {

    @Inject
    SeqguardGuards guards;

    @Override
    public void bindTo(MeterRegistry registry) {
        SeqguardRuns runs = guards.runs();
        runs.observe(run -> SeqguardMeters.register(registry, run.dataSource(),
                () -> runs.latest(run.dataSource()).map(GuardRun::duration),
                () -> runs.latest(run.dataSource()).map(GuardRun::report)));
    }
}
