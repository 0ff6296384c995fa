package io.seqguard.internal;

import io.seqguard.AlignerConfiguration;
import io.seqguard.ColumnSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Decides, for each column a sequence feeds, whether its data is compared and how: read directly, covered by the read
 * of a parent table (partitions and inheritance children), left out by configuration, or not comparable, with the
 * note that says why. A column the role may not read whole (no privilege, row-level security) makes its sequence
 * unverified unless another read covers it.
 */
final class ColumnClassifier {

    /** Every (ancestor, descendant) pair below the given tables, at any depth (partitions and inheritance). */
    private static final String DESCENDANTS = """
            WITH RECURSIVE down(root, rel) AS (
                SELECT inhparent, inhrelid FROM pg_inherits WHERE inhparent = ANY (?::oid[])
                UNION
                SELECT down.root, i.inhrelid FROM down JOIN pg_inherits i ON i.inhparent = down.rel
            )
            SELECT down.root::bigint, down.rel::bigint, c.relkind = 'p', format('%I.%I', n.nspname, c.relname)
            FROM down JOIN pg_class c ON c.oid = down.rel JOIN pg_namespace n ON n.oid = c.relnamespace
            """;

    /**
     * A default that hands out the sequence's value as it is: {@code nextval('x'::regclass)}, possibly cast to an
     * integer type. Anything else ({@code 'INV-' || nextval('x')}, {@code nextval('x') * 10}) cannot be compared.
     */
    private static final Pattern PLAIN_NEXTVAL = Pattern.compile(
            "^\\(*nextval\\('(?:[^']|'')+'::regclass\\)\\)*(?:::(?:bigint|integer|smallint|numeric))?\\)*$");

    static final String UNREADABLE = "the connecting role may not read it: ";
    private static final String FILTERED = "row-level security hides some of its rows from the connecting role";

    private final AlignerConfiguration config;

    ColumnClassifier(AlignerConfiguration config) {
        this.config = config;
    }

    /** Decides which columns are compared, and which are covered by a parent table's read. */
    void classify(Connection connection, Map<Long, SequenceInfo> sequences) throws SQLException {
        Set<List<String>> excludedTables = new HashSet<>();
        for (String name : config.getExcludedTables()) {
            excludedTables.add(SqlNames.parseQualified(name, "excludeTables"));
        }
        String excludeTables = config.getVocabulary().name("excludeTables");
        Set<Long> partitioned = new HashSet<>();
        Map<Long, String> names = new HashMap<>();
        Map<Long, Set<Long>> descendants = descendants(connection, sequences, partitioned, names);
        for (SequenceInfo s : sequences.values()) {
            for (ColumnInfo c : s.columns) {
                c.excluded = excludedTables.contains(List.of(c.schema, c.table));
                c.note = whyNotCompared(c, excludedTables, s.role, excludeTables);
                c.unreadable = c.note != null && (c.note.startsWith(UNREADABLE) || c.note.startsWith(FILTERED));
                c.compared = c.note == null;
                c.readDirectly = c.compared;
            }
            for (ColumnInfo parent : s.columns) {
                // an excluded partitioned table or inheritance parent takes its partitions and children with it
                if (!parent.excluded) {
                    continue;
                }
                for (ColumnInfo c : s.columns) {
                    if (!c.excluded && below(parent, c, descendants)) {
                        c.excluded = true;
                        c.compared = false;
                        c.unreadable = false;
                        c.readDirectly = false;
                        c.note = "excluded with its parent table " + parent.displayTable() + " (" + excludeTables
                                + ")";
                    }
                }
            }
            for (ColumnInfo c : s.columns) {
                // PostgreSQL checks privileges on the table a query names only: a partition or child the role may
                // not read itself is read through a parent it may read. An excluded one is read there too: a
                // parent's max() sees every row below it
                if (!c.compared && !c.unreadable && !c.excluded) {
                    continue;
                }
                for (ColumnInfo parent : s.columns) {
                    if (parent.compared && parent.readDirectly && below(parent, c, descendants)) {
                        c.note = c.excluded
                                ? "excluded by configuration (" + excludeTables + "), but its rows still count: "
                                        + "the read of parent table " + parent.displayTable() + " covers them "
                                        + "(exclude the parent to leave them out)"
                                : "covered by the read of parent table " + parent.displayTable();
                        c.excluded = false;
                        c.compared = true;
                        c.unreadable = false;
                        c.readDirectly = false;
                        break;
                    }
                }
            }
            for (ColumnInfo c : s.columns) {
                // a partitioned table holds no rows of its own: when the role may not read it (or not every row:
                // policies on it filter only queries that name it) but reads each of its partitions, it is covered
                if (!c.unreadable || c.relkind != 'p') {
                    continue;
                }
                // an excluded partition still counts, as it does in the parent's read: then it is read on its own
                List<ColumnInfo> excluded = new ArrayList<>();
                for (ColumnInfo d : s.columns) {
                    if (d.excluded && below(c, d, descendants) && !partitioned.contains(d.relOid)
                            && whyNotCompared(d, Set.of(), s.role, excludeTables) == null) {
                        excluded.add(d);
                    }
                }
                Set<Long> unread = partitionsNotCompared(c, s.columns, descendants, partitioned, excluded);
                if (!unread.isEmpty()) {
                    // the partitions with a reason of their own say it; one the sequence does not feed says nothing
                    for (ColumnInfo d : s.columns) {
                        unread.remove(d.relOid);
                    }
                    List<String> unlinked = new ArrayList<>();
                    for (Long oid : unread) {
                        unlinked.add(names.get(oid));
                    }
                    if (!unlinked.isEmpty()) {
                        Collections.sort(unlinked);
                        c.note += " (its partitions cannot be read instead: " + String.join(", ", unlinked)
                                + (unlinked.size() == 1 ? " has" : " have") + " no default naming the sequence)";
                    }
                } else {
                    c.note = "not read itself (" + c.note + "), but a partitioned table holds no rows of its own: "
                            + "each of its partitions is read";
                    c.unreadable = false;
                    for (ColumnInfo d : excluded) {
                        d.note = "excluded by configuration (" + excludeTables + "), but its rows still count, as in "
                                + "a read of parent table " + c.displayTable() + ", which is read through its "
                                + "partitions (exclude the parent to leave them out)";
                        d.excluded = false;
                        d.compared = true;
                        d.readDirectly = true;
                    }
                }
            }
            for (ColumnInfo c : s.columns) {
                Set<Long> below = descendants.get(c.relOid);
                if (below != null && c.readDirectly) {
                    // a max() over a parent locks every descendant and its indexes too
                    c.lockWeightExtra = below.size() * 2;
                }
            }
        }
    }

