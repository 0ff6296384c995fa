package io.seqguard.internal;

import io.seqguard.SequenceStatus;
import io.seqguard.Vocabulary;

import java.math.BigInteger;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The repair inside the read pass: right after a chunk's data was read, each sequence the data puts behind is read
 * and moved forward by one statement ({@link Pending#branch}), instead of a state read and then a repair statement. On
 * a freshly copied database (every sequence behind, never called) that halves the statements per sequence: before
 * PostgreSQL 18 a never-called sequence's state costs a {@code SELECT} of its own, and every state read opens the
 * sequence once more.
 *
 * <p>On PostgreSQL 18+ the chunk's statement is one plan for all its sequences ({@link #sequenceData}): a branch per
 * sequence makes the server plan a scan of each, which costs more than moving it.
 *
 * <p>Whether the data puts a sequence behind does not depend on its state: the verdict's required next value and
 * repair target come from the data and the allocation rules alone, and a sequence is behind exactly when its next
 * value is short of the required one ({@link Arithmetic}). So a sequence judged behind from its lowest possible state
 * is one a repair may have to move, and the statement's own condition, the same comparison on the state it reads,
 * decides whether it does. The sequence is judged again on that state, so its report is as a state read would have
 * made it. Every other sequence (empty, exhausted, mismatched, unreadable, on a Citus node) goes the usual way: its
 * state is read, it is judged, and it is repaired when behind.
 */
final class PassRepairer {

    /** Decides which of the sequences judged behind may be tried, and how the usual repair runs: the engine's. */
    interface Repairs {
        List<Repairer.Outcome> outcomes(List<Judged> judged) throws SQLException;
    }

    /** A sequence to read and move in one statement, with what its data requires and the target it gives. */
    private record Pending(SequenceInfo sequence, BigInteger requiredNext, BigInteger targetLast) {
        /** The last value short of the required next one: where a called sequence must stand at least. */
        BigInteger requiredLast() {
            return requiredNext.subtract(BigInteger.valueOf(sequence.increment));
        }

        /**
         * Reads the state and, while the next value is short of the required one, moves the sequence to the target,
         * in one statement that always returns the state it read (without its {@code SELECT}, a branch of
         * {@link UnionAll}). The identifiers were quoted by the server; the numbers are ours. Built only when
         * branches run: before PostgreSQL 18, and on 18 after {@link PassRepairer#sequenceData}'s statement failed.
         */
        String branch() {
            String shortOf = sequence.descending() ? " > " : " < ";
            return "last_value, is_called, CASE WHEN CASE WHEN is_called THEN last_value" + shortOf + requiredLast()
                    + " ELSE last_value" + shortOf + requiredNext + " END THEN setval(" + sequence.literal + ", "
                    + targetLast + ", true) END FROM " + sequence.ident;
        }

        /** The repair of it, as the report shows it: to the target, by the usual statement. */
        Repairer.Outcome outcome() {
            return new Repairer.Outcome(sequence, targetLast, Repairer.statement(sequence, targetLast));
        }
    }

    /** What the statement found and did. */
    private record Row(long lastValue, boolean isCalled, boolean moved) {
    }

    private final Judge judge;
    private final StateReader states;
    private final Repairs repairs;
    /** Every sequence moved, so that a run that breaks off later can say what it moved. */
    private final Collection<Judged> moved;
    private final Vocabulary vocabulary;

    PassRepairer(Judge judge, StateReader states, Repairs repairs, Collection<Judged> moved, Vocabulary vocabulary) {
        this.judge = judge;
        this.vocabulary = vocabulary;
        this.states = states;
        this.repairs = repairs;
        this.moved = moved;
    }

    /**
     * Judges and repairs the chunk's sequences on the session that read their data.
     *
     * @return every sequence of the chunk, judged, with what the repair did
     */
    List<Judged> run(Session session, BoundReader.Chunk chunk) throws SQLException {
        List<Pending> pending = new ArrayList<>();
        List<SequenceInfo> usual = new ArrayList<>();
        for (SequenceInfo s : chunk.sequences) {
            Pending p = pending(s);
            if (p == null) {
                usual.add(s);
            } else {
                pending.add(p);
            }
        }
        List<Judged> judged = new ArrayList<>();
        List<Judged> behind = new ArrayList<>();
        if (!pending.isEmpty()) {
            readAndMove(session, pending, judged, behind, states.hasSequenceData());
        }
        states.read(session, usual, null);
        for (SequenceInfo s : usual) {
            Judged j = judge.judge(s, null);
            judged.add(j);
            if (j.status == SequenceStatus.BEHIND) {
                behind.add(j);
            }
        }
        new Repairer().runChunk(session, repairs.outcomes(behind));
        return judged;
    }

    /**
     * The sequence's repair when its data puts it behind whatever its state, and the role may read and move it; null
     * when it goes the usual way.
     */
    private Pending pending(SequenceInfo s) {
        if (s.skipReason != null || s.citus != null || Repairer.missingPrivilege(s) != null) {
            return null;
        }
        // the lowest state a sequence can be in: next value at its start
        s.state = new SequenceState(s.descending() ? s.maxValue : s.minValue, false);
        Judged lowest = judge.judge(s, null);
        s.state = null;
        if (lowest.status != SequenceStatus.BEHIND) {
            return null;
        }
        return new Pending(s, lowest.verdict.requiredNext(), lowest.verdict.targetLast());
    }

    /**
     * The same as the {@link Pending#branch}es of the sequences, as one statement planned once: PostgreSQL 18's
     * {@code pg_get_sequence_data} reads each state, and the rows come numbered as {@link UnionAll}'s do, in the order
     * given (the arrays' order, which {@code setval()} follows too). A sequence whose state it cannot read (privilege
     * revoked meanwhile) comes back without one, unmoved. The numbers are ours, the oids the catalog's.
     */
    private static String sequenceData(List<Pending> pending) {
        StringBuilder oids = new StringBuilder();
        StringBuilder requiredLast = new StringBuilder();
        StringBuilder requiredNext = new StringBuilder();
        StringBuilder targets = new StringBuilder();
        StringBuilder directions = new StringBuilder();
        for (Pending p : pending) {
            String comma = oids.length() == 0 ? "" : ",";
            SequenceInfo s = p.sequence();
            oids.append(comma).append(s.oid);
            requiredLast.append(comma).append(p.requiredLast());
            requiredNext.append(comma).append(p.requiredNext());
            targets.append(comma).append(p.targetLast());
            directions.append(comma).append(s.descending() ? -1 : 1);
        }
        // short of the required value: below it for an ascending sequence (direction 1), above it for a descending one
        return "SELECT x.n - 1, d.last_value, d.is_called, CASE WHEN x.direction * (d.last_value - CASE WHEN "
                + "d.is_called THEN x.required_last ELSE x.required_next END) < 0 THEN setval(x.o::regclass, "
                + "x.target, true) END FROM unnest('{" + oids + "}'::oid[], '{" + requiredLast + "}'::numeric[], '{"
                + requiredNext + "}'::numeric[], '{" + targets + "}'::bigint[], '{" + directions + "}'::int[]) "
                + "WITH ORDINALITY AS x(o, required_last, required_next, target, direction, n), "
                + "pg_get_sequence_data(x.o::regclass) AS d";
    }

    private void readAndMove(Session session, List<Pending> pending, List<Judged> judged, List<Judged> behind,
            boolean planOnce) throws SQLException {
        String statement;
        if (planOnce) {
            statement = sequenceData(pending);
        } else {
            List<String> branches = new ArrayList<>(pending.size());
            for (Pending p : pending) {
                branches.add(p.branch());
            }
            statement = UnionAll.of(branches);
        }
        List<Row> rows;
        try {
            rows = session.queryEach(List.of(statement), UnionAll.rows(pending.size(), PassRepairer::row)).get(0);
        } catch (SQLException batchFailure) {
            Failures.rethrowIfBroken(batchFailure);
            afterFailedBatch(session, pending, judged, behind, planOnce);
            return;
        }
        List<Pending> unread = new ArrayList<>();
        for (int i = 0; i < pending.size(); i++) {
            if (rows.get(i) == null) {
                unread.add(pending.get(i)); // left unmoved; its branch says why
            } else {
                settle(pending.get(i), rows.get(i), false, judged, behind);
            }
        }
        if (!unread.isEmpty()) {
            // a branch always returns its state (or fails): only the statement planned once leaves some unread
            readAndMove(session, unread, judged, behind, false);
        }
    }

    /**
     * The chunk's statement failed, after its branches before the failing one had moved their sequences (setval() is
     * not transactional): each runs alone again. A branch that fails alone would have failed the statement too, so
     * the statement never reached the branches after the first such one, and what they do alone is the whole story.
     * A sequence before it found exactly at its target may have been moved by the failed statement or left there by
     * an earlier repair: it is not claimed as moved. The statement planned once ({@link #sequenceData}) passes over a
     * sequence whose state it cannot read where its branch alone fails, so after it any sequence may be such a one.
     *
     * @param plannedOnce whether the statement that failed was {@link #sequenceData}'s
     */
    private void afterFailedBatch(Session session, List<Pending> pending, List<Judged> judged, List<Judged> behind,
            boolean plannedOnce) throws SQLException {
        Row[] rows = new Row[pending.size()];
        SQLException[] failures = new SQLException[pending.size()];
        int firstFailure = -1;
        for (int i = 0; i < pending.size(); i++) {
            try {
                rows[i] = session.queryEach(List.of(UnionAll.of(List.of(pending.get(i).branch()))),
                        PassRepairer::row).get(0);
            } catch (SQLException e) {
                Failures.rethrowIfBroken(e);
                failures[i] = e;
                firstFailure = firstFailure < 0 ? i : firstFailure;
            }
        }
        for (int i = 0; i < pending.size(); i++) {
            if (rows[i] != null) {
                settle(pending.get(i), rows[i], plannedOnce || firstFailure < 0 || i < firstFailure, judged, behind);
            } else {
                failedAlone(session, pending.get(i), failures[i], judged);
            }
        }
    }

    /** The row of a branch, or of {@link #sequenceData}: null when it could not read the state. */
    private static Row row(java.sql.ResultSet rs) throws SQLException {
        long lastValue = rs.getLong(2);
        return rs.wasNull() ? null : new Row(lastValue, rs.getBoolean(3), rs.getObject(4) != null);
    }

    /**
     * The sequence's statement failed alone too. Its state may still be readable (a lock held on the sequence stops
     * setval(), not a read): then it is judged as usual and its repair failed with this failure.
     */
    private void failedAlone(Session session, Pending p, SQLException e, List<Judged> judged) throws SQLException {
        SequenceInfo s = p.sequence();
        StateReader.selectStates(session, List.of(s));
        Judged j = judge.judge(s, null);
        judged.add(j);
        if (j.status == SequenceStatus.BEHIND) {
            j.outcome = p.outcome();
            j.outcome.error = e.getMessage() + Engine.hint(e, vocabulary);
        }
    }

    /**
     * Judges the sequence on the state the statement read, and records what the statement did.
     *
     * @param mayHaveMoved whether a failed statement may have moved it before this one read it
     */
    private void settle(Pending p, Row row, boolean mayHaveMoved, List<Judged> judged, List<Judged> behind) {
        SequenceInfo s = p.sequence();
        s.state = new SequenceState(row.lastValue(), row.isCalled());
        Judged j = judge.judge(s, null);
        judged.add(j);
        if (row.moved()) {
            j.outcome = p.outcome();
            j.outcome.repaired = true;
            moved.add(j);
        } else if (mayHaveMoved && row.isCalled() && BigInteger.valueOf(row.lastValue()).equals(p.targetLast())) {
            j.extraNotes.add("found exactly at the repair's target after a statement of this repair failed: that "
                    + "statement may have moved it there, or an earlier repair did");
        } else if (j.status == SequenceStatus.BEHIND) {
            // cannot happen (the statement compared as the verdict does), but if it does the usual repair decides
            behind.add(j);
        }
    }
}
