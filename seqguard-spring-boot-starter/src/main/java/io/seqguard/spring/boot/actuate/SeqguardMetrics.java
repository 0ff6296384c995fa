package io.seqguard.spring.boot.actuate;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.seqguard.micrometer.SeqguardMeters;
import io.seqguard.spring.boot.autoconfigure.SeqguardResults;

import java.util.Objects;

/**
 * Binds the startup guard's Micrometer meters ({@link SeqguardMeters}: names, types, tags and units) for every guarded
 * DataSource bean (tag {@code datasource}) as its guard runs, each showing the bean's latest run.
 */
public class SeqguardMetrics implements MeterBinder {

    private final SeqguardResults results;

    /**
     * @param results the guard's results
     */
    public SeqguardMetrics(SeqguardResults results) {
        this.results = Objects.requireNonNull(results, "results");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        results.onRun(name -> SeqguardMeters.register(registry, name, () -> results.duration(name),
                () -> results.report(name)));
    }
}
