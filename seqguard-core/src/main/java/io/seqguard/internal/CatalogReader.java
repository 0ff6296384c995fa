package io.seqguard.internal;

import io.seqguard.AlignerConfiguration;
import io.seqguard.ColumnSource;
import io.seqguard.UnknownObjectException;

import java.sql.Array;
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
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds every sequence in scope and every column it feeds, through {@code pg_depend} (never by name patterns): owned
 * ({@code serial}), identity, and column defaults calling {@code nextval()}, plus configured mappings. Names are
 * matched as bound values and quoted by the server ({@code format('%I.%I')}), so hostile names stay data.
 */
final class CatalogReader {

    /** The sequences in scope, in schema and name order: cheap, so that the details can be read in parts. */
    private static final String SCOPE = """
            SELECT s.seqrelid::bigint, format('%I.%I', n.nspname, c.relname)
            FROM pg_sequence s
            JOIN pg_class c ON c.oid = s.seqrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname <> 'information_schema' AND n.nspname !~ '^pg_'
              AND (cardinality(?::text[]) = 0 OR n.nspname = ANY (?::text[]))
              AND NOT (n.nspname = ANY (?::text[]))
            ORDER BY n.nspname COLLATE "C", c.relname COLLATE "C"
            """;

    /** Names quoted by the server, definition and privileges of the given sequences. */
    private static final String SEQUENCES = """
            SELECT s.seqrelid::bigint, n.nspname, c.relname,
                   format('%I.%I', n.nspname, c.relname),
                   quote_literal(format('%I.%I', n.nspname, c.relname)),
                   format_type(s.seqtypid, NULL), s.seqincrement, s.seqmin, s.seqmax, s.seqcycle,
                   has_schema_privilege(n.oid, 'USAGE'),
                   has_sequence_privilege(c.oid, 'SELECT'),
                   has_sequence_privilege(c.oid, 'USAGE'),
                   has_sequence_privilege(c.oid, 'UPDATE'),
                   quote_ident(current_user), c.relpersistence = 'u'
            FROM pg_sequence s
            JOIN pg_class c ON c.oid = s.seqrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE s.seqrelid = ANY (?::oid[])
            """;

