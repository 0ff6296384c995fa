package io.seqguard;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The result of {@link SequenceAligner#verify()}, {@link SequenceAligner#plan()} or {@link SequenceAligner#repair()}:
 * one {@link SequenceReport} per sequence, in schema and name order, and a {@link #verdict()}. Renders as text
 * ({@link #toText()}) and as JSON ({@link #toJson()}, shape documented in the README, {@code "formatVersion": 1}).
 *
 * <p>Built by seqguard; not for implementation by users (methods may be added).
 */
public interface AlignmentReport {

    /** {@return the verb that produced the report} */
    Operation operation();

    /** {@return the database's name} */
    String database();

    /**
     * {@return the server's {@code server_version} as it gives it: {@code 18.3}, or with a distribution's suffix such
     * as {@code 15.20 (Debian 15.20-0+deb12u1)}; text to show, not a number to compare}
     */
    String serverVersion();

    /**
     * {@return the default allocation rule: the configured one (or {@link AlignerConfiguration#DEFAULT_ALLOCATION}),
     * applied to every sequence whose mappings do not say otherwise} Each sequence reports its own
     * ({@link SequenceReport#allocation()}).
     */
    AllocationRule allocation();

    /** {@return the safety margin a repair adds, in sequence values} */
    long margin();

    /** {@return when the run started} */
    Instant startedAt();

    /** {@return how long it took} */
    Duration duration();

    /** {@return one entry per sequence, in schema and name order} */
    List<SequenceReport> sequences();

    /**
     * {@return sequences the source database has and this one lacks (quoted, schema-qualified names, as {@link
     * SequenceReport#qualifiedName()}); empty without a source}
     */
    List<String> sourceOnlySequences();

    /**
     * {@return the enabled subscriptions of this database (quoted by the server), Citus's own shard moves aside: while
     * one feeds the database, rows may still arrive with their ids, so what the report says holds only for the moment
     * it was read; empty for a database no subscription feeds, and on a standby (its catalog shows its primary's
     * subscriptions, which do not run there)} The start-up guard, and so the command line's repair, refuses such a
     * database unless told otherwise.
     */
    default List<String> enabledSubscriptions() {
        return List.of();
    }

    /**
     * {@return the Citus cluster the database belongs to, as this node sees it; null when it is no Citus node (no
     * citus extension)}
     */
    default CitusCluster citus() {
        return null;
    }

    /** {@return how many sequences have each status; every status is present, zero included} */
    default Map<SequenceStatus, Integer> countsByStatus() {
        Map<SequenceStatus, Integer> counts = new EnumMap<>(SequenceStatus.class);
        for (SequenceStatus status : SequenceStatus.values()) {
            counts.put(status, 0);
        }
        for (SequenceReport sequence : sequences()) {
            counts.merge(sequence.status(), 1, Integer::sum);
        }
        return counts;
    }

    /**
     * The sequences with the given status.
     *
     * @param status the status
     * @return those sequences, in report order
     */
    default List<SequenceReport> withStatus(SequenceStatus status) {
        return sequences().stream().filter(s -> s.status() == status).collect(Collectors.toList());
    }

    /**
     * The sequences with the given action.
     *
     * @param action the action
     * @return those sequences, in report order
     */
    default List<SequenceReport> withAction(RepairAction action) {
        return sequences().stream().filter(s -> s.action() == action).collect(Collectors.toList());
    }

    /**
     * {@return what the run found: {@link Verdict#DRIFT} when some sequence is behind, exhausted or mismatched, else
     * {@link Verdict#INCOMPLETE} when some sequence was not verified and not acknowledged, else
     * {@link Verdict#ALIGNED}}
     */
    default Verdict verdict() {
        boolean unverified = false;
        for (SequenceReport sequence : sequences()) {
            if (sequence.status().isDrift()) {
                return Verdict.DRIFT;
            }
            unverified |= sequence.unverified();
        }
        return unverified ? Verdict.INCOMPLETE : Verdict.ALIGNED;
    }

    /**
     * {@return whether every sequence in scope was read and is safe: true only for {@link Verdict#ALIGNED}. A sequence
     * that could not be verified counts against it unless acknowledged}
     */
    default boolean isAligned() {
        return verdict() == Verdict.ALIGNED;
    }

    /**
     * {@return the sequences that were not verified and not acknowledged, which make the run {@link
     * Verdict#INCOMPLETE}}
     */
    default List<SequenceReport> unverified() {
        return sequences().stream().filter(SequenceReport::unverified).collect(Collectors.toList());
    }

    /**
     * {@return the {@link #unverified()} sequences whose data this run could not read ({@link
     * SequenceReport#dataUnread()}: no privilege, a lock or statement timeout, an unreadable source), in report order}
     * Their data may be ahead of them: a refusal says to make them readable rather than acknowledge them.
     */
    default List<SequenceReport> unverifiedForWantOfReads() {
        return sequences().stream().filter(s -> s.unverified() && s.dataUnread()).collect(Collectors.toList());
    }

    /**
     * {@return whether the run was configured with {@code allowUnverified("all")}; false for a report that does not
     * know its configuration}
     */
    default boolean acknowledgesAll() {
        return false;
    }

    /**
     * {@return the names to give {@link AlignerConfiguration#allowUnverified(java.util.Collection)} so that a run like
     * this one is no longer incomplete: {@code all} when it was given, the sequences acknowledged already, then the
     * {@link #unverified()} ones, each as {@link SequenceReport#qualifiedName()}. A setting replaces the list it had,
     * so the first stay in it}
     */
    default List<String> acknowledgingAll() {
        List<String> names = new ArrayList<>();
        if (acknowledgesAll()) {
            names.add("all");
        }
        for (boolean acknowledged : new boolean[] {true, false}) {
            for (SequenceReport s : sequences()) {
                if (s.status().isUnverified() && s.acknowledged() == acknowledged) {
                    names.add(s.qualifiedName());
                }
            }
        }
        return names;
    }

    /** {@return the highest share of its range any sequence has used, 0 when none is known} */
    default double maxRangeUsed() {
        return sequences().stream().map(SequenceReport::rangeUsed).filter(r -> r != null)
                .mapToDouble(Double::doubleValue).max().orElse(0);
    }

    /**
     * Returns this report when {@link #isAligned()}, else throws.
     *
     * @return this report
     * @throws SequenceDriftException when a sequence is behind, exhausted or mismatched, listing each with the fix (and
     *     every unverified one)
     * @throws IncompleteVerificationException when nothing is behind but some sequence was not verified, naming each
     *     with why and the fix
     */
    AlignmentReport requireAligned();

    /**
     * {@return the repair statements of a plan (or the ones a repair ran), one per line, each ending in a semicolon}
     */
    String toSql();

    /** {@return A table a person reads, followed by details on everything that is not aligned, and the verdict} */
    String toText();

    /** {@return the JSON form; the shape is documented in the README and versioned by {@code formatVersion}} */
    String toJson();

    /**
     * Writes {@link #toText()} piece by piece, never holding all of it: the text of 100,000 sequences is some 10 MB.
     *
     * @param out where to write it
     * @throws IOException when {@code out} fails
     */
    default void writeText(Appendable out) throws IOException {
        out.append(toText());
    }

    /**
     * Writes {@link #toJson()} piece by piece, never holding all of it: the JSON of 100,000 sequences is some 60 MB.
     *
     * @param out where to write it
     * @throws IOException when {@code out} fails
     */
    default void writeJson(Appendable out) throws IOException {
        out.append(toJson());
    }

    /**
     * Writes {@link #toSql()} piece by piece, never holding all of it.
     *
     * @param out where to write it
     * @throws IOException when {@code out} fails
     */
    default void writeSql(Appendable out) throws IOException {
        out.append(toSql());
    }
}
