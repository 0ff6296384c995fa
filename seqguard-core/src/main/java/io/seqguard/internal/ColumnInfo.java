package io.seqguard.internal;

import io.seqguard.ColumnSource;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** One column a sequence feeds, as the catalog (or a mapping) shows it. */
final class ColumnInfo {

    /**
     * The type a column is compared as, for a query with {@code a} (its pg_attribute row) and {@code ty} (its pg_type
     * row): a domain's base type however deep it is nested (the recursion runs only for a domain, so a catalog of
     * 100,000 plain columns pays nothing for it), else the column's own type.
     */
    static final String COMPARED_TYPE_SQL = """
            CASE WHEN ty.typtype = 'd' THEN
                (WITH RECURSIVE d(oid, base) AS (
                     SELECT bt.oid, bt.typbasetype FROM pg_type bt WHERE bt.oid = ty.typbasetype
                     UNION ALL
                     SELECT bt.oid, bt.typbasetype FROM pg_type bt JOIN d ON bt.oid = d.base)
                 SELECT d.oid::int FROM d WHERE d.base = 0)
            ELSE a.atttypid::int END""";

    static final int INT2 = 21;
    static final int INT4 = 23;
    static final int INT8 = 20;
    static final int NUMERIC = 1700;

    final long relOid;
    final int attnum;
    final String schema;
    final String table;
    final String column;
    /** Quoted by the server: {@code format('%I.%I')}. */
    final String tableIdent;
    /** Quoted by the server: {@code quote_ident()}. */
    final String columnIdent;
    final String dataType;
    final int typeOid;
    final char relkind;
    final boolean canRead;
    final boolean indexed;
    /** Relations a {@code max()} over this table locks: itself and its indexes. */
    private final int ownLockWeight;
    /** Locks its descendants add (partitions, inheritance children, their indexes). */
    int lockWeightExtra;
    final Set<ColumnSource> sources = EnumSet.noneOf(ColumnSource.class);
    /** The entities whose ids the sequence hands out into it, from discovered mappings. */
    final List<String> entities = new ArrayList<>();
    /** The default expression naming the sequence, read only for columns neither owned, identity nor mapped. */
    String defaultExpression;

    /** Why it is not compared, or how it is covered; null when compared directly. */
    String note;
    /** Whether the configuration excludes its table. */
    boolean excluded;
    /** Whether the connecting role may use the table's schema. */
    boolean schemaUsage;
    /** Whether row-level security policies decide which of its rows the connecting role sees. */
    boolean rowsFiltered;
    /** Whether the table forces its policies on its owner too ({@code FORCE ROW LEVEL SECURITY}). */
    boolean forcedOnOwner;
    /**
     * Whether it would be compared but the connecting role may not read it, or not every row of it: the sequence
     * cannot be verified.
     */
    boolean unreadable;
    /** Whether its data decides the sequence's requirement. */
    boolean compared;
    /** Read directly (false when a parent table's read covers it). */
    boolean readDirectly;
    /** Its read, when read directly; set by {@link BoundReader#plan}. */
    BoundReader.Read read;
    /** On a Citus node: the kind of Citus table it is in ({@link CitusCatalog#kind}); null for any other table. */
    String citusTable;
    /**
     * On a Citus node: the ranges its read covers, this node's slice first ({@link CitusCatalog}); null to read the
     * whole column.
     */
    List<CitusRanges.Range> citusRanges;

    ColumnInfo(long relOid, int attnum, String schema, String table, String column, String tableIdent,
            String columnIdent, String dataType, int typeOid, char relkind, boolean canRead, boolean indexed,
            int lockWeight) {
        this.relOid = relOid;
        this.attnum = attnum;
        this.schema = schema;
        this.table = table;
        this.column = column;
        this.tableIdent = tableIdent;
        this.columnIdent = columnIdent;
        this.dataType = dataType;
        this.typeOid = typeOid;
        this.relkind = relkind;
        this.canRead = canRead;
        this.indexed = indexed;
        this.ownLockWeight = lockWeight;
    }

    /** Relations a {@code max()} over this table locks. */
    int lockWeight() {
        return ownLockWeight + lockWeightExtra;
    }

    boolean numericType() {
        return comparable(typeOid);
    }

    /** Whether a column of this type (the base type of a domain) can be compared with a sequence's values. */
    static boolean comparable(Integer typeOid) {
        return typeOid != null && (typeOid == INT2 || typeOid == INT4 || typeOid == INT8 || typeOid == NUMERIC);
    }

    /** The largest value the column's type holds; null when unbounded (numeric). */
    Long typeMax() {
        return typeMax(typeOid);
    }

    /** The smallest value the column's type holds; null when unbounded (numeric). */
    Long typeMin() {
        return typeMin(typeOid);
    }

    /** The largest value an integer type holds, by oid; null for any other type. */
    static Long typeMax(int typeOid) {
        switch (typeOid) {
            case INT2:
                return (long) Short.MAX_VALUE;
            case INT4:
                return (long) Integer.MAX_VALUE;
            case INT8:
                return Long.MAX_VALUE;
            default:
                return null;
        }
    }

    /** The smallest value an integer type holds, by oid; null for any other type. */
    static Long typeMin(int typeOid) {
        switch (typeOid) {
            case INT2:
                return (long) Short.MIN_VALUE;
            case INT4:
                return (long) Integer.MIN_VALUE;
            case INT8:
                return Long.MIN_VALUE;
            default:
                return null;
        }
    }

    String displayName() {
        return displayTable() + "." + column;
    }

    /** As SQL writes it, quoted by the server where it must be: the form messages name a column in. */
    String qualifiedName() {
        return tableIdent + "." + columnIdent;
    }

    String displayTable() {
        return schema + "." + table;
    }
}
