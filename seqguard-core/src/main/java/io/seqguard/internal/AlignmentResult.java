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
import java.util.List;

/**
 * The {@link AlignmentReport} seqguard reports, with the words its messages use ({@link Vocabulary}): the API's for
 * {@code requireAligned()}, whose exception an API user reads.
 */
record AlignmentResult(Operation operation, String database, String serverVersion, AllocationRule allocation,
        long margin, Instant startedAt, Duration duration, List<SequenceReport> sequences,
        List<String> sourceOnlySequences, CitusCluster citus, boolean acknowledgesAll) implements AlignmentReport {

    AlignmentResult {
        sequences = List.copyOf(sequences);
        sourceOnlySequences = sourceOnlySequences == null ? List.of() : List.copyOf(sourceOnlySequences);
    }

    /** The same report under another verb: a repair that found nothing to move is reported as the repair it was. */
    static AlignmentResult of(AlignmentReport report, Operation operation) {
        return new AlignmentResult(operation, report.database(), report.serverVersion(), report.allocation(),
                report.margin(), report.startedAt(), report.duration(), report.sequences(),
                report.sourceOnlySequences(), report.citus(), report.acknowledgesAll());
    }

    /**
     * A verify's report with the sequences a later, narrower run (the guard's repair of what the verify found behind)
     * read again in their place: one report of the whole database, under the later run's verb and the two runs'
     * durations (not the time between them: after a framework's ORM step, that is Hibernate's).
     */
    static AlignmentResult merge(AlignmentReport all, AlignmentReport again) {
        java.util.Map<String, SequenceReport> replaced = new java.util.HashMap<>();
        for (SequenceReport s : again.sequences()) {
            replaced.put(s.qualifiedName(), s);
        }
        List<SequenceReport> sequences = new java.util.ArrayList<>(all.sequences().size());
        for (SequenceReport s : all.sequences()) {
            sequences.add(replaced.getOrDefault(s.qualifiedName(), s));
        }
        return new AlignmentResult(again.operation(), all.database(), all.serverVersion(), all.allocation(),
                all.margin(), all.startedAt(), all.duration().plus(again.duration()), sequences,
                all.sourceOnlySequences(), all.citus(), all.acknowledgesAll());
    }

    /**
     * A full run's report with what a later run of the sequences the mappings name ({@link Engine#runMapped}) found in
     * their place, the sequences it adds (a mapping naming one the database lacks) in schema and name order: one report
     * of the whole database for the two runs of one start-up. A sequence the earlier run moved stays moved, from where
     * that run found it; the duration is the two runs' own, not the time between them.
     */
    static AlignmentResult withMapped(AlignmentReport earlier, AlignmentReport mapped) {
        java.util.Map<String, SequenceReport> earlierByName = new java.util.HashMap<>();
        for (SequenceReport s : earlier.sequences()) {
            earlierByName.put(s.qualifiedName(), s);
        }
        java.util.Map<String, SequenceReport> replaced = new java.util.HashMap<>();
        List<SequenceReport> added = new java.util.ArrayList<>();
        for (SequenceReport s : mapped.sequences()) {
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
        List<SequenceReport> sequences = new java.util.ArrayList<>(earlier.sequences().size() + added.size());
        for (SequenceReport s : earlier.sequences()) {
            SequenceReport now = replaced.getOrDefault(s.qualifiedName(), s);
            while (!added.isEmpty() && before(added.get(0), now)) {
                sequences.add(added.remove(0));
            }
            sequences.add(now);
        }
        sequences.addAll(added);
        return new AlignmentResult(mapped.operation(), earlier.database(), earlier.serverVersion(),
                earlier.allocation(), earlier.margin(), earlier.startedAt(), earlier.duration().plus(mapped.duration()),
                sequences, earlier.sourceOnlySequences(), earlier.citus(), earlier.acknowledgesAll());
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
