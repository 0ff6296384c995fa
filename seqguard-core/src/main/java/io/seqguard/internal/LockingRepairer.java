package io.seqguard.internal;

import io.seqguard.AllocationRule;
import io.seqguard.SequenceStatus;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The repair for databases that already take writes with explicit ids: per sequence, one transaction locks the
 * tables it feeds in {@code SHARE} mode (it conflicts with {@code INSERT}/{@code UPDATE}/{@code DELETE}, not with
 * {@code SELECT}), reads their bound and the sequence again, and moves the sequence if it is still behind. The lock
 * wait is bounded by {@code lock_timeout}; one sequence at a time keeps each lock short.
 */
final class LockingRepairer {

    private final List<AllocationRule> rules;
    private final long margin;

    /** @param rules the sequence's allocation rules, as the verify judged it */
    LockingRepairer(List<AllocationRule> rules, long margin) {
        this.rules = rules;
        this.margin = margin;
    }

    /**
     * Repairs one sequence under the lock.
     *
     * @param columns its directly read, compared columns (at least one)
     * @param sourceNext what the source witnessed (see {@link Arithmetic#judge}); null without one
     * @return the outcome; {@code repaired} false with {@code stateAfter} set when it was no longer behind
     */
    Repairer.Outcome repair(Session session, SequenceInfo s, List<ColumnInfo> columns, BigInteger low,
            BigInteger high, BigInteger sourceNext) throws SQLException {
        Set<String> tables = new LinkedHashSet<>();
        for (ColumnInfo c : columns) {
            tables.add(c.tableIdent);
        }
        Repairer.Outcome outcome = new Repairer.Outcome(s, null, null);
        try {
            return session.inTransaction(connection -> {
                try (Statement st = connection.createStatement()) {
                    st.execute("LOCK TABLE " + String.join(", ", tables) + " IN SHARE MODE");
                    BigDecimal bound = null;
                    for (ColumnInfo c : columns) {
                        try (ResultSet rs = st.executeQuery(BoundReader.Read.sql(c, !s.descending()))) {
                            rs.next();
                            BigDecimal value = rs.getBigDecimal(1);
                            if (value != null) {
                                bound = bound == null ? value : s.descending() ? bound.min(value) : bound.max(value);
                            }
                        }
                    }
                    SequenceState state;
                    try (ResultSet rs = st.executeQuery("SELECT last_value, is_called FROM " + s.ident)) {
                        rs.next();
                        state = new SequenceState(rs.getLong(1), rs.getBoolean(2));
                    }
                    Arithmetic.Verdict verdict = Arithmetic.judge(s.increment, low, high, state.next(s.increment),
                            bound, sourceNext, rules, margin);
                    if (verdict.status() != SequenceStatus.BEHIND) {
                        outcome.stateAfter = state;
                        return outcome;
                    }
                    Repairer.Outcome locked = new Repairer.Outcome(s, verdict.targetLast(),
                            Repairer.statement(s, verdict.targetLast()));
                    try (ResultSet rs = st.executeQuery(locked.sql)) {
                        locked.repaired = rs.next();
                    }
                    if (!locked.repaired) {
                        locked.stateAfter = state;
                    }
                    return locked;
                }
            });
        } catch (SQLException e) {
            Failures.rethrowIfBroken(e);
            outcome.error = e.getMessage() + ("55P03".equals(e.getSQLState())
                    ? " (waited lockTimeout for writers of " + String.join(", ", new ArrayList<>(tables))
                            + " to finish; retry, or raise lockTimeout)"
                    : "");
            return outcome;
        }
    }
}
