package io.seqguard.internal;

import java.util.List;

/**
 * The statement that reads a column's highest value in each of several ranges in one statement, one row with one
 * value per range, in their order: on a Citus node, the data inside this node's slice (and, on the coordinator, above
 * every group's slice). For a column an index leads, one bounded {@code max()} per range (each a short backward index
 * scan of every shard); for any other column, one scan with a filtered {@code max()} per range instead of one scan
 * per range. The identifiers come quoted by the server; the numbers are ours.
 */
final class CitusBounds {

    private CitusBounds() {
    }

    /**
     * @param tableIdent the table, quoted by the server
     * @param columnIdent the column, quoted by the server
     * @param indexed whether a btree index leads with the column
     * @param ranges at least one
     */
    static String sql(String tableIdent, String columnIdent, boolean indexed, List<CitusRanges.Range> ranges) {
        if (ranges.isEmpty()) {
            throw new IllegalArgumentException("no range to read");
        }
        StringBuilder sql = new StringBuilder("SELECT ");
        if (indexed && ranges.size() == 1) {
            return sql.append("max(").append(columnIdent).append(") FROM ").append(tableIdent).append(" WHERE ")
                    .append(predicate(columnIdent, ranges.get(0))).toString();
        }
        for (int i = 0; i < ranges.size(); i++) {
            sql.append(i == 0 ? "" : ", ");
            if (indexed) {
                sql.append("(SELECT max(").append(columnIdent).append(") FROM ").append(tableIdent).append(" WHERE ")
                        .append(predicate(columnIdent, ranges.get(i))).append(')');
            } else {
                sql.append("max(").append(columnIdent).append(") FILTER (WHERE ")
                        .append(predicate(columnIdent, ranges.get(i))).append(')');
            }
        }
        return indexed ? sql.toString() : sql.append(" FROM ").append(tableIdent).toString();
    }

    /**
     * Open ends are left out rather than written as bigint's limits: {@code -9223372036854775808} is a numeric
     * literal, which would compare the column as numeric and keep the index from answering.
     */
    private static String predicate(String columnIdent, CitusRanges.Range range) {
        if (range.low() != null && range.high() != null) {
            return columnIdent + " BETWEEN " + range.low() + " AND " + range.high();
        }
        if (range.low() != null) {
            return columnIdent + " >= " + range.low();
        }
        if (range.high() != null) {
            return columnIdent + " <= " + range.high();
        }
        return "true";
    }
}
