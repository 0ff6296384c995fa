package io.seqguard.internal;

import io.seqguard.ProgressListener;

import java.math.BigDecimal;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Reads the highest (lowest, for descending sequences) value in use in each compared column. The cost is one
 * {@code max()} per table on the server, so the reads are spread over {@code jobs} connections; each connection sends
 * a chunk of separate statements in one round trip and one transaction, the chunk bounded by the locks it takes.
 * Columns without an index are read alone, first, so that one full scan hitting the statement timeout spoils no other
 * read and runs beside the rest rather than after it.
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

    private final int jobs;
    private final Supplier<Session> sessions;
    private final long statementTimeoutMillis;
    private final ProgressListener progress;
    private final AtomicInteger done = new AtomicInteger();
    private int total;

    BoundReader(int jobs, Supplier<Session> sessions, long statementTimeoutMillis, ProgressListener progress) {
        this.jobs = jobs;
        this.sessions = sessions;
        this.statementTimeoutMillis = statementTimeoutMillis;
        this.progress = progress;
    }

    /** One read per distinct (table, column, direction) among the directly read columns, keyed for lookup. */
    static Map<String, Read> plan(List<SequenceInfo> sequences) {
        Map<String, Read> reads = new LinkedHashMap<>();
        for (SequenceInfo s : sequences) {
            if (s.skipReason != null) {
                continue;
            }
            for (ColumnInfo c : s.columns) {
                if (c.readDirectly) {
                    reads.computeIfAbsent(key(c, !s.descending()), k -> new Read(c, !s.descending()));
                }
            }
        }
        return reads;
    }

    static String key(ColumnInfo column, boolean max) {
        return column.relOid + "/" + column.attnum + (max ? "/max" : "/min");
    }

    /** Reads everything on {@code jobs} connections, the caller's session among them. */
    void read(List<Read> reads, Session callerSession) {
        total = reads.size();
        Workers.run(chunk(reads), jobs, callerSession, sessions, (session, chunk) -> {
            readChunk(session, chunk);
            progress.progress("reading data", done.addAndGet(chunk.size()), total);
        });
    }

    /** Unindexed columns alone and first; the rest in chunks bounded by statements and by locks. */
    private static List<List<Read>> chunk(List<Read> reads) {
        List<List<Read>> chunks = new ArrayList<>();
        for (Read read : reads) {
            if (!read.column.indexed) {
                chunks.add(List.of(read));
            }
        }
        List<Read> current = new ArrayList<>();
        int locks = 0;
        for (Read read : reads) {
            if (!read.column.indexed) {
                continue;
            }
            int weight = read.column.lockWeight();
            if (!current.isEmpty()
                    && (current.size() >= MAX_STATEMENTS_PER_CHUNK || locks + weight > MAX_LOCKS_PER_CHUNK)) {
                chunks.add(current);
                current = new ArrayList<>();
                locks = 0;
            }
            current.add(read);
            locks += weight;
        }
        if (!current.isEmpty()) {
            chunks.add(current);
        }
        return chunks;
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
