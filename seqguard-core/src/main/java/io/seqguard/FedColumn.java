package io.seqguard;

import java.util.List;
import java.util.Set;

/**
 * One column a sequence feeds, as found in the catalog (or mapped by configuration). Built by seqguard; not for
 * implementation by users (methods may be added).
 */
public interface FedColumn {

    /** The table's schema. */
    String schema();

    /** The table's name. */
    String table();

    /** The column's name. */
    String column();

    /** The table as a quoted, schema-qualified SQL identifier (quoted by the server). */
    String qualifiedTable();

    /** The column's SQL type, for example {@code integer}. */
    String dataType();

    /** Why the column counts as fed by the sequence, in declaration order (owned, identity, default, mapped, entity). */
    Set<ColumnSource> sources();

    /** Whether its maximum (minimum for a descending sequence) was compared with the sequence. */
    boolean compared();

    /** Why it was not compared, or how it was compared (for example through its parent table); may be null. */
    String note();

    /**
     * The ORM entities whose ids the sequence hands out into this column, from discovered mappings
     * ({@link ColumnSource#ENTITY}); empty otherwise.
     */
    List<String> entities();

    /** {@code schema.table.column} as a person reads it (unquoted). */
    default String displayName() {
        return schema() + "." + table() + "." + column();
    }
}
