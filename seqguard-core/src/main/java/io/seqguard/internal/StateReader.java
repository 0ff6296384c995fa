package io.seqguard.internal;

import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code last_value} and {@code is_called} of many sequences cheaply. On PostgreSQL 18+
 * {@code pg_get_sequence_data(oid)} gives both for every sequence the role may SELECT. Before that, or with USAGE
 * only, {@code pg_sequence_last_value(oid)} costs microseconds but answers NULL for a sequence never called (and would
 * fail without privilege, which the catalog step checked); only those are read with
 * {@code SELECT last_value, is_called FROM seq}. All of them take a lock per sequence, so the work runs in chunks of
 * bounded transactions.
 */
final class StateReader {

    private static final int LAST_VALUE_CHUNK = 1000;
    private static final int SELECT_CHUNK = 200;

    /** The {@code server_version_num} from which {@code pg_get_sequence_data(regclass)} exists. */
    private static final int GET_SEQUENCE_DATA_SINCE = 180000;

    private final int serverVersionNum;

    StateReader(int serverVersionNum) {
        this.serverVersionNum = serverVersionNum;
    }

    void read(Session session, List<SequenceInfo> sequences) throws SQLException {
        read(session, sequences, null);
    }

    /** {@return whether the server reads the states of many sequences in one planned statement (18+)} */
    boolean hasSequenceData() {
        return serverVersionNum >= GET_SEQUENCE_DATA_SINCE;
    }

    /** What the tail of a chunk's reads returns before PostgreSQL 18: each sequence's last value, or none. */
    private record LastValues(Map<Long, Long> byOid) {
    }

    /**
     * One statement reading the states of the given sequences as one row of arrays, to run right after the chunk's
     * reads in their round trip (no transaction of its own); null when there is none to read that way. Its row goes to
     * {@link #read(Session, List, Object)}. PostgreSQL 18+: {@code pg_get_sequence_data} of those the role may SELECT;
     * before: {@code pg_sequence_last_value} of every one read, the never-called ones then read alone. The oids are
     * numbers from the catalog.
     */
    BoundReader.Tail batched(List<SequenceInfo> sequences) {
        boolean getSequenceData = hasSequenceData();
        StringBuilder oids = new StringBuilder();
        for (SequenceInfo s : sequences) {
            if (s.skipReason == null && (s.canSelect || !getSequenceData)) {
                oids.append(oids.length() == 0 ? "" : ",").append(s.oid);
            }
        }
        if (oids.length() == 0) {
            return null;
        }
        String from = "FROM unnest('{" + oids + "}'::oid[]) AS o";
        if (!getSequenceData) {
            return new BoundReader.Tail("SELECT array_agg(o::bigint), array_agg(pg_sequence_last_value(o::regclass)) "
                    + from, rs -> {
                        Long[] oid = (Long[]) rs.getArray(1).getArray();
                        Long[] last = (Long[]) rs.getArray(2).getArray();
                        Map<Long, Long> values = new HashMap<>();
                        for (int i = 0; i < oid.length; i++) {
                            if (last[i] != null) {
                                values.put(oid[i], last[i]);
                            }
                        }
                        return new LastValues(values);
                    });
        }
        return new BoundReader.Tail("SELECT array_agg(o::bigint), array_agg(d.last_value), array_agg(d.is_called) "
                + from + ", pg_get_sequence_data(o::regclass) AS d", rs -> {
                    Long[] oid = (Long[]) rs.getArray(1).getArray();
                    Long[] last = (Long[]) rs.getArray(2).getArray();
                    Boolean[] called = (Boolean[]) rs.getArray(3).getArray();
                    Map<Long, SequenceState> states = new HashMap<>();
                    for (int i = 0; i < oid.length; i++) {
                        if (last[i] != null) {
                            states.put(oid[i], new SequenceState(last[i], called[i]));
                        }
                    }
                    return states;
                });
    }

    /**
     * Reads the states of the sequences; {@code batchedRow} is what the statement of {@link #batched} returned, or
     * null when it did not run.
     */
    void read(Session session, List<SequenceInfo> sequences, Object batchedRow) throws SQLException {
        List<SequenceInfo> readable = new ArrayList<>();
        for (SequenceInfo s : sequences) {
            if (s.skipReason == null) {
                readable.add(s);
            }
        }
        if (hasSequenceData()) {
            List<SequenceInfo> selectable = new ArrayList<>();
            List<SequenceInfo> rest = new ArrayList<>();
            for (SequenceInfo s : readable) {
                (s.canSelect ? selectable : rest).add(s);
            }
            if (batchedRow != null) {
                @SuppressWarnings("unchecked")
                Map<Long, SequenceState> states = (Map<Long, SequenceState>) batchedRow;
                apply(session, selectable, states);
            } else {
                for (List<SequenceInfo> chunk : Chunks.of(selectable, LAST_VALUE_CHUNK)) {
                    try {
                        sequenceData(session, chunk);
                    } catch (SQLException e) {
                        Failures.rethrowIfBroken(e);
                        // one sequence spoiled the chunk (dropped meanwhile): read each alone, naming the one
                        selectStates(session, chunk);
                    }
                }
            }
            readable = rest;
        }
        List<SequenceInfo> uncalled = new ArrayList<>();
        for (List<SequenceInfo> chunk : Chunks.of(readable, LAST_VALUE_CHUNK)) {
            Map<Long, Long> lastValues;
            try {
                lastValues = batchedRow instanceof LastValues batched ? batched.byOid() : lastValues(session, chunk);
            } catch (SQLException e) {
                Failures.rethrowIfBroken(e);
                // one sequence spoiled the chunk (dropped meanwhile): those it may SELECT are read alone below
                lastValues = Map.of();
                for (SequenceInfo s : chunk) {
                    if (!s.canSelect) {
                        s.stateError = "reading its state failed: " + e.getMessage();
                        s.noPrivilege = Failures.noPrivilege(e);
                    }
                }
            }
            for (SequenceInfo s : chunk) {
                if (s.stateError != null) {
                    continue;
                }
                Long last = lastValues.get(s.oid);
                if (last != null) {
                    s.state = new SequenceState(last, true);
                } else {
                    uncalled.add(s);
                }
            }
        }
        List<SequenceInfo> selectable = new ArrayList<>();
        for (SequenceInfo s : uncalled) {
            if (s.canSelect) {
                selectable.add(s);
            } else {
                s.stateError = "it has never been called and only USAGE is granted, which hides its start: "
                        + "GRANT SELECT ON SEQUENCE " + s.ident + " TO " + s.role + " to check it";
                s.noPrivilege = true;
            }
        }
        for (List<SequenceInfo> chunk : Chunks.of(selectable, SELECT_CHUNK)) {
            selectStates(session, chunk);
        }
    }

