package io.seqguard.micronaut;

import io.micronaut.core.annotation.Nullable;
import io.seqguard.AlignmentReport;
import io.seqguard.GuardResult;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The latest startup guard run on one Micronaut data source, as {@link SeqguardRuns} keeps it for the health
 * indicator, the metrics and the application.
 *
 * @param dataSource the data source's name, for example {@code default}
 * @param startedAt when the run started
 * @param duration how long it took
 * @param result what the run did when it let start-up go on; null when it failed
 * @param failure why it stopped start-up (a {@link SeqguardStartupException} when the guard refused, a
 *     configuration error otherwise); null when it passed
 */
public record GuardRun(String dataSource, Instant startedAt, Duration duration, @Nullable GuardResult result,
        @Nullable RuntimeException failure) {

    /**
     * Checks that exactly one of result and failure is given.
     *
     * @param dataSource the data source's name, for example {@code default}
     * @param startedAt when the run started
     * @param duration how long it took
     * @param result what the run did when it let start-up go on; null when it failed
     * @param failure why it stopped start-up (usually a {@link io.seqguard.StartupGuardException}); null when it
     *     passed
     */
    public GuardRun {
        Objects.requireNonNull(dataSource, "dataSource");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(duration, "duration");
        if ((result == null) == (failure == null)) {
            throw new IllegalArgumentException("a guard run has either a result or a failure");
        }
    }

    /** {@return whether the run let start-up go on} */
    public boolean passed() {
        return failure == null;
    }

    /**
     * {@return the aligner's report: the run's, or the one behind a refusal (drift, failed repairs); null when nothing
     * was checked or the run failed before it could check}
     */
    public @Nullable AlignmentReport report() {
        if (result != null) {
            return result.report();
        }
        return failure instanceof SeqguardStartupException refusal ? refusal.getGuardException().report() : null;
    }
}
