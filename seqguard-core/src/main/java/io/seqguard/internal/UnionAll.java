package io.seqguard.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * Many one-row reads as one statement: {@code SELECT 0, ... UNION ALL SELECT 1, ...}, each branch numbered so that
 * its row is found whatever order the rows come in. The server then parses, plans and runs one statement instead of
 * hundreds, and the driver handles one result: at 10,000 tables that is a third of the server's time for the reads.
 * Every branch still runs once (an append of its subplans), so a branch calling {@code setval()} moves its sequence
 * exactly once; when one branch fails, the whole statement does, and the caller runs the branches alone to find it.
 */
final class UnionAll {

    private UnionAll() {
    }

    /**
     * The statement of the branches, each given without its {@code SELECT} ({@code "max(id) FROM t"}); their columns
     * must resolve to the same types.
     */
    static String of(List<String> branches) {
        StringBuilder sql = new StringBuilder(branches.size() * 64);
        for (int i = 0; i < branches.size(); i++) {
            sql.append(i == 0 ? "SELECT " : " UNION ALL SELECT ").append(i).append(", ").append(branches.get(i));
        }
        return sql.toString();
    }

    /** Reads one row of a numbered branch: its columns start at 2, after the branch's number. */
    @FunctionalInterface
    interface BranchReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /**
     * Reads every row of the statement, positioned on its first, into the branches' places.
     *
     * @return the rows by branch number; null where a branch returned none
     */
    static <T> Session.RowReader<List<T>> rows(int branches, BranchReader<T> reader) {
        return rs -> {
            @SuppressWarnings("unchecked")
            T[] rows = (T[]) new Object[branches];
            do {
                rows[rs.getInt(1)] = reader.read(rs);
            } while (rs.next());
            return java.util.Arrays.asList(rows);
        };
    }
}