    /**
     * Owned and identity links, column defaults naming the sequence, and mappings (configured and discovered), one
     * row per column a sequence feeds (a serial column is linked twice: owned and default). The default's text is only
     * rendered where it decides something: for columns neither owned, identity nor mapped.
     */
    private static final String COLUMNS = """
            WITH links(seq, rel, att, source, attrdef) AS (
                SELECT d.objid, d.refobjid, d.refobjsubid,
                       CASE d.deptype WHEN 'a' THEN 'OWNED' ELSE 'IDENTITY' END, NULL::oid
                FROM pg_depend d
                WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass
                  AND d.deptype IN ('a', 'i') AND d.refobjsubid > 0 AND d.objid = ANY (?::oid[])
                UNION ALL
                SELECT d.refobjid, ad.adrelid, ad.adnum, 'DEFAULT', ad.oid
                FROM pg_depend d
                JOIN pg_attrdef ad ON ad.oid = d.objid
                WHERE d.classid = 'pg_attrdef'::regclass AND d.refclassid = 'pg_class'::regclass
                  AND d.deptype = 'n' AND d.refobjid = ANY (?::oid[])
                UNION ALL
                SELECT m.seq, m.rel, m.att, m.source, NULL::oid
                FROM unnest(?::oid[], ?::oid[], ?::int2[], ?::text[]) AS m(seq, rel, att, source)
            ), feeds AS (
                SELECT seq, rel, att, array_agg(source) AS sources, max(attrdef) AS attrdef
                FROM links GROUP BY seq, rel, att
            ), locked AS MATERIALIZED (
                -- pg_get_expr locks its table (seen on 18): not on a table another session holds locked; its default is
                -- then taken as plain; its data read meets the lock and says so
            """ + BoundReader.LOCKED_BY_OTHERS + """
            )
            SELECT f.seq::bigint, f.rel::bigint, f.att, array_to_string(f.sources, ','),
                   CASE WHEN NOT f.sources && ARRAY['OWNED', 'IDENTITY', 'MAPPED', 'ENTITY']
                           AND f.rel NOT IN (SELECT relation FROM locked) THEN
                       (SELECT pg_get_expr(ad.adbin, ad.adrelid) FROM pg_attrdef ad WHERE ad.oid = f.attrdef) END,
                   tn.nspname, t.relname, a.attname,
                   format('%I.%I', tn.nspname, t.relname), quote_ident(a.attname),
                   format_type(a.atttypid, a.atttypmod),
                   -- a domain is compared as the type it is over
            """ + ColumnInfo.COMPARED_TYPE_SQL + """
                   , t.relkind::text,
                   has_schema_privilege(tn.oid, 'USAGE') AND has_column_privilege(t.oid, a.attnum, 'SELECT'),
                   ix.leading_btree, ix.indexes, has_schema_privilege(tn.oid, 'USAGE'),
                   -- null: every row is visible to the role; otherwise policies filter what it sees, true when
                   -- the table forces them on its owner too
                   CASE WHEN t.relrowsecurity AND row_security_active(t.oid) THEN t.relforcerowsecurity END
            FROM feeds f
            JOIN pg_class t ON t.oid = f.rel
            JOIN pg_namespace tn ON tn.oid = t.relnamespace
            JOIN pg_attribute a ON a.attrelid = f.rel AND a.attnum = f.att AND NOT a.attisdropped
            JOIN pg_type ty ON ty.oid = a.atttypid
            -- one pass over the table's indexes: how many (a max() locks them all) and whether a plain btree leads
            -- with the column (max() then reads one index entry instead of the table)
            CROSS JOIN LATERAL (
                SELECT count(*)::int AS indexes,
                       coalesce(bool_or(i.indkey[0] = a.attnum AND i.indpred IS NULL
                           AND (SELECT ic.relam FROM pg_class ic WHERE ic.oid = i.indexrelid)
                               = (SELECT am.oid FROM pg_am am WHERE am.amname = 'btree')), false) AS leading_btree
                FROM pg_index i WHERE i.indrelid = t.oid) ix
            """;

    /** Unlogged sequences are written to no WAL: nothing that replicates a database carries them. */
    static final String UNLOGGED = "unlogged: no replication carries it (logical replication of sequences skips it, "
            + "a promoted standby and crash recovery reset it): give the old primary as a witness (source) to carry "
            + "its value";

    private final AlignerConfiguration config;
    /**
     * One copy of each name and type that repeats (schemas, column names, types, the role): the driver makes a new
     * string per row, and 100,000 sequences' reports, held by an API caller, are otherwise mostly copies of "public",
     * "id" and "bigint". Parts are read on several workers at once.
     */
    private final Map<String, String> shared = new ConcurrentHashMap<>();
    private final ColumnClassifier classifier;
    /** The application's search_path, for discovered mappings' unqualified names. */
    private final List<String> searchPath;

    private String shared(String value) {
        if (value == null) {
            return null;
        }
        String first = shared.putIfAbsent(value, value);
        return first == null ? value : first;
    }

    CatalogReader(AlignerConfiguration config) {
        this(config, List.of());
    }

    CatalogReader(AlignerConfiguration config, List<String> searchPath) {
        this.config = config;
        this.classifier = new ColumnClassifier(config);
        this.searchPath = List.copyOf(searchPath);
    }

    /**
     * Which sequences are in scope, in schema and name order, and the configured mappings resolved; the sequences'
     * details and columns are read by {@link #readPart}, which can split them over several connections.
     */
    Scope readScope(Connection connection) throws SQLException {
        return readScope(connection, null, null);
    }

