package io.seqguard.internal;

import java.math.BigDecimal;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the highest (lowest, for descending sequences) value in use in each compared column. The cost is one
 * {@code max()} per table on the server, so the engine spreads chunks of reads over its workers; each chunk is sent as
 * separate statements in one round trip and one transaction, bounded by the locks it takes.
 */
final class BoundReader {

    private static final int MAX_STATEMENTS_PER_CHUNK = 100;
    private static final int MAX_LOCKS_PER_CHUNK = 1000;
    private static final String QUERY_CANCELED = "57014";

    /** One read: {@code max(column)} or {@code min(column)} of one table. */
    static final class Read {
        final ColumnInfo column;
        final boolean max;
        /** Null when the table is empty or the read failed. */
        BigDecimal value;
        /** Why the read failed; null when it succeeded. */
        String error;

        Read(ColumnInfo column, boolean max) {
            this.column = column;
            this.max = max;
        }

        String sql() {
            return "SELECT " + (max ? "max(" : "min(") + column.columnIdent + ") FROM " + column.tableIdent;
        }
    }

    /**
     * The sequences of one transaction and the reads their judgement needs: a sequence's reads all land in the chunk
     * that reads its state, so the state can be read right after them (see {@link #plan}).
     */
    static final class Chunk {
        final List<SequenceInfo> sequences = new ArrayList<>();
        final List<Read> reads = new ArrayList<>();
        private final Map<String, Read> byKey = new HashMap<>();
        private int locks;

        private void add(SequenceInfo s) {
            sequences.add(s);
            for (ColumnInfo c : directColumns(s)) {
                c.read = byKey.computeIfAbsent(key(c, !s.descending()), k -> {
                    Read read = new Read(c, !s.descending());
                    reads.add(read);
                    locks += c.lockWeight();
                    return read;
                });
            }
        }

        private boolean full(SequenceInfo next) {
            if (sequences.isEmpty()) {
                return false;
            }
            int weight = 0;
            for (ColumnInfo c : directColumns(next)) {
                weight += c.lockWeight();
            }
            return sequences.size() >= MAX_STATEMENTS_PER_CHUNK || reads.size() >= MAX_STATEMENTS_PER_CHUNK
                    || locks + weight > MAX_LOCKS_PER_CHUNK;
        }
    }

    private final long statementTimeoutMillis;

    BoundReader(long statementTimeoutMillis) {
        this.statementTimeoutMillis = statementTimeoutMillis;
    }

    /**
     * Groups the sequences that are looked at into chunks, bounded by statements and by the locks their reads take,
     * and links each directly read column to its read ({@link ColumnInfo#read}). A sequence feeding a column without
     * an index gets a chunk of its own, first: one full scan hitting the statement timeout then spoils no other read
     * and runs beside the rest rather than after it.
     */
    static List<Chunk> plan(List<SequenceInfo> sequences) {
        List<Chunk> alone = new ArrayList<>();
        List<Chunk> chunks = new ArrayList<>();
        Chunk current = new Chunk();
        for (SequenceInfo s : sequences) {
            if (s.skipReason != null) {
                continue;
            }
            if (directColumns(s).stream().anyMatch(c -> !c.indexed)) {
                Chunk chunk = new Chunk();
                chunk.add(s);
                alone.add(chunk);
                continue;
            }
            if (current.full(s)) {
                chunks.add(current);
                current = new Chunk();
            }
            current.add(s);
        }
        if (!current.sequences.isEmpty()) {
            chunks.add(current);
        }
        alone.addAll(chunks);
        return alone;
    }

    private static List<ColumnInfo> directColumns(SequenceInfo s) {
        List<ColumnInfo> direct = new ArrayList<>();
        for (ColumnInfo c : s.columns) {
            if (c.readDirectly) {
                direct.add(c);
            }
        }
        return direct;
    }

    private static String key(ColumnInfo column, boolean max) {
        return column.relOid + "/" + column.attnum + (max ? "/max" : "/min");
    }

    /**
     * Runs the reads in one round trip and one transaction; a read that fails is told apart from the others, which
     * still count.
     */
    void read(Session session, List<Read> reads) {
        if (!reads.isEmpty()) {
            readChunk(session, reads);
        }
    }

    private void readChunk(Session session, List<Read> chunk) {
        List<String> statements = new ArrayList<>(chunk.size());
        for (Read read : chunk) {
            statements.add(read.sql());
        }
        try {
            List<BigDecimal> values = session.queryEach(statements, rs -> rs.getBigDecimal(1));
            for (int i = 0; i < chunk.size(); i++) {
                chunk.get(i).value = values.get(i);
            }
            return;
        } catch (SQLException e) {
            if (chunk.size() == 1) {
                chunk.get(0).error = describe(chunk.get(0), e);
                return;
            }
        }
        // isolate what failed; the others still count
        for (Read read : chunk) {
            readChunk(session, List.of(read));
        }
    }

    private String describe(Read read, SQLException e) {
        String what = (read.max ? "max(" : "min(") + read.column.column + ") of " + read.column.schema + "."
                + read.column.table;
        if (QUERY_CANCELED.equals(e.getSQLState())) {
            return "reading " + what + " took longer than the statement timeout (" + statementTimeoutMillis
                    + " ms)" + (read.column.indexed ? "" : "; the column has no index: add one, or raise statementTimeout");
        }
        return "reading " + what + " failed: " + e.getMessage();
    }
}
