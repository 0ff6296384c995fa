package io.seqguard.internal;

import io.seqguard.Vocabulary;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the highest (lowest, for descending sequences) value in use in each compared column. The cost is one
 * {@code max()} per table on the server, so the engine spreads chunks of reads over its workers; each chunk is one
 * statement ({@link UnionAll}) in one round trip and one transaction, bounded by the locks it takes.
 */
final class BoundReader {

    /** Fewer statements per chunk would cost round trips and commits; more would cost the balance between workers. */
    private static final int MIN_STATEMENTS_PER_CHUNK = 100;
    private static final int MAX_STATEMENTS_PER_CHUNK = 250;
    /** Chunks each worker should get at least, so that none waits long for the last one. */
    private static final int CHUNKS_PER_WORKER = 4;
    private static final int MAX_LOCKS_PER_CHUNK = 1000;
    private static final String QUERY_CANCELED = "57014";
    private static final String LOCK_NOT_AVAILABLE = "55P03";

    /** One read: {@code max(column)} or {@code min(column)} of one table. */
    static final class Read {
        final ColumnInfo column;
        final boolean max;
        /** Null when the table is empty or the read failed. */
        BigDecimal value;
        /** Why the read failed; null when it succeeded. */
        String error;
        /** Whether it failed for a privilege the connecting role lacks. */
        boolean noPrivilege;
        /** On a Citus coordinator: the highest value above every group's slice; null when none (or not read). */
        BigDecimal aboveGroups;

        Read(ColumnInfo column, boolean max) {
            this.column = column;
            this.max = max;
        }

        String sql() {
            return sql(column, max);
        }

        /** The read of one column; on a Citus node within the ranges {@link CitusCatalog} gave it. */
        static String sql(ColumnInfo column, boolean max) {
            if (column.citusRanges != null) {
                return CitusBounds.sql(column.tableIdent, column.columnIdent, column.indexed, column.citusRanges);
            }
            return "SELECT " + aggregate(column, max) + " FROM " + column.tableIdent;
        }

        String aggregate() {
            return aggregate(column, max);
        }

        private static String aggregate(ColumnInfo column, boolean max) {
            return (max ? "max(" : "min(") + column.columnIdent + ")";
        }

        /** Reads its row: the value, and on a Citus coordinator the one above every group's slice. */
        BigDecimal row(ResultSet rs) throws SQLException {
            if (column.citusRanges != null && column.citusRanges.size() > 1) {
                aboveGroups = rs.getBigDecimal(2);
            }
            return rs.getBigDecimal(1);
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
        private final int statements;
        private int locks;

        private Chunk(int statements) {
            this.statements = statements;
        }

        /** Whether every read has an index to answer it: then none is expected to run into the statement timeout. */
        boolean indexedOnly() {
            return reads.stream().allMatch(read -> read.column.indexed);
        }

        private void add(SequenceInfo s) {
            sequences.add(s);
            locks++; // reading its state locks it too
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
            int weight = 1;
            for (ColumnInfo c : directColumns(next)) {
                weight += c.lockWeight();
            }
            return sequences.size() >= statements || reads.size() >= statements
                    || locks + weight > MAX_LOCKS_PER_CHUNK;
        }
    }

    private final long statementTimeoutMillis;
    private final Vocabulary vocabulary;

    BoundReader(long statementTimeoutMillis, Vocabulary vocabulary) {
        this.statementTimeoutMillis = statementTimeoutMillis;
        this.vocabulary = vocabulary;
    }

