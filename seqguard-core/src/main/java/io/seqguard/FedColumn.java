package io.seqguard;

import io.seqguard.internal.SqlNames;

import java.util.List;
import java.util.Set;

/**
 * One column a sequence feeds, as found in the catalog (or mapped by configuration). Built by seqguard; not for
 * implementation by users (methods may be added).
 */
public interface FedColumn {

    /** {@return the table's schema} */
    String schema();

    /** {@return the table's name} */
    String table();

    /** {@return the column's name} */
    String column();

    /** {@return the table as a quoted, schema-qualified SQL identifier (quoted by the server)} */
    String qualifiedTable();

    /**
     * {@return the column as a mapping's {@code TABLE.COLUMN} ({@link SequenceMapping#parse(String)}): the
     * {@link #qualifiedTable()}, a dot and the column's name, quoted where it needs to be}
     */
    default String qualifiedColumn() {
        return qualifiedTable() + "." + SqlNames.quoteIfNeeded(column());
    }

    /** {@return the column's SQL type, for example {@code integer}} */
    String dataType();

    /**
     * {@return why the column counts as fed by the sequence, in declaration order (owned, identity, default, mapped,
     * entity)}
     */
    Set<ColumnSource> sources();

    /** {@return whether its maximum (minimum for a descending sequence) was compared with the sequence} */
    boolean compared();

    /** {@return why it was not compared, or how it was compared (for example through its parent table); may be null} */
    String note();

    /**
     * {@return the ORM entities whose ids the sequence hands out into this column, from discovered mappings
     * ({@link ColumnSource#ENTITY}); empty otherwise}
     */
    List<String> entities();
    /**
     * {@return on a Citus node, the kind of Citus table it is in: {@code distributed}, {@code reference}, {@code local}
     * or {@code single shard}; null for any other table}
     */
    default String citusTable() {
        return null;
    }

    /** {@return {@code schema.table.column} as a person reads it (unquoted)} */
    default String displayName() {
        return schema() + "." + table() + "." + column();
    }
}
