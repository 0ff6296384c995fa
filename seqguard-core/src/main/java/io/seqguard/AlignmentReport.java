package io.seqguard;

import io.seqguard.internal.ReportJson;
import io.seqguard.internal.ReportText;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The result of {@link SequenceAligner#verify()}, {@link SequenceAligner#plan()} or {@link SequenceAligner#repair()}:
 * one {@link SequenceReport} per sequence, in schema and name order. Renders as text ({@link #toText()}) and as
 * JSON ({@link #toJson()}, shape documented in the README, {@code "formatVersion": 1}).
 *
 * @param operation the verb that produced the report
 * @param database the database's name
 * @param serverVersion the server's version, for example {@code 18.3}
 * @param allocation the allocation rule applied to every sequence
 * @param margin the safety margin a repair adds, in sequence values
 * @param startedAt when the run started
 * @param duration how long it took
 * @param sequences one entry per sequence
 * @param sourceOnlySequences sequences the source database has and this one lacks (quoted, schema-qualified
 *     names, as {@link SequenceReport#qualifiedName()}); empty without a source
 */
public record AlignmentReport(Operation operation, String database, String serverVersion,
        AllocationRule allocation, long margin, Instant startedAt, Duration duration,
        List<SequenceReport> sequences, List<String> sourceOnlySequences) {

    /**
     * Copies the lists: a report never changes.
     *
     * @param operation the verb that produced the report
     * @param database the database's name
     * @param serverVersion the server's version, for example {@code 18.3}
     * @param allocation the allocation rule applied to every sequence
     * @param margin the safety margin a repair adds, in sequence values
     * @param startedAt when the run started
     * @param duration how long it took
     * @param sequences one entry per sequence
     * @param sourceOnlySequences sequences the source database has and this one lacks (quoted, schema-qualified names,
     *     as {@link SequenceReport#qualifiedName()}); empty without a source
     */
    public AlignmentReport {
        sequences = List.copyOf(sequences);
        sourceOnlySequences = sourceOnlySequences == null ? List.of() : List.copyOf(sourceOnlySequences);
    }

    /** {@return how many sequences have each status; every status is present, zero included} */
    public Map<SequenceStatus, Integer> countsByStatus() {
        Map<SequenceStatus, Integer> counts = new EnumMap<>(SequenceStatus.class);
        for (SequenceStatus status : SequenceStatus.values()) {
            counts.put(status, 0);
        }
        for (SequenceReport sequence : sequences) {
            counts.merge(sequence.status(), 1, Integer::sum);
        }
        return counts;
    }

    /**
     * The sequences with the given status.
     *
     * @param status the status to select
     * @return those sequences, in report order
     */
    public List<SequenceReport> withStatus(SequenceStatus status) {
        return sequences.stream().filter(s -> s.status() == status).collect(Collectors.toList());
    }

    /**
     * The sequences with the given action.
     *
     * @param action the action to select
     * @return those sequences, in report order
     */
    public List<SequenceReport> withAction(RepairAction action) {
        return sequences.stream().filter(s -> s.action() == action).collect(Collectors.toList());
    }

    /**
     * {@return whether no sequence is behind or exhausted} Sequences that are not verifiable or skipped do not count
     * against it; they are listed in the report.
     */
    public boolean isAligned() {
        return sequences.stream().noneMatch(s -> s.status().isDrift());
    }

    /**
     * Returns this report when {@link #isAligned()}, else throws.
     *
     * @return this report
     * @throws SequenceDriftException listing each lagging or exhausted sequence and the fix
     */
    public AlignmentReport requireAligned() {
        if (!isAligned()) {
            throw new SequenceDriftException(this);
        }
        return this;
    }

    /** {@return the highest share of its range any sequence has used, 0 when none is known} */
    public double maxRangeUsed() {
        return sequences.stream().map(SequenceReport::rangeUsed).filter(r -> r != null)
                .mapToDouble(Double::doubleValue).max().orElse(0);
    }

    /**
     * {@return the repair statements of a plan (or the ones a repair ran), one per line, each ending in a semicolon}
     */
    public String toSql() {
        return ReportText.sql(this);
    }

    /** {@return a table a person reads, followed by details on everything that is not aligned} */
    public String toText() {
        return ReportText.render(this);
    }

    /** {@return the JSON form; the shape is documented in the README and versioned by {@code formatVersion}} */
    public String toJson() {
        return ReportJson.render(this);
    }

    /** {@return what is wrong and what to do, for an exception or a failed start-up} */
    public String driftMessage() {
        return ReportText.driftMessage(this);
    }

    /** A one-line summary. */
    @Override
    public String toString() {
        return ReportText.summary(this);
    }
}
