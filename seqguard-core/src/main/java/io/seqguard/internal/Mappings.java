package io.seqguard.internal;

import io.seqguard.AllocationRule;
import io.seqguard.AllocationSource;
import io.seqguard.ColumnSource;
import io.seqguard.SequenceMapping;
import io.seqguard.UnknownObjectException;
import io.seqguard.Vocabulary;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves the mappings against the catalog in one query: configured ones (the user's: an unknown name is a
 * configuration error) and discovered ones (an ORM module's, naming their entity: what does not resolve is reported on
 * the sequence, and a missing sequence becomes a sequence the run could not verify, unless the entity's table is
 * missing too: then the entity is not stored in this database). A sequence's configured mappings
 * win over its discovered ones. Names are matched as bound values; an unqualified discovered name is looked up through
 * the application's search_path, as its own statements look it up.
 */
final class Mappings {

    private static final Logger log = LoggerFactory.getLogger("io.seqguard.SequenceAligner");

    /** What one mapping says about how a sequence's values become ids. */
    record Allocation(AllocationRule rule, AllocationSource source, String entity) {
    }

    /** A column a mapping ties to a sequence. */
    record Column(long sequence, long table, int attnum, ColumnSource source, String entity) {
    }

    /**
     * A sequence discovered mappings name that the database lacks.
     *
     * @param searchPath the schemas its unqualified name was looked up in; empty when the name was qualified
     */
    record Missing(SequenceInfo sequence, List<SequenceMapping> mappings, List<String> searchPath) {
    }

    /** The mappings resolved: columns, allocation rules and notes by sequence oid, and the missing sequences. */
    record Resolution(List<Column> columns, Map<Long, List<Allocation>> allocations, Map<Long, List<String>> notes,
            List<Missing> missing) {

        static final Resolution NONE = new Resolution(List.of(), Map.of(), Map.of(), List.of());
    }

    /**
     * For each mapping (by position): the sequence's oid and the table's, the column's attnum, and the names to report
     * (quoted by the server). An unqualified name takes the first schema of the path that holds a relation of its kind.
     */
    private static final String RESOLVE = """
            WITH m AS (
                SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[])
                    WITH ORDINALITY AS m(seq_schema, seq_name, tab_schema, tab_name, col_name, i)
            ), path AS (
                SELECT * FROM unnest(?::text[]) WITH ORDINALITY AS p(nspname, pos)
            ), home AS (
                SELECT coalesce((SELECT nspname FROM path ORDER BY pos LIMIT 1), 'public') AS nspname
            )
            SELECT m.i::int, s.oid::bigint, t.oid::bigint, a.attnum::int,
                   coalesce(m.seq_schema, s.nspname, home.nspname), m.seq_name,
                   format('%I.%I', coalesce(m.seq_schema, s.nspname, home.nspname), m.seq_name),
                   format('%I.%I', coalesce(m.tab_schema, t.nspname, home.nspname), m.tab_name),
                   -- a domain is judged as the type it is over, as the catalog read compares it
            """ + ColumnInfo.COMPARED_TYPE_SQL + """
                   , format_type(a.atttypid, a.atttypmod)
            FROM m
            CROSS JOIN home
            LEFT JOIN LATERAL (
                SELECT c.oid, n.nspname FROM pg_class c
                JOIN pg_namespace n ON n.oid = c.relnamespace
                LEFT JOIN path p ON p.nspname = n.nspname
                WHERE c.relname = m.seq_name AND c.relkind = 'S'
                  AND (n.nspname = m.seq_schema OR (m.seq_schema IS NULL AND p.pos IS NOT NULL))
                ORDER BY p.pos LIMIT 1) s ON true
            LEFT JOIN LATERAL (
                SELECT c.oid, n.nspname FROM pg_class c
                JOIN pg_namespace n ON n.oid = c.relnamespace
                LEFT JOIN path p ON p.nspname = n.nspname
                WHERE c.relname = m.tab_name AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
                  AND (n.nspname = m.tab_schema OR (m.tab_schema IS NULL AND p.pos IS NOT NULL))
                ORDER BY p.pos LIMIT 1) t ON true
            LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attname = m.col_name AND a.attnum > 0
                AND NOT a.attisdropped
            LEFT JOIN pg_type ty ON ty.oid = a.atttypid
            ORDER BY m.i
            """;

    private Mappings() {
    }

