package io.seqguard.bench;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * One database of the benchmark and the state every run starts from. The harness knows, for each sequence, the
 * highest value in its data and the state it is reset to before each run: the lagging half never called (as a
 * sequence is after rows were copied in with their ids), the other half called 10 above its data (ahead, as after
 * deleted rows or rolled-back inserts), so that a recipe moving sequences backwards shows.
 */
final class Workload {

    /** Sequences reset or checked per transaction: each takes a lock until commit. */
    private static final int CHUNK = 1000;
    /** How far above its data an aligned sequence is left. */
    static final long AHEAD = 10;

    final String name;
    final String database;
    final DataSource dataSource;
    /** The URL a process (psql, the command line) connects with: the same database as {@link #dataSource}. */
    final String jdbcUrl;
    final String description;
    int tables;
    long rows;
    private final List<String> sequences = new ArrayList<>();
    private final List<Long> dataMax = new ArrayList<>();
    private final List<Long> resetValue = new ArrayList<>();
    private final List<Boolean> resetCalled = new ArrayList<>();

    Workload(String name, String database, DataSource dataSource, String jdbcUrl, String description) {
        this.name = name;
        this.database = database;
        this.dataSource = dataSource;
        this.jdbcUrl = jdbcUrl;
        this.description = description;
    }

    /** A sequence whose data reaches {@code max}; lagging ones are reset uncalled at 1, the others to max + 10. */
    void expect(String qualifiedSequence, long max, boolean behind) {
        sequences.add(qualifiedSequence);
        dataMax.add(max);
        resetValue.add(behind ? 1 : max + AHEAD);
        resetCalled.add(!behind);
    }

    /** The same database and expectations under another name (for a run with other session settings). */
    Workload renamed(String newName, String newDescription) {
        return via(newName, newDescription, dataSource, jdbcUrl);
    }

    /** The same database and expectations, reached through another data source (a proxy adding latency). */
    Workload via(String newName, String newDescription, DataSource newDataSource, String newJdbcUrl) {
        Workload w = new Workload(newName, database, newDataSource, newJdbcUrl, newDescription);
        w.tables = tables;
        w.rows = rows;
        w.sequences.addAll(sequences);
        w.dataMax.addAll(dataMax);
        w.resetValue.addAll(resetValue);
        w.resetCalled.addAll(resetCalled);
        return w;
    }

    /**
     * The same database reset with every sequence behind (never called, at 1), as after a copy of the whole
     * database: what a cutover leaves, and the most a repair has to move.
     */
    Workload allBehind(String newName, String newDescription) {
        Workload w = new Workload(newName, database, dataSource, jdbcUrl, newDescription);
        w.tables = tables;
        w.rows = rows;
        for (int i = 0; i < sequences.size(); i++) {
            w.expect(sequences.get(i), dataMax.get(i), true);
        }
        return w;
    }

    int sequenceCount() {
        return sequences.size();
    }

    int behindAfterReset() {
        int n = 0;
        for (boolean called : resetCalled) {
            n += called ? 0 : 1;
        }
        return n;
    }

    /** Puts every sequence back into its starting state, chunked so no transaction holds many locks. */
    void reset() throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT count(setval(x.s::regclass, x.v, x.c)) "
                        + "FROM unnest(?::text[], ?::bigint[], ?::bool[]) AS x(s, v, c)")) {
            for (int from = 0; from < sequences.size(); from += CHUNK) {
                int to = Math.min(sequences.size(), from + CHUNK);
                ps.setArray(1, c.createArrayOf("text", sequences.subList(from, to).toArray()));
                ps.setArray(2, c.createArrayOf("bigint", resetValue.subList(from, to).toArray()));
                ps.setArray(3, c.createArrayOf("bool", resetCalled.subList(from, to).toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                }
            }
        }
    }

    /**
     * Counts sequences still behind their data (next value not above the maximum) and sequences left below the
     * value they were reset to (moved backwards).
     */
    int[] check() throws SQLException {
        int behind = 0;
        int backwards = 0;
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT count(*) FILTER (WHERE lv IS NULL OR lv < x.m), "
                        + "count(*) FILTER (WHERE x.c AND (lv IS NULL OR lv < x.v)) "
                        + "FROM unnest(?::text[], ?::bigint[], ?::bigint[], ?::bool[]) AS x(s, m, v, c) "
                        + "CROSS JOIN LATERAL pg_sequence_last_value(x.s::regclass) AS lv")) {
            for (int from = 0; from < sequences.size(); from += CHUNK) {
                int to = Math.min(sequences.size(), from + CHUNK);
                ps.setArray(1, array(c, "text", sequences.subList(from, to)));
                ps.setArray(2, array(c, "bigint", dataMax.subList(from, to)));
                ps.setArray(3, array(c, "bigint", resetValue.subList(from, to)));
                ps.setArray(4, array(c, "bool", resetCalled.subList(from, to)));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    behind += rs.getInt(1);
                    backwards += rs.getInt(2);
                }
            }
        }
        return new int[] {behind, backwards};
    }

    private static Array array(Connection c, String type, List<?> values) throws SQLException {
        return c.createArrayOf(type, values.toArray());
    }

    /** Runs SQL in auto-commit mode on a new connection. */
    static void execute(DataSource dataSource, String... statements) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        }
    }

    @Override
    public String toString() {
        return name + " (" + database + ")";
    }
}
