package io.seqguard.internal;

import io.seqguard.ProgressListener;

import java.math.BigInteger;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Moves sequences forward with statements that are safe to run at any time, by anyone, any number of times: each
 * reads the sequence's state and calls {@code setval} only while the next value is still short of the target, in
 * one statement, so a sequence that moved on meanwhile is never pulled back. {@code setval} is not transactional, so
 * the repair is idempotent rather than atomic.
 */
final class Repairer {

    private static final int CHUNK = 200;

    /** The outcome for one sequence. */
    static final class Outcome {
        final SequenceInfo sequence;
        final BigInteger targetLast;
        final String sql;
        boolean repaired;
        /** The state found afterwards when the statement did not change it. */
        SequenceState stateAfter;
        String error;

        Outcome(SequenceInfo sequence, BigInteger targetLast, String sql) {
            this.sequence = sequence;
            this.targetLast = targetLast;
            this.sql = sql;
        }
    }

    /**
     * The forward-only statement for one sequence, as shown by a plan and run by a repair. The identifiers were
     * quoted by the server; the numbers are ours.
     */
    static String statement(SequenceInfo s, BigInteger targetLast) {
        BigInteger targetNext = targetLast.add(BigInteger.valueOf(s.increment));
        String before = s.descending() ? " > " : " < ";
        return "SELECT setval(" + s.literal + ", " + targetLast + ", true) FROM " + s.ident
                + " WHERE CASE WHEN is_called THEN last_value" + before + targetLast
                + " ELSE last_value" + before + targetNext + " END";
    }

    /** Why a repair of this sequence cannot be tried with the connecting role; null when it can. */
    static String missingPrivilege(SequenceInfo s) {
        if (!s.canUpdate) {
            return "the connecting role lacks UPDATE on the sequence, which setval() needs: GRANT UPDATE ON SEQUENCE "
                    + s.ident + " TO " + s.role
                    + ", or run the repair as its owner";
        }
        if (!s.canSelect) {
            return "the connecting role lacks SELECT on the sequence, which the forward-only check needs: "
                    + "GRANT SELECT ON SEQUENCE " + s.ident + " TO " + s.role;
        }
        return null;
    }

    /** Runs the statements in chunks on the workers' read-write connections. */
    void run(List<Outcome> outcomes, Workers workers, ProgressListener progress) throws SQLException {
        AtomicInteger done = new AtomicInteger();
        workers.run(Chunks.of(outcomes, CHUNK), (session, chunk) -> {
            runChunk(session, chunk);
            progress.progress(ProgressListener.REPAIRING, done.addAndGet(chunk.size()), outcomes.size());
        });
    }

    /** Runs one chunk's statements in one round trip and one transaction, telling failures apart. */
    void runChunk(Session session, List<Outcome> chunk) throws SQLException {
        if (chunk.isEmpty()) {
            return;
        }
        List<String> statements = new ArrayList<>(chunk.size());
        for (Outcome outcome : chunk) {
            statements.add(outcome.sql);
        }
        try {
            List<Long> results = session.queryEach(statements, rs -> rs.getLong(1));
            List<Outcome> unchanged = new ArrayList<>();
            for (int i = 0; i < chunk.size(); i++) {
                if (results.get(i) != null) {
                    chunk.get(i).repaired = true;
                } else {
                    unchanged.add(chunk.get(i));
                }
            }
            // no row: the statement's own check found the sequence far enough, so it did not run setval()
            readBack(session, unchanged, false);
        } catch (SQLException batchFailure) {
            Failures.rethrowIfBroken(batchFailure);
            // setval() already took effect for the statements before the failure: run each alone, and let
            // readBack() recognise the ones that reached their target in the failed batch
            for (Outcome outcome : chunk) {
                try {
                    Long result = session.queryEach(List.of(outcome.sql), rs -> rs.getLong(1)).get(0);
                    if (result != null) {
                        outcome.repaired = true;
                    } else {
                        readBack(session, List.of(outcome), true);
                    }
                } catch (SQLException e) {
                    Failures.rethrowIfBroken(e);
                    outcome.error = e.getMessage();
                }
            }
        }
    }

    /**
     * For sequences the statement left alone: where are they now? After a failed batch, whose earlier setval()
     * calls took effect although their rows were lost, a sequence standing exactly at its target was moved by it.
     */
    private static void readBack(Session session, List<Outcome> outcomes, boolean afterFailedBatch)
            throws SQLException {
        if (outcomes.isEmpty()) {
            return;
        }
        List<SequenceInfo> sequences = new ArrayList<>();
        List<SequenceState> before = new ArrayList<>();
        for (Outcome outcome : outcomes) {
            sequences.add(outcome.sequence);
            before.add(outcome.sequence.state);
        }
        try {
            StateReader.selectStates(session, sequences);
        } catch (SQLException e) {
            Failures.rethrowIfBroken(e);
            for (Outcome outcome : outcomes) {
                outcome.error = "reading its state after the repair failed: " + e.getMessage();
            }
            return;
        }
        for (int i = 0; i < outcomes.size(); i++) {
            Outcome outcome = outcomes.get(i);
            SequenceState now = outcome.sequence.state;
            outcome.sequence.state = before.get(i);
            if (now == null) {
                outcome.error = outcome.sequence.stateError;
            } else if (afterFailedBatch && now.isCalled()
                    && BigInteger.valueOf(now.lastValue()).equals(outcome.targetLast)) {
                outcome.repaired = true;
            } else {
                outcome.stateAfter = now;
            }
        }
    }
}