    /** Whether any mapping names a sequence or table without its schema and is looked up through the search_path. */
    static boolean needSearchPath(List<SequenceMapping> mappings) {
        for (SequenceMapping m : mappings) {
            if (m.isDiscovered() && (SqlNames.parse(m.sequence(), "mappings").size() == 1
                    || SqlNames.parse(m.table(), "mappings").size() == 1)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Resolves the mappings.
     *
     * @param inScope the sequences in scope, by oid
     * @param schemaInScope whether a schema is in the configured scope (for sequences that do not exist)
     * @param excludedSequences excluded sequences, as (schema, name)
     * @param searchPath the application's search_path, for unqualified discovered names
     * @throws UnknownObjectException for a configured mapping whose sequence, table or column does not exist, or
     *     whose sequence is out of scope
     */
    static Resolution resolve(Connection connection, List<SequenceMapping> mappings, Set<Long> inScope,
            Predicate<String> schemaInScope, Set<List<String>> excludedSequences, List<String> searchPath,
            Vocabulary words) throws SQLException {
        if (mappings.isEmpty()) {
            return Resolution.NONE;
        }
        List<Row> rows = query(connection, mappings, searchPath);
        List<Column> columns = new ArrayList<>();
        Map<Long, List<Allocation>> allocations = new HashMap<>();
        Map<Long, List<String>> notes = new HashMap<>();
        Map<Long, Set<List<Long>>> configured = new HashMap<>();
        Map<Long, List<String>> configuredNames = new HashMap<>();
        for (Row r : rows) {
            if (r.mapping.isDiscovered()) {
                continue;
            }
            checkConfigured(r, inScope, words.name("mappings"));
            columns.add(new Column(r.sequence, r.table, r.attnum, ColumnSource.MAPPED, null));
            configured.computeIfAbsent(r.sequence, k -> new HashSet<>()).add(List.of(r.table, (long) r.attnum));
            configuredNames.computeIfAbsent(r.sequence, k -> new ArrayList<>()).add(r.tableIdent + "." + r.column);
            if (r.mapping.allocation() != null) {
                allocations.computeIfAbsent(r.sequence, k -> new ArrayList<>())
                        .add(new Allocation(r.mapping.allocation(), AllocationSource.PROPERTY, null));
            }
        }
        Map<String, Missing> missing = new LinkedHashMap<>();
        for (Row r : rows) {
            SequenceMapping m = r.mapping;
            if (!m.isDiscovered()) {
                continue;
            }
            if (r.sequence == null) {
                if (r.table == null) {
                    // neither its sequence nor its table is here: the entity is stored in another database (Micronaut
                    // builds a session factory with every entity on each data source), and an insert here would fail
                    // on the missing table, loudly, never with a duplicate key
                    log.debug("seqguard: entity {}: neither its sequence {} nor its table {} exists in this database; "
                            + "it is not this database's entity", m.entity(), r.seqIdent, r.tableIdent);
                    continue;
                }
                if (schemaInScope.test(r.seqSchema) && !excludedSequences.contains(List.of(r.seqSchema, r.seqName))) {
                    missing.computeIfAbsent(r.seqIdent, k -> new Missing(
                            SequenceInfo.missing(r.seqSchema, r.seqName, r.seqIdent), new ArrayList<>(),
                            r.seqQualified ? List.of() : searchPath)).mappings().add(m);
                }
                continue;
            }
            if (!inScope.contains(r.sequence)) {
                continue;
            }
            if (m.allocation() != null) {
                allocations.computeIfAbsent(r.sequence, k -> new ArrayList<>())
                        .add(new Allocation(m.allocation(), AllocationSource.ENTITY, m.entity()));
            }
            String target = r.tableIdent + "." + r.column;
            String lookedUp = r.tableQualified ? "" : " (looked up through the search_path " + path(searchPath) + ")";
            if (r.table == null) {
                note(notes, r.sequence, "entity " + m.entity() + " maps it to table " + r.tableIdent + lookedUp
                        + ", which does not exist: check the entity's table name and the naming strategy");
            } else if (r.attnum == null) {
                note(notes, r.sequence, "entity " + m.entity() + " maps it to " + target + ", but table "
                        + r.tableIdent + " has no column " + r.column + ": check the entity's id column name");
            } else if (configured.containsKey(r.sequence)
                    && !configured.get(r.sequence).contains(List.of(r.table, (long) r.attnum))) {
                note(notes, r.sequence, "entity " + m.entity() + " maps it to " + target + "; the configured mapping ("
                        + words.name("mappings") + ") to " + String.join(", ", configuredNames.get(r.sequence))
                        + " wins");
            } else {
                columns.add(new Column(r.sequence, r.table, r.attnum, ColumnSource.ENTITY, m.entity()));
            }
        }
        return new Resolution(columns, allocations, notes, new ArrayList<>(missing.values()));
    }

    private static void note(Map<Long, List<String>> notes, long sequence, String note) {
        List<String> list = notes.computeIfAbsent(sequence, k -> new ArrayList<>());
        if (!list.contains(note)) {
            list.add(note);
        }
    }

    static String path(List<String> searchPath) {
        return searchPath.isEmpty() ? "(empty: no schema of it exists)" : String.join(", ", searchPath);
    }

    /** A configured mapping must name what exists, in the user's words for the option ({@code mappings}). */
    private static void checkConfigured(Row r, Set<Long> inScope, String option) {
        String said = option + ": '" + r.mapping + "': ";
        if (r.sequence == null) {
            throw unknown(said + "sequence " + r.seqSchema + "." + r.seqName + " does not exist. Check the name "
                    + "(unquoted names fold to lower case).");
        }
        if (!inScope.contains(r.sequence)) {
            throw unknown(said + "sequence " + r.seqSchema + "." + r.seqName + " is outside the configured schemas; "
                    + "include schema " + r.seqSchema + " or drop the mapping.");
        }
        if (r.table == null) {
            throw unknown(said + "table " + r.tableName + " does not exist. Check the name (unquoted names fold to "
                    + "lower case).");
        }
        if (r.attnum == null) {
            throw unknown(said + "table " + r.tableName + " has no column " + r.column + ".");
        }
        if (!ColumnInfo.comparable(r.typeOid)) {
            throw unknown(said + "column " + r.column + " of table " + r.tableName + " is of type " + r.typeName
                    + ", which holds no sequence's values: map the sequence to the integer column it fills.");
        }
    }

    /** A name with a line break keeps the message on one line ({@link SqlNames#printable}). */
    private static UnknownObjectException unknown(String message) {
        return new UnknownObjectException(SqlNames.printable(message));
    }

    /** One mapping and what the catalog holds for its names. */
    private static final class Row {
        SequenceMapping mapping;
        boolean seqQualified;
        boolean tableQualified;
        String tableName;
        String column;
        Long sequence;
        Long table;
        Integer attnum;
        String seqSchema;
        String seqName;
        String seqIdent;
        String tableIdent;
        /** The column's type (the base type of a domain) and its name; null without a column. */
        Integer typeOid;
        String typeName;
    }

    private static List<Row> query(Connection connection, List<SequenceMapping> mappings, List<String> searchPath)
            throws SQLException {
        int n = mappings.size();
        String[] seqSchema = new String[n];
        String[] seqName = new String[n];
        String[] tabSchema = new String[n];
        String[] tabName = new String[n];
        String[] colName = new String[n];
        List<Row> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            SequenceMapping m = mappings.get(i);
            Row row = new Row();
            row.mapping = m;
            List<String> seq = names(m, m.sequence());
            List<String> table = names(m, m.table());
            row.seqQualified = seq.get(0) != null;
            row.tableQualified = table.get(0) != null;
            row.tableName = (table.get(0) != null ? table.get(0) + "." : "") + table.get(1);
            row.column = SqlNames.parse(m.column(), "mappings").get(0);
            seqSchema[i] = seq.get(0);
            seqName[i] = seq.get(1);
            tabSchema[i] = table.get(0);
            tabName[i] = table.get(1);
            colName[i] = row.column;
            rows.add(row);
        }
        try (PreparedStatement ps = connection.prepareStatement(RESOLVE)) {
            ps.setArray(1, connection.createArrayOf("text", seqSchema));
            ps.setArray(2, connection.createArrayOf("text", seqName));
            ps.setArray(3, connection.createArrayOf("text", tabSchema));
            ps.setArray(4, connection.createArrayOf("text", tabName));
            ps.setArray(5, connection.createArrayOf("text", colName));
            ps.setArray(6, connection.createArrayOf("text", searchPath.toArray(new String[0])));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Row row = rows.get(rs.getInt(1) - 1);
                    row.sequence = rs.getObject(2, Long.class);
                    row.table = rs.getObject(3, Long.class);
                    row.attnum = rs.getObject(4, Integer.class);
                    row.seqSchema = rs.getString(5);
                    row.seqName = rs.getString(6);
                    row.seqIdent = rs.getString(7);
                    row.tableIdent = rs.getString(8);
                    row.typeOid = rs.getObject(9, Integer.class);
                    row.typeName = rs.getString(10);
                }
            }
        }
        return rows;
    }

    /**
     * (schema, name) of a mapping's sequence or table; the schema is {@code public} for a configured name without
     * one, as documented, and null for a discovered one, which the search_path resolves.
     */
    private static List<String> names(SequenceMapping m, String text) {
        List<String> parts = SqlNames.parse(text, "mappings");
        if (parts.size() == 1) {
            return java.util.Arrays.asList(m.isDiscovered() ? null : "public", parts.get(0));
        }
        return SqlNames.parseQualified(text, "mappings");
    }
}
