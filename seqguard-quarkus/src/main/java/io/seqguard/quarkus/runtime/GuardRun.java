package io.seqguard.quarkus.runtime;

import io.seqguard.AlignmentReport;
import io.seqguard.GuardResult;
import io.seqguard.quarkus.SeqguardStartupException;

import java.time.Duration;
import java.time.Instant;

/**
 * One guard run on one datasource: the result of a run that let start-up go on, or the failure of one that did not.
 */
public final class GuardRun {

    private final String dataSource;
    private final Instant startedAt;
    private final Duration duration;
    private final GuardResult result;
    private final RuntimeException failure;

    GuardRun(String dataSource, Instant startedAt, Duration duration, GuardResult result, RuntimeException failure) {
        this.dataSource = dataSource;
        this.startedAt = startedAt;
        this.duration = duration;
        this.result = result;
        this.failure = failure;
    }

    /** {@return the datasource's name, {@code <default>} for the default one} */
    public String dataSource() {
        return dataSource;
    }

    /** {@return when the run started} */
    public Instant startedAt() {
        return startedAt;
    }

    /** {@return how long it took} */
    public Duration duration() {
        return duration;
    }

    /** {@return the result; null when the run failed} */
    public GuardResult result() {
        return result;
    }

    /** {@return why the run failed; null when it passed} */
    public RuntimeException failure() {
        return failure;
    }

    /** {@return whether the run let start-up go on} */
    public boolean passed() {
        return failure == null;
    }

    /** {@return the aligner's report, of the result or of the refusal; null when there is none} */
    public AlignmentReport report() {
        if (result != null) {
            return result.report();
        }
        return failure instanceof SeqguardStartupException
                ? ((SeqguardStartupException) failure).getGuardException().report() : null;
    }
}
