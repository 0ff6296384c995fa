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
        List<SequenceInfo> readable = new ArrayList<>();
        for (SequenceInfo s : sequences) {
            if (s.skipReason == null) {
                readable.add(s);
            }
        }
        if (serverVersionNum >= GET_SEQUENCE_DATA_SINCE) {
            List<SequenceInfo> selectable = new ArrayList<>();
            List<SequenceInfo> rest = new ArrayList<>();
            for (SequenceInfo s : readable) {
                (s.canSelect ? selectable : rest).add(s);
            }
            for (List<SequenceInfo> chunk : Chunks.of(selectable, LAST_VALUE_CHUNK)) {
                sequenceData(session, chunk);
            }
            readable = rest;
        }
        List<SequenceInfo> uncalled = new ArrayList<>();
        for (List<SequenceInfo> chunk : Chunks.of(readable, LAST_VALUE_CHUNK)) {
            Map<Long, Long> lastValues = lastValues(session, chunk);
            for (SequenceInfo s : chunk) {
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
                        + "GRANT SELECT ON SEQUENCE " + s.ident + " to check it";
            }
        }
        for (List<SequenceInfo> chunk : Chunks.of(selectable, SELECT_CHUNK)) {
            selectStates(session, chunk);
        }
    }

    /** Reads the exact state of each sequence with one {@code SELECT} per sequence, batched. */
    static void selectStates(Session session, List<SequenceInfo> chunk) throws SQLException {
        List<String> statements = new ArrayList<>(chunk.size());
        for (SequenceInfo s : chunk) {
            statements.add("SELECT last_value, is_called FROM " + s.ident);
        }
        try {
            List<SequenceState> states = session.queryEach(statements,
                    rs -> new SequenceState(rs.getLong(1), rs.getBoolean(2)));
            for (int i = 0; i < chunk.size(); i++) {
                chunk.get(i).state = states.get(i);
            }
        } catch (SQLException batchFailure) {
            // one sequence spoiled the batch (dropped meanwhile, privilege revoked): find it, keep the rest
            for (int i = 0; i < chunk.size(); i++) {
                try {
                    chunk.get(i).state = session.queryEach(List.of(statements.get(i)),
                            rs -> new SequenceState(rs.getLong(1), rs.getBoolean(2))).get(0);
                } catch (SQLException e) {
                    chunk.get(i).stateError = "reading its state failed: " + e.getMessage();
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
        List<SequenceInfo> missing = new ArrayList<>();
        for (SequenceInfo s : chunk) {
            s.state = states.get(s.oid);
            if (s.state == null) {
                missing.add(s); // privilege revoked meanwhile, or dropped: the per-sequence read says which
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
