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
            SELECT down.root::bigint, down.rel::bigint, c.relkind = 'p'
            FROM down JOIN pg_class c ON c.oid = down.rel
            """;

    /** Tables' names, quoted by the server, for a note that names partitions. */
    private static final String NAMES = "SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c "
            + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = ANY (?::oid[])";

    /**
     * A default that hands out the sequence's value as it is: {@code nextval('x'::regclass)}, possibly cast to an
     * integer type. Anything else ({@code 'INV-' || nextval('x')}, {@code nextval('x') * 10}) cannot be compared.
     */
    private static final Pattern PLAIN_NEXTVAL = Pattern.compile(
            "^\\(*nextval\\('(?:[^']|'')+'::regclass\\)\\)*(?:::(?:bigint|integer|smallint|numeric))?\\)*$");

    static final String UNREADABLE = "the connecting role may not read it: ";
    private static final String FILTERED = "row-level security hides some of its rows from the connecting role";
    /** BYPASSRLS on the application's own role would end the isolation its policies give: a role of its own. */
    static final String BYPASS_ROLE = "a role with BYPASSRLS (one of its own for seqguard, as a migration role is, "
            + "not the application's)";

    private final AlignerConfiguration config;

    ColumnClassifier(AlignerConfiguration config) {
        this.config = config;
    }

    /** The partitions and children, at any depth, of the tables the columns are in. */
    private record Family(Map<Long, Set<Long>> descendants, Set<Long> partitioned) {

        /** Whether {@code c} is the same column of a partition or child, at any depth, of {@code parent}'s table. */
        boolean below(ColumnInfo parent, ColumnInfo c) {
            return parent != c && parent.column.equals(c.column) && of(parent).contains(c.relOid);
        }

        Set<Long> of(ColumnInfo parent) {
            return descendants.getOrDefault(parent.relOid, Set.of());
        }
    }

    /** Decides which columns are compared, and which are covered by a parent table's read. */
    void classify(Connection connection, Map<Long, SequenceInfo> sequences) throws SQLException {
        Set<List<String>> excludedTables = new HashSet<>();
        for (String name : config.getExcludedTables()) {
            excludedTables.add(SqlNames.parseQualified(name, "excludeTables"));
        }
        Family family = family(connection, sequences);
        for (SequenceInfo s : sequences.values()) {
            for (ColumnInfo c : s.columns) {
                c.excluded = excludedTables.contains(List.of(c.schema, c.table));
                String notComparable = whyNotComparable(c);
                String unreadable = notComparable == null ? whyUnreadable(c, s.role) : null;
                c.note = notComparable != null ? notComparable : unreadable;
                c.unreadable = unreadable != null;
                c.compared = c.note == null;
                c.readDirectly = c.compared;
            }
            excludeBelowExcludedParents(s.columns, family);
            coverByParents(s.columns, family);
            for (ColumnInfo c : s.columns) {
                if (c.unreadable && c.relkind == 'p') {
                    coverByPartitions(connection, c, s, family);
                }
            }
            for (ColumnInfo c : s.columns) {
                if (c.readDirectly) {
                    // a max() over a parent locks every descendant and its indexes too
                    c.lockWeightExtra = family.of(c).size() * 2;
                }
            }
        }
    }

    /** An excluded partitioned table or inheritance parent takes its partitions and children with it. */
    private void excludeBelowExcludedParents(List<ColumnInfo> columns, Family family) {
        for (ColumnInfo parent : columns) {
            if (!parent.excluded) {
                continue;
            }
            for (ColumnInfo c : columns) {
                if (!c.excluded && family.below(parent, c)) {
                    c.excluded = true;
                    c.compared = false;
                    c.unreadable = false;
                    c.readDirectly = false;
                    c.note = "excluded with its parent table " + parent.tableIdent + " (" + excludeTables() + ")";
                }
            }
        }
    }

    /**
     * PostgreSQL checks privileges and applies policies on the table a query names only: a partition or child the role
     * may not read itself is read through a parent it may read. An excluded one is read there too: a parent's max()
     * sees every row below it.
     */
    private void coverByParents(List<ColumnInfo> columns, Family family) {
        for (ColumnInfo c : columns) {
            if (!c.compared && !c.unreadable && !c.excluded) {
                continue;
            }
            for (ColumnInfo parent : columns) {
                if (parent.compared && parent.readDirectly && family.below(parent, c)) {
                    c.note = c.excluded
                            ? "excluded by configuration (" + excludeTables() + "), but its rows still count: the read "
                                    + "of parent table " + parent.tableIdent + " covers them (exclude the parent "
                                    + "to leave them out)"
                            : "covered by the read of parent table " + parent.tableIdent;
                    c.excluded = false;
                    c.compared = true;
                    c.unreadable = false;
                    c.readDirectly = false;
                    break;
                }
            }
        }
    }

    /**
     * A partitioned table holds no rows of its own: when the role may not read it (or not every row: its policies
     * filter only queries that name it) but reads each of its partitions, it is covered. An excluded partition still
     * counts, as it does in the parent's read: then it is read on its own.
     */
    private void coverByPartitions(Connection connection, ColumnInfo parent, SequenceInfo s, Family family)
            throws SQLException {
        List<ColumnInfo> excluded = new ArrayList<>();
        for (ColumnInfo d : s.columns) {
            if (d.excluded && family.below(parent, d) && !family.partitioned().contains(d.relOid)
                    && whyNotComparable(d, false) == null && whyUnreadable(d, s.role) == null) {
                excluded.add(d);
            }
        }
        Set<Long> unread = partitionsNotCompared(parent, s.columns, family, excluded);
        if (unread.isEmpty()) {
            parent.note = "not read itself (" + parent.note + "), but a partitioned table holds no rows of its own: "
                    + "each of its partitions is read";
            parent.unreadable = false;
            for (ColumnInfo d : excluded) {
                d.note = "excluded by configuration (" + excludeTables() + "), but its rows still count, as in a "
                        + "read of parent table " + parent.tableIdent + ", which is read through its partitions "
                        + "(exclude the parent to leave them out)";
                d.excluded = false;
                d.compared = true;
                d.readDirectly = true;
            }
            return;
        }
        // the partitions with a reason of their own say it; one the sequence does not feed says nothing
        for (ColumnInfo d : s.columns) {
            unread.remove(d.relOid);
        }
        if (!unread.isEmpty()) {
            List<String> unlinked = names(connection, unread);
            parent.note += " (its partitions cannot be read instead: " + String.join(", ", unlinked)
                    + (unlinked.size() == 1 ? " has" : " have") + " no default naming the sequence)";
        }
    }

    /**
     * The partitions below the partitioned table that hold rows and have the column neither compared nor among
     * {@code alsoRead}: none when reading the partitions covers the table.
     */
    private static Set<Long> partitionsNotCompared(ColumnInfo parent, List<ColumnInfo> columns, Family family,
            List<ColumnInfo> alsoRead) {
        Set<Long> leaves = new HashSet<>(family.of(parent));
        leaves.removeAll(family.partitioned());
        for (ColumnInfo c : columns) {
            if ((c.compared || alsoRead.contains(c)) && family.below(parent, c)) {
                leaves.remove(c.relOid);
            }
        }
        return leaves;
    }

    private String excludeTables() {
        return config.getVocabulary().name("excludeTables");
    }

    /** Why the column's data cannot decide the sequence's value whoever reads it, or null. */
    private String whyNotComparable(ColumnInfo c) {
        return whyNotComparable(c, c.excluded);
    }

    private String whyNotComparable(ColumnInfo c, boolean excluded) {
        if (excluded) {
            return "table excluded by configuration (" + excludeTables() + ")";
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
        return null;
    }

    /** Why the connecting role cannot see every row of the column's table, with the fix, or null. */
    private static String whyUnreadable(ColumnInfo c, String role) {
        if (!c.canRead) {
            return UNREADABLE + (c.schemaUsage ? "" : "GRANT USAGE ON SCHEMA " + SqlNames.quote(c.schema) + " TO "
                    + role + "; ") + "GRANT SELECT ON " + c.tableIdent + " TO " + role + " to check it";
        }
        if (c.rowsFiltered) {
            // a max() over the rows a policy lets through could miss the highest id
            return FILTERED + (c.forcedOnOwner
                    ? " (it forces row-level security on its owner too): connect as " + BYPASS_ROLE + ", or run "
                            + "ALTER TABLE " + c.tableIdent + " NO FORCE ROW LEVEL SECURITY and connect as its "
                            + "owner, to check it"
                    : ": connect as its owner or as " + BYPASS_ROLE + " to check it");
        }
        return null;
    }

    private static Family family(Connection connection, Map<Long, SequenceInfo> sequences) throws SQLException {
        Set<Long> tables = new HashSet<>();
        for (SequenceInfo s : sequences.values()) {
            for (ColumnInfo c : s.columns) {
                tables.add(c.relOid);
            }
        }
        Family family = new Family(new HashMap<>(), new HashSet<>());
        if (tables.isEmpty()) {
            return family;
        }
        try (PreparedStatement ps = connection.prepareStatement(DESCENDANTS)) {
            ps.setArray(1, connection.createArrayOf("bigint", tables.toArray(new Long[0])));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    family.descendants().computeIfAbsent(rs.getLong(1), k -> new HashSet<>()).add(rs.getLong(2));
                    if (rs.getBoolean(3)) {
                        family.partitioned().add(rs.getLong(2));
                    }
                }
            }
        }
        return family;
    }

    /** The tables' names, in order; read only for the rare note that names them. */
    private static List<String> names(Connection connection, Set<Long> oids) throws SQLException {
        List<String> names = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(NAMES)) {
            ps.setArray(1, connection.createArrayOf("bigint", oids.toArray(new Long[0])));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
        }
        Collections.sort(names);
        return names;
    }
}
