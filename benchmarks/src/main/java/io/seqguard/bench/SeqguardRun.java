package io.seqguard.bench;

import io.seqguard.AlignerConfiguration;
import io.seqguard.AlignmentReport;
import io.seqguard.SeqguardException;
import io.seqguard.SequenceAligner;
import io.seqguard.SequenceReport;
import io.seqguard.SequenceStatus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * seqguard's {@code verify()} or {@code repair()}, timed from {@code configure()} to the returned report (it opens
 * its own connections from the unpooled data source: one main connection and {@code jobs} readers).
 */
final class SeqguardRun implements Contender {

    private final String name;
    private final boolean repair;
    private final int jobs;
    private final UnaryOperator<AlignerConfiguration> extra;
    AlignmentReport lastReport;
    /** Covers part of the database only: the harness does not check the whole database after it. */
    boolean partial;
    /** Whether a failed verb is an outcome to report (timed until it failed) rather than an error. */
    boolean mayFail;
    String failure;

    SeqguardRun(String name, boolean repair, int jobs) {
        this(name, repair, jobs, c -> c);
    }

    SeqguardRun(String name, boolean repair, int jobs, UnaryOperator<AlignerConfiguration> extra) {
        this.name = name;
        this.repair = repair;
        this.jobs = jobs;
        this.extra = extra;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean mutates() {
        return repair;
    }

    @Override
    public long run(Workload w) {
        lastReport = null;
        failure = null;
        long t0 = System.nanoTime();
        SequenceAligner aligner = extra.apply(SequenceAligner.configure().dataSource(w.dataSource).jobs(jobs)).load();
        AlignmentReport report;
        try {
            report = repair ? aligner.repair() : aligner.verify();
        } catch (SeqguardException e) {
            if (!mayFail) {
                throw e;
            }
            failure = e.getMessage();
            return System.nanoTime() - t0;
        }
        long elapsed = System.nanoTime() - t0;
        lastReport = report;
        return elapsed;
    }

    @Override
    public String lastOutcome() {
        if (failure != null) {
            return "FAILED: " + failure;
        }
        return lastReport == null ? null : counts(lastReport);
    }

    static String counts(AlignmentReport report) {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<SequenceStatus, Integer> e : report.countsByStatus().entrySet()) {
            if (e.getValue() > 0) {
                parts.add(e.getValue() + " " + e.getKey().name().toLowerCase(java.util.Locale.ROOT));
            }
        }
        long repaired = report.sequences().stream().filter(s -> s.action() == io.seqguard.RepairAction.REPAIRED)
                .count();
        if (repaired > 0) {
            parts.add(repaired + " repaired");
        }
        return String.join(", ", parts);
    }

    /** The reasons given for sequences that could not be verified, for the results. */
    static List<String> reasons(AlignmentReport report) {
        List<String> reasons = new ArrayList<>();
        for (SequenceReport s : report.withStatus(SequenceStatus.NOT_VERIFIABLE)) {
            reasons.add(s.qualifiedName() + ": " + s.reason());
        }
        return reasons;
    }

    static Duration timeout(long millis) {
        return Duration.ofMillis(millis);
    }
}
