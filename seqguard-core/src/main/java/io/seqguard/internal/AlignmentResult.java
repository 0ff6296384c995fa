package io.seqguard.internal;

import io.seqguard.AlignmentReport;
import io.seqguard.AllocationRule;
import io.seqguard.CitusCluster;
import io.seqguard.Operation;
import io.seqguard.RepairAction;
import io.seqguard.SequenceReport;
import io.seqguard.Vocabulary;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@link AlignmentReport} seqguard reports, with the words its messages use ({@link Vocabulary}): the API's for
 * {@code requireAligned()}, whose exception an API user reads.
 */
record AlignmentResult(Operation operation, String database, String serverVersion, AllocationRule allocation,
        long margin, Instant startedAt, Duration duration, List<SequenceReport> sequences,
        List<String> sourceOnlySequences, CitusCluster citus, boolean acknowledgesAll,
        List<String> enabledSubscriptions) implements AlignmentReport {

    AlignmentResult {
        sequences = List.copyOf(sequences);
        sourceOnlySequences = sourceOnlySequences == null ? List.of() : List.copyOf(sourceOnlySequences);
        enabledSubscriptions = List.copyOf(enabledSubscriptions);
    }

    /** The same report under another verb: a repair that found nothing to move is reported as the repair it was. */
    static AlignmentResult of(AlignmentReport report, Operation operation) {
        return new AlignmentResult(operation, report.database(), report.serverVersion(), report.allocation(),
                report.margin(), report.startedAt(), report.duration(), report.sequences(),
                report.sourceOnlySequences(), report.citus(), report.acknowledgesAll(), report.enabledSubscriptions());
    }

    /**
     * An earlier run's report with what a later, narrower run found in the place of the sequences it read: the
     * guard's repair of what its verify found behind, or a run of the sequences the mappings name
     * ({@link Engine#runMapped}) after the first run of a start-up. One report of the whole database, under the later
     * run's verb; a sequence the later run adds (a mapping naming one the database lacks) goes in schema and name
     * order. A sequence the earlier run moved stays moved, from where that run found it; the duration is the two runs'
     * own, not the time between them (after a framework's ORM step, that is Hibernate's).
     */
    static AlignmentResult merge(AlignmentReport earlier, AlignmentReport later) {
        Map<String, SequenceReport> earlierByName = new HashMap<>();
        for (SequenceReport s : earlier.sequences()) {
            earlierByName.put(s.qualifiedName(), s);
        }
        Map<String, SequenceReport> replaced = new HashMap<>();
        List<SequenceReport> added = new ArrayList<>();
        for (SequenceReport s : later.sequences()) {
            SequenceReport before = earlierByName.get(s.qualifiedName());
            if (before == null) {
                added.add(s);
            } else {
                // the same sequence (one dropped and created again since is another): what the earlier run moved
                boolean same = s instanceof SequenceResult again && before instanceof SequenceResult was
                        && again.oid() == was.oid();
                replaced.put(s.qualifiedName(), same && before.action() == RepairAction.REPAIRED
                        ? ((SequenceResult) s).movedEarlierFrom(before.previousNextValue()) : s);
            }
        }
        List<SequenceReport> sequences = new ArrayList<>(earlier.sequences().size() + added.size());
        for (SequenceReport s : earlier.sequences()) {
            SequenceReport now = replaced.getOrDefault(s.qualifiedName(), s);
            while (!added.isEmpty() && before(added.get(0), now)) {
                sequences.add(added.remove(0));
            }
            sequences.add(now);
        }
        sequences.addAll(added);
        return new AlignmentResult(later.operation(), earlier.database(), earlier.serverVersion(),
                earlier.allocation(), earlier.margin(), earlier.startedAt(), earlier.duration().plus(later.duration()),
                sequences, earlier.sourceOnlySequences(), earlier.citus(), earlier.acknowledgesAll(),
                union(earlier.enabledSubscriptions(), later.enabledSubscriptions()));
    }

    /** Both runs' subscriptions: the earlier run's sequences were read while its own fed the database. */
    private static List<String> union(List<String> earlier, List<String> later) {
        java.util.LinkedHashSet<String> all = new java.util.LinkedHashSet<>(earlier);
        all.addAll(later);
        return new ArrayList<>(all);
    }

    /** Report order: schema, then name. */
    private static boolean before(SequenceReport a, SequenceReport b) {
        int schema = a.schema().compareTo(b.schema());
        return schema != 0 ? schema < 0 : a.name().compareTo(b.name()) < 0;
    }

    @Override
    public AlignmentReport requireAligned() {
        switch (verdict()) {
            case DRIFT:
                throw Exceptions.drift(this, ReportText.problems(this, Vocabulary.API));
            case INCOMPLETE:
                throw Exceptions.incomplete(this, ReportText.problems(this, Vocabulary.API));
            default:
                return this;
        }
    }

    @Override
    public String toSql() {
        return ReportText.sql(this);
    }

    @Override
    public String toText() {
        return ReportText.render(this);
    }

    @Override
    public String toJson() {
        return ReportJson.render(this);
    }

    @Override
    public void writeText(Appendable out) throws IOException {
        ReportText.write(this, out);
    }

    @Override
    public void writeJson(Appendable out) throws IOException {
        ReportJson.write(this, out);
    }

    @Override
    public void writeSql(Appendable out) throws IOException {
        ReportText.writeSql(this, out);
    }

    /** A one-line summary. */
    @Override
    public String toString() {
        return ReportText.summary(this);
    }
}