    /**
     * Like {@link #readScope(Connection)}, keeping only the sequences named: the guard's repair of what its verify
     * found behind reads the details of those alone. Mappings are still checked against the whole scope.
     *
     * @param only sequences by their quoted names ({@link SequenceInfo#ident}); null for all
     * @param seen after a first run (a framework's ORM step), the oids of the sequences it read: keep only the ones the
     *     mappings name and the ones it did not see; null to keep all
     */
    Scope readScope(Connection connection, Set<String> only, Set<Long> seen) throws SQLException {
        checkSchemasExist(connection);
        List<String> idents = new ArrayList<>();
        List<Long> oids = scopeOids(connection, idents);
        Set<List<String>> excluded = new HashSet<>();
        for (String name : config.getExcludedSequences()) {
            excluded.add(SqlNames.parseQualified(name, "excludeSequences"));
        }
        Set<String> included = new HashSet<>(schemaNames(config.getSchemas(), "schemas"));
        Set<String> excludedSchemas = new HashSet<>(schemaNames(config.getExcludedSchemas(), "excludeSchemas"));
        Mappings.Resolution mappings = Mappings.resolve(connection, config.getMappings(), new HashSet<>(oids),
                schema -> !schema.startsWith("pg_") && !schema.equals("information_schema")
                        && (included.isEmpty() || included.contains(schema)) && !excludedSchemas.contains(schema),
                excluded, searchPath, config.getVocabulary());
        Set<Long> mapped = seen != null ? mappedSequences(mappings) : null;
        if (only != null || mapped != null) {
            List<Long> kept = new ArrayList<>();
            for (int i = 0; i < oids.size(); i++) {
                Long oid = oids.get(i);
                if ((only == null || only.contains(idents.get(i)))
                        && (mapped == null || mapped.contains(oid) || !seen.contains(oid))) {
                    kept.add(oid);
                }
            }
            oids = kept;
        }
        return new Scope(oids, mappings);
    }

    /** The sequences a mapping ties to a column, gives an allocation rule or notes something about. */
    private static Set<Long> mappedSequences(Mappings.Resolution mappings) {
        Set<Long> mapped = new HashSet<>(mappings.allocations().keySet());
        mapped.addAll(mappings.notes().keySet());
        for (Mappings.Column column : mappings.columns()) {
            mapped.add(column.sequence());
        }
        return mapped;
    }

    /**
     * The sequences in scope by oid, in report order, the mappings resolved, and the sequences read so far (filled by
     * the parts, possibly at the same time).
     */
    record Scope(List<Long> oids, Mappings.Resolution mappings, Map<Long, SequenceInfo> read) {

        Scope(List<Long> oids, Mappings.Resolution mappings) {
            this(oids, mappings, new ConcurrentHashMap<>());
        }

        /**
         * The oids in up to {@code parts} parts of at least {@code minimum} each, dealt round-robin so that every
         * part gets its share of the big ones.
         */
        List<List<Long>> parts(int parts, int minimum) {
            int n = Math.max(1, Math.min(parts, oids.size() / Math.max(1, minimum)));
            List<List<Long>> result = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                result.add(new ArrayList<>());
            }
            for (int i = 0; i < oids.size(); i++) {
                result.get(i % n).add(oids.get(i));
            }
            return result;
        }

