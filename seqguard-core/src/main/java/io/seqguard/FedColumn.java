package io.seqguard;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * One column a sequence feeds, as found in the catalog (or mapped by configuration).
 *
 * @param schema the table's schema
 * @param table the table's name
 * @param column the column's name
 * @param qualifiedTable the table as a quoted, schema-qualified SQL identifier (quoted by the server)
 * @param dataType the column's SQL type, for example {@code integer}
 * @param sources why the column counts as fed by the sequence
 * @param compared whether its maximum (minimum for a descending sequence) was compared with the sequence
 * @param note why it was not compared, or how it was compared (for example through its parent table); may be null
 */
public record FedColumn(String schema, String table, String column, String qualifiedTable, String dataType,
        Set<ColumnSource> sources, boolean compared, String note) {

    /**
     * Copies the sources, in declaration order, so that reports stay stable.
     *
     * @param schema the table's schema
     * @param table the table's name
     * @param column the column's name
     * @param qualifiedTable the table as a quoted, schema-qualified SQL identifier (quoted by the server)
     * @param dataType the column's SQL type, for example {@code integer}
     * @param sources why the column counts as fed by the sequence
     * @param compared whether its maximum (minimum for a descending sequence) was compared with the sequence
     * @param note why it was not compared, or how it was compared (for example through its parent table); may be null
     */
    public FedColumn {
        // declaration order (owned, identity, default, mapped) keeps reports stable
        sources = sources.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(sources));
    }

    /** {@return {@code schema.table.column} as a person reads it (unquoted)} */
    public String displayName() {
        return schema + "." + table + "." + column;
    }
}