    /**
     * Groups the sequences that are looked at into chunks for {@code workers} sessions, bounded by statements and by
     * the locks their reads take, and links each directly read column to its read ({@link ColumnInfo#read}). A
     * sequence feeding a column without an index gets a chunk of its own, first: one full scan hitting the statement
     * timeout then spoils no other read and runs beside the rest rather than after it.
     */
    static List<Chunk> plan(List<SequenceInfo> sequences, int workers) {
        int statements = Math.max(MIN_STATEMENTS_PER_CHUNK, Math.min(MAX_STATEMENTS_PER_CHUNK,
                -Math.floorDiv(-sequences.size(), workers * CHUNKS_PER_WORKER)));
        List<Chunk> alone = new ArrayList<>();
        List<Chunk> chunks = new ArrayList<>();
        Chunk current = new Chunk(statements);
        for (SequenceInfo s : sequences) {
            if (s.skipReason != null) {
                continue;
            }
            if (directColumns(s).stream().anyMatch(c -> !c.indexed)) {
                Chunk chunk = new Chunk(1);
                chunk.add(s);
                alone.add(chunk);
                continue;
            }
            if (current.full(s)) {
                chunks.add(current);
                current = new Chunk(statements);
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
        return column.relOid + "/" + column.attnum + (max ? "/max" : "/min")
                + (column.citusRanges == null ? "" : "/" + column.citusRanges);
    }

    /** A statement to run right after a chunk's reads, in their round trip and transaction, and how to read its row. */
    record Tail(String sql, Session.RowReader<?> reader) {
    }

    /**
     * Runs the reads, and the tail after them when given, in one round trip and one transaction; a read that fails is
     * told apart from the others, which still count.
     *
     * @return the tail's row as its reader read it; null when there is no tail or the batch failed (the caller then
     *     runs what the tail does itself)
     */
    Object read(Session session, List<Read> reads, Tail tail) throws SQLException {
        List<String> statements = new ArrayList<>(reads.size() + 1);
        List<Session.RowReader<?>> readers = new ArrayList<>(reads.size() + 1);
        // a Citus read returns two columns and a statement of its own
        boolean union = reads.size() > 1 && reads.stream().allMatch(read -> read.column.citusRanges == null);
        if (union) {
            List<String> branches = new ArrayList<>(reads.size());
            for (Read read : reads) {
                // numeric: the branches' columns (smallint, integer, bigint, numeric) must resolve to one type
                branches.add(read.aggregate() + "::numeric FROM " + read.column.tableIdent);
            }
            statements.add(UnionAll.of(branches));
            readers.add(UnionAll.rows(reads.size(), rs -> rs.getBigDecimal(2)));
        } else {
            for (Read read : reads) {
                statements.add(read.sql());
                readers.add(read::row);
            }
        }
        if (tail != null) {
            statements.add(tail.sql());
            readers.add(tail.reader());
        }
        if (statements.isEmpty()) {
            return null;
        }
        try {
            List<Object> rows = session.queryEach(statements, readers);
            for (int i = 0; i < reads.size(); i++) {
                reads.get(i).value = (BigDecimal) (union ? ((List<?>) rows.get(0)).get(i) : rows.get(i));
            }
            return tail == null ? null : rows.get(statements.size() - 1);
        } catch (SQLException e) {
            Failures.rethrowIfBroken(e);
            if (tail != null && !LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
                // the tail may be what failed: the reads again without it (the caller then runs what it does)
                read(session, reads, null);
                return null;
            }
            if (reads.size() == 1 && tail == null) {
                reads.get(0).error = describe(reads.get(0), e);
                reads.get(0).noPrivilege = Failures.noPrivilege(e);
                return null;
            }
            if (LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
                // after a lock timeout each read alone would wait once more for the locked table: the tables another
                // session locks are asked of pg_locks, said to be locked without waiting again, and the rest read
                List<Read> locked = lockedByOthers(session, reads);
                if (!locked.isEmpty()) {
                    List<Read> rest = new ArrayList<>();
                    for (Read read : reads) {
                        if (locked.contains(read)) {
                            read.error = describe(read, e);
                        } else {
                            rest.add(read);
                        }
                    }
                    read(session, rest, null);
                    return null;
                }
            }
        }
        // isolate what failed; the others still count (after a lock timeout that pg_locks does not explain, such as
        // a locked sequence in the tail, each alone tells which)
        for (Read read : reads) {
            read(session, List.of(read), null);
        }
        return null;
    }

    /**
     * The relations that another session of this database holds or waits for in ACCESS EXCLUSIVE mode, the only mode
     * a read's ACCESS SHARE waits for (a waiting request queues later readers behind it); a prepared transaction's lock
     * has no pid. The catalog read asks it too: {@code pg_get_expr} locks its table.
     */
    static final String LOCKED_BY_OTHERS = "SELECT l.relation FROM pg_locks l WHERE l.locktype = 'relation' "
            + "AND l.mode = 'AccessExclusiveLock' AND l.pid IS DISTINCT FROM pg_backend_pid() "
            + "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())";

    /**
     * The reads whose table, a table below it (partitions, inheritance children) or one of their indexes is
     * {@linkplain #LOCKED_BY_OTHERS locked by another session}. Empty when there is none: the lock is elsewhere, or
     * gone.
     */
    private static List<Read> lockedByOthers(Session session, List<Read> reads) throws SQLException {
        StringBuilder oids = new StringBuilder();
        for (Read read : reads) {
            oids.append(oids.length() == 0 ? "" : ",").append(read.column.relOid);
        }
        // oids are numbers: the array literal cannot carry anything else; a read of a partitioned table or an
        // inheritance parent locks every table below it and their indexes
        String sql = "SELECT coalesce(array_agg(DISTINCT t.rel), '{}')::bigint[] FROM unnest('{" + oids
                + "}'::oid[]) AS t(rel) WHERE EXISTS (SELECT FROM (" + LOCKED_BY_OTHERS + ") l "
                + "WHERE l.relation IN (WITH RECURSIVE tree(rel) AS (SELECT t.rel UNION SELECT i.inhrelid "
                + "FROM pg_inherits i JOIN tree ON i.inhparent = tree.rel) SELECT rel FROM tree "
                + "UNION ALL SELECT indexrelid FROM pg_index WHERE indrelid IN (SELECT rel FROM tree)))";
        Long[] found = session.queryEach(List.of(sql), rs -> (Long[]) rs.getArray(1).getArray()).get(0);
        Set<Long> locked = new HashSet<>(Arrays.asList(found));
        List<Read> result = new ArrayList<>();
        for (Read read : reads) {
            if (locked.contains(read.column.relOid)) {
                result.add(read);
            }
        }
        return result;
    }

    private String describe(Read read, SQLException e) {
        // quoted as SQL writes them: a name holding a space or a semicolon reads as one name, not as prose
        String what = (read.max ? "max(" : "min(") + read.column.columnIdent + ") of " + read.column.tableIdent
                + (read.column.citusRanges == null ? "" : " within this Citus node's range");
        if (QUERY_CANCELED.equals(e.getSQLState())) {
            String raise = "raise " + vocabulary.name("statementTimeout");
            return "reading " + what + " took longer than the statement timeout (" + statementTimeoutMillis
                    + " ms): " + (read.column.indexed ? raise + ", or retry when the server is less busy"
                            : "the column has no index; add one (CREATE INDEX ON " + read.column.tableIdent + " ("
                                    + read.column.columnIdent + ")), or " + raise);
        }
        if (LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
            return "reading " + what + " waited longer than the lock timeout for a lock another session holds on the "
                    + "table (an ALTER TABLE, a VACUUM FULL, a migration: see pg_locks): run again when it is done, or "
                    + "raise " + vocabulary.name("lockTimeout");
        }
        // the driver appends "Position: N" of seqguard's own statement, which tells the user nothing
        String failed = "reading " + what + " failed: "
                + DriverMessages.clause(e).replaceAll("\\s*Position: \\d+$", "");
        if (Failures.noPrivilege(e)) {
            // the catalog said the role may read every row: a GRANT was revoked, or row-level security turned on,
            // since (row_security is off in every read, so that policies fail a read instead of filtering it)
            return failed + " (the connecting role needs SELECT on " + read.column.tableIdent + " and must see every "
                    + "row: where row-level security is enabled, connect as the table's owner or "
                    + ColumnClassifier.BYPASS_ROLE + ")";
        }
        return failed;
    }
}