        /** The sequences read, in schema and name order (one dropped since the scope was read is left out). */
        List<SequenceInfo> sequences() {
            List<SequenceInfo> result = new ArrayList<>(oids.size());
            for (Long oid : oids) {
                SequenceInfo s = read.get(oid);
                if (s != null) {
                    result.add(s);
                }
            }
            return result;
        }
    }

    /** Reads one part of the scope: the sequences' details, and the columns they feed, classified. */
    void readPart(Connection connection, List<Long> part, Scope scope) throws SQLException {
        Map<Long, SequenceInfo> sequences = readSequences(connection, part);
        markExcluded(sequences);
        List<Mappings.Column> mapped = new ArrayList<>();
        for (Mappings.Column mapping : scope.mappings().columns()) {
            if (sequences.containsKey(mapping.sequence())) {
                mapped.add(mapping);
            }
        }
        for (SequenceInfo s : sequences.values()) {
            s.allocations.addAll(scope.mappings().allocations().getOrDefault(s.oid, List.of()));
            s.mappingNotes.addAll(scope.mappings().notes().getOrDefault(s.oid, List.of()));
        }
        readColumns(connection, sequences, mapped);
        classifier.classify(connection, sequences);
        scope.read().putAll(sequences);
    }

    private void checkSchemasExist(Connection connection) throws SQLException {
        if (config.getSchemas().isEmpty()) {
            return;
        }
        Set<String> wanted = new HashSet<>(schemaNames(config.getSchemas(), "schemas"));
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT nspname FROM pg_namespace WHERE nspname = ANY (?::text[])")) {
            ps.setArray(1, textArray(connection, wanted));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    wanted.remove(rs.getString(1));
                }
            }
        }
        if (!wanted.isEmpty()) {
            // a name given unquoted folds to lower case: a schema spelled otherwise is the likely meaning
            List<String> spelledOtherwise = new ArrayList<>();
            try (PreparedStatement ps = connection.prepareStatement(
                    "SELECT nspname FROM pg_namespace WHERE lower(nspname) = ANY (?::text[]) ORDER BY nspname")) {
                ps.setArray(1, textArray(connection, wanted));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        spelledOtherwise.add(SqlNames.quote(rs.getString(1)));
                    }
                }
            }
            throw new UnknownObjectException(config.getVocabulary().name("schemas") + ": schema "
                    + SqlNames.printable(String.join(", ", wanted)) + " does not exist in this database. "
                    + (spelledOtherwise.isEmpty() ? "Check the name (unquoted names fold to lower case)"
                            : "This database has " + String.join(", ", spelledOtherwise) + ": write the name in double "
                                    + "quotes, as SQL does, to keep its case ("
                                    + config.getVocabulary().setting("schemas", spelledOtherwise.get(0)) + ")")
                    + " or remove it from the configured schemas.");
        }
    }

    /**
     * The sequences in the configured schemas, in schema and name order, without their columns: what the source
     * witness needs. Schemas that do not exist are no error here (the source may lack one the target has).
     */
    Map<Long, SequenceInfo> readSequences(Connection connection) throws SQLException {
        List<Long> oids = scopeOids(connection, new ArrayList<>());
        Map<Long, SequenceInfo> details = readSequences(connection, oids);
        Map<Long, SequenceInfo> sequences = new LinkedHashMap<>();
        for (Long oid : oids) {
            SequenceInfo s = details.get(oid);
            if (s != null) {
                sequences.put(oid, s);
            }
        }
        return sequences;
    }

    /** The oids of the sequences in scope, in order; their quoted names go to {@code idents}, in the same order. */
    private List<Long> scopeOids(Connection connection, List<String> idents) throws SQLException {
        List<Long> oids = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(SCOPE)) {
            Array include = textArray(connection, schemaNames(config.getSchemas(), "schemas"));
            ps.setArray(1, include);
            ps.setArray(2, include);
            ps.setArray(3, textArray(connection, schemaNames(config.getExcludedSchemas(), "excludeSchemas")));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    oids.add(rs.getLong(1));
                    idents.add(rs.getString(2));
                }
            }
        }
        return oids;
    }

    private Map<Long, SequenceInfo> readSequences(Connection connection, List<Long> oids)
            throws SQLException {
        Map<Long, SequenceInfo> sequences = new HashMap<>();
        try (PreparedStatement ps = connection.prepareStatement(SEQUENCES)) {
            ps.setArray(1, connection.createArrayOf("bigint", oids.toArray(new Long[0])));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    SequenceInfo s = new SequenceInfo(rs.getLong(1), shared(rs.getString(2)), rs.getString(3),
                            rs.getString(4), rs.getString(5), shared(rs.getString(6)), rs.getLong(7), rs.getLong(8),
                            rs.getLong(9), rs.getBoolean(10), rs.getBoolean(11), rs.getBoolean(12),
                            rs.getBoolean(13), rs.getBoolean(14), shared(rs.getString(15)));
                    if (rs.getBoolean(16)) {
                        s.notes.add(UNLOGGED);
                    }
                    sequences.put(s.oid, s);
                }
            }
        }
        return sequences;
    }

    private void markExcluded(Map<Long, SequenceInfo> sequences) {
        Set<List<String>> excluded = new HashSet<>();
        for (String name : config.getExcludedSequences()) {
            excluded.add(SqlNames.parseQualified(name, "excludeSequences"));
        }
        for (SequenceInfo s : sequences.values()) {
            if (excluded.contains(List.of(s.schema, s.name))) {
                s.skipReason = "excluded by configuration (" + config.getVocabulary().name("excludeSequences") + ")";
            } else if (!s.schemaUsage || !(s.canSelect || s.canUsage)) {
                List<String> grants = new ArrayList<>();
                if (!s.schemaUsage) {
                    grants.add("GRANT USAGE ON SCHEMA " + SqlNames.quote(s.schema) + " TO " + s.role);
                }
                if (!(s.canSelect || s.canUsage)) {
                    grants.add("GRANT SELECT ON SEQUENCE " + s.ident + " TO " + s.role);
                }
                s.skipReason = ColumnClassifier.UNREADABLE + String.join("; ", grants) + " to check it";
                s.noPrivilege = true;
            }
        }
    }

    private void readColumns(Connection connection, Map<Long, SequenceInfo> sequences, List<Mappings.Column> mapped)
            throws SQLException {
        Long[] oids = sequences.keySet().toArray(new Long[0]);
        Long[] mapSeq = new Long[mapped.size()];
        Long[] mapRel = new Long[mapped.size()];
        Short[] mapAtt = new Short[mapped.size()];
        String[] mapSource = new String[mapped.size()];
        Map<List<Long>, List<String>> entities = new HashMap<>();
        for (int i = 0; i < mapped.size(); i++) {
            Mappings.Column m = mapped.get(i);
            mapSeq[i] = m.sequence();
            mapRel[i] = m.table();
            mapAtt[i] = (short) m.attnum();
            mapSource[i] = m.source().name();
            if (m.entity() != null) {
                List<String> names = entities.computeIfAbsent(List.of(m.sequence(), m.table(), (long) m.attnum()),
                        k -> new ArrayList<>());
                if (!names.contains(m.entity())) {
                    names.add(m.entity());
                }
            }
        }
        try (PreparedStatement ps = connection.prepareStatement(COLUMNS)) {
            Array oidArray = connection.createArrayOf("bigint", oids);
            ps.setArray(1, oidArray);
            ps.setArray(2, oidArray);
            ps.setArray(3, connection.createArrayOf("bigint", mapSeq));
            ps.setArray(4, connection.createArrayOf("bigint", mapRel));
            ps.setArray(5, connection.createArrayOf("smallint", mapAtt));
            ps.setArray(6, connection.createArrayOf("text", mapSource));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    SequenceInfo s = sequences.get(rs.getLong(1));
                    String relkind = rs.getString(13);
                    int indexes = rs.getInt(16);
                    ColumnInfo c = new ColumnInfo(rs.getLong(2), rs.getInt(3), shared(rs.getString(6)),
                            rs.getString(7), shared(rs.getString(8)), rs.getString(9), shared(rs.getString(10)),
                            shared(rs.getString(11)), rs.getInt(12),
                            relkind.charAt(0), rs.getBoolean(14), rs.getBoolean(15), 1 + indexes);
                    for (String source : rs.getString(4).split(",")) {
                        c.sources.add(ColumnSource.valueOf(source));
                    }
                    c.defaultExpression = rs.getString(5);
                    c.schemaUsage = rs.getBoolean(17);
                    c.forcedOnOwner = rs.getBoolean(18);
                    c.rowsFiltered = !rs.wasNull();
                    c.entities.addAll(entities.getOrDefault(List.of(s.oid, c.relOid, (long) c.attnum), List.of()));
                    s.columns.add(c);
                }
            }
        }
        for (SequenceInfo s : sequences.values()) {
            s.columns.sort((a, b) -> a.displayName().compareTo(b.displayName()));
        }
    }

    private static List<String> schemaNames(List<String> names, String property) {
        List<String> result = new ArrayList<>();
        for (String name : names) {
            List<String> parts = SqlNames.parse(name, property);
            if (parts.size() != 1) {
                throw new IllegalArgumentException(property + ": '" + name + "' is not a schema name");
            }
            result.add(parts.get(0));
        }
        return result;
    }

    private static Array textArray(Connection connection, java.util.Collection<String> values) throws SQLException {
        return connection.createArrayOf("text", values.toArray(new String[0]));
    }
}
