package io.seqguard.internal;

import io.seqguard.ColumnSource;
import io.seqguard.FedColumn;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** The {@link FedColumn} seqguard reports. */
record ColumnResult(String schema, String table, String column, String qualifiedTable, String dataType,
        Set<ColumnSource> sources, boolean compared, String note, String citusTable, List<String> entities)
        implements FedColumn {

    ColumnResult {
        entities = List.copyOf(entities);
        // declaration order (owned, identity, default, mapped) keeps reports stable
        sources = sources.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(sources));
    }
}