    /**
     * The partitions below the partitioned table that hold rows and have the column neither compared nor among
     * {@code alsoRead}: none when reading the partitions covers the table.
     */
    private static Set<Long> partitionsNotCompared(ColumnInfo parent, List<ColumnInfo> columns,
            Map<Long, Set<Long>> descendants, Set<Long> partitioned, List<ColumnInfo> alsoRead) {
        Set<Long> leaves = new HashSet<>(descendants.getOrDefault(parent.relOid, Set.of()));
        leaves.removeAll(partitioned);
        for (ColumnInfo c : columns) {
            if ((c.compared || alsoRead.contains(c)) && below(parent, c, descendants)) {
                leaves.remove(c.relOid);
            }
        }
        return leaves;
    }

    /** Whether {@code c} is the same column of a partition or child, at any depth, of {@code parent}'s table. */
    private static boolean below(ColumnInfo parent, ColumnInfo c, Map<Long, Set<Long>> descendants) {
        return parent != c && parent.column.equals(c.column)
                && descendants.getOrDefault(parent.relOid, Set.of()).contains(c.relOid);
    }

    private static String whyNotCompared(ColumnInfo c, Set<List<String>> excludedTables, String role,
            String excludeTables) {
        if (excludedTables.contains(List.of(c.schema, c.table))) {
            return "table excluded by configuration (" + excludeTables + ")";
        }
        if ("rp".indexOf(c.relkind) < 0) {
            return "not a table (relkind '" + c.relkind + "'): its rows live elsewhere";
        }
        boolean declared = c.sources.contains(ColumnSource.OWNED) || c.sources.contains(ColumnSource.IDENTITY)
                || c.sources.contains(ColumnSource.MAPPED) || c.sources.contains(ColumnSource.ENTITY);
        if (!declared && c.defaultExpression != null && !PLAIN_NEXTVAL.matcher(c.defaultExpression).matches()) {
            return "default " + c.defaultExpression + " is not a plain nextval(); its values cannot be compared "
                    + "(map the sequence to a numeric column if one holds its values)";
        }
        if (!c.numericType()) {
            return "column type " + c.dataType + " cannot be compared with a sequence value";
        }
        if (!c.canRead) {
            return UNREADABLE + (c.schemaUsage ? "" : "GRANT USAGE ON SCHEMA " + SqlNames.quote(c.schema) + " TO "
                    + role + "; ") + "GRANT SELECT ON " + c.tableIdent + " TO " + role + " to check it";
        }
        if (c.rowsFiltered) {
            // a max() over the rows a policy lets through could miss the highest id
            // BYPASSRLS on the application's own role would end the isolation its policies give: a role of its own
            String bypass = "a role with BYPASSRLS (one of its own for seqguard, as a migration role is, not the "
                    + "application's)";
            return FILTERED + (c.forcedOnOwner
                    ? " (it forces row-level security on its owner too): connect as " + bypass + ", or run ALTER "
                            + "TABLE " + c.tableIdent + " NO FORCE ROW LEVEL SECURITY and connect as its owner, to "
                            + "check it"
                    : ": connect as its owner or as " + bypass + " to check it");
        }
        return null;
    }

    /**
     * Each table's partitions and children at any depth; the partitioned ones among them go to {@code partitioned},
     * their names, quoted, to {@code names}.
     */
    private static Map<Long, Set<Long>> descendants(Connection connection, Map<Long, SequenceInfo> sequences,
            Set<Long> partitioned, Map<Long, String> names) throws SQLException {
        Set<Long> tables = new HashSet<>();
        for (SequenceInfo s : sequences.values()) {
            for (ColumnInfo c : s.columns) {
                tables.add(c.relOid);
            }
        }
        Map<Long, Set<Long>> result = new HashMap<>();
        if (tables.isEmpty()) {
            return result;
        }
        try (PreparedStatement ps = connection.prepareStatement(DESCENDANTS)) {
            ps.setArray(1, connection.createArrayOf("bigint", tables.toArray(new Long[0])));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    result.computeIfAbsent(rs.getLong(1), k -> new HashSet<>()).add(rs.getLong(2));
                    if (rs.getBoolean(3)) {
                        partitioned.add(rs.getLong(2));
                    }
                    names.put(rs.getLong(2), rs.getString(4));
                }
            }
        }
        return result;
    }
}