    /** Reads the exact state of each sequence with one {@code SELECT} per sequence, as one statement. */
    static void selectStates(Session session, List<SequenceInfo> chunk) throws SQLException {
        List<String> branches = new ArrayList<>(chunk.size());
        List<String> statements = new ArrayList<>(chunk.size());
        for (SequenceInfo s : chunk) {
            branches.add("last_value, is_called FROM " + s.ident);
            statements.add("SELECT last_value, is_called FROM " + s.ident);
        }
        try {
            List<SequenceState> states = session.queryEach(List.of(UnionAll.of(branches)),
                    UnionAll.rows(chunk.size(), rs -> new SequenceState(rs.getLong(2), rs.getBoolean(3)))).get(0);
            for (int i = 0; i < chunk.size(); i++) {
                chunk.get(i).state = states.get(i);
            }
        } catch (SQLException batchFailure) {
            Failures.rethrowIfBroken(batchFailure);
            // one sequence spoiled the batch (dropped meanwhile, privilege revoked): find it, keep the rest
            for (int i = 0; i < chunk.size(); i++) {
                try {
                    chunk.get(i).state = session.queryEach(List.of(statements.get(i)),
                            rs -> new SequenceState(rs.getLong(1), rs.getBoolean(2))).get(0);
                } catch (SQLException e) {
                    Failures.rethrowIfBroken(e);
                    chunk.get(i).stateError = "reading its state failed: " + e.getMessage();
                    chunk.get(i).noPrivilege = Failures.noPrivilege(e);
                }
            }
        }
    }

    /** PostgreSQL 18+: {@code last_value} and {@code is_called} of a chunk in one statement. */
    private static void sequenceData(Session session, List<SequenceInfo> chunk) throws SQLException {
        Long[] oids = new Long[chunk.size()];
        for (int i = 0; i < oids.length; i++) {
            oids[i] = chunk.get(i).oid;
        }
        Map<Long, SequenceState> states = session.inTransaction(connection -> {
            Map<Long, SequenceState> result = new HashMap<>();
            try (PreparedStatement ps = connection.prepareStatement("SELECT o::bigint, d.last_value, d.is_called "
                    + "FROM unnest(?::oid[]) AS o, pg_get_sequence_data(o::regclass) AS d")) {
                ps.setArray(1, connection.createArrayOf("bigint", oids));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long last = rs.getLong(2);
                        if (!rs.wasNull()) {
                            result.put(rs.getLong(1), new SequenceState(last, rs.getBoolean(3)));
                        }
                    }
                }
            }
            return result;
        });
        apply(session, chunk, states);
    }

    /** Sets the states read; a sequence without one (privilege revoked meanwhile, or dropped) is read alone. */
    private static void apply(Session session, List<SequenceInfo> chunk, Map<Long, SequenceState> states)
            throws SQLException {
        List<SequenceInfo> missing = new ArrayList<>();
        for (SequenceInfo s : chunk) {
            s.state = states.get(s.oid);
            if (s.state == null) {
                missing.add(s); // the per-sequence read says which
            }
        }
        if (!missing.isEmpty()) {
            selectStates(session, missing);
        }
    }

    private static Map<Long, Long> lastValues(Session session, List<SequenceInfo> chunk) throws SQLException {
        Long[] oids = new Long[chunk.size()];
        for (int i = 0; i < oids.length; i++) {
            oids[i] = chunk.get(i).oid;
        }
        return session.inTransaction(connection -> {
            Map<Long, Long> result = new HashMap<>();
            try (PreparedStatement ps = connection.prepareStatement(
                    "SELECT o::bigint, pg_sequence_last_value(o::regclass) FROM unnest(?::oid[]) AS o")) {
                Array array = connection.createArrayOf("bigint", oids);
                ps.setArray(1, array);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long last = rs.getLong(2);
                        if (!rs.wasNull()) {
                            result.put(rs.getLong(1), last);
                        }
                    }
                }
            }
            return result;
        });
    }
}
