package io.seqguard.internal;

import java.util.ArrayList;
import java.util.List;

/** A sequence as the catalog describes it, with what the later steps learn about it. */
final class SequenceInfo {

    final long oid;
    final String schema;
    final String name;
    /** Quoted by the server: {@code format('%I.%I')}. */
    final String ident;
    /** The identifier as a string literal, quoted by the server: {@code quote_literal(...)}. */
    final String literal;
    final String dataType;
    final long increment;
    final long minValue;
    final long maxValue;
    final boolean cycle;
    final boolean schemaUsage;
    final boolean canSelect;
    final boolean canUsage;
    final boolean canUpdate;
    /** The connecting role, quoted by the server, for the GRANTs that advice names. */
    final String role;
    final List<ColumnInfo> columns = new ArrayList<>();
    /** What its mappings say about allocation (entities' generators, configured mappings' rules). */
    final List<Mappings.Allocation> allocations = new ArrayList<>();
    /** What resolving its mappings found: a discovered mapping that disagrees, or names a table that is missing. */
    final List<String> mappingNotes = new ArrayList<>();
    /** False for a sequence an entity names that the database lacks: nothing but its name is known. */
    final boolean exists;

    /** What the catalog says a person should read about it (unlogged, synchronized by a subscription). */
    final List<String> notes = new ArrayList<>();
    /** Why the sequence is not looked at (excluded, no privilege); null when it is. */
    String skipReason;
    /** Whether {@link #skipReason} or {@link #stateError} comes from a privilege the connecting role lacks. */
    boolean noPrivilege;
    /** Set by {@link StateReader}; null when unknown. */
    SequenceState state;
    /** Why the state could not be read; null when it was. */
    String stateError;
    /** On a Citus node, when it feeds a Citus table: how it is judged there ({@link CitusCatalog}); null otherwise. */
    CitusSequence citus;

    SequenceInfo(long oid, String schema, String name, String ident, String literal, String dataType, long increment,
            long minValue, long maxValue, boolean cycle, boolean schemaUsage, boolean canSelect, boolean canUsage,
            boolean canUpdate, String role) {
        this(oid, schema, name, ident, literal, dataType, increment, minValue, maxValue, cycle, schemaUsage, canSelect,
                canUsage, canUpdate, role, true);
    }

    private SequenceInfo(long oid, String schema, String name, String ident, String literal, String dataType,
            long increment, long minValue, long maxValue, boolean cycle, boolean schemaUsage, boolean canSelect,
            boolean canUsage, boolean canUpdate, String role, boolean exists) {
        this.exists = exists;
        this.oid = oid;
        this.schema = schema;
        this.name = name;
        this.ident = ident;
        this.literal = literal;
        this.dataType = dataType;
        this.increment = increment;
        this.minValue = minValue;
        this.maxValue = maxValue;
        this.cycle = cycle;
        this.schemaUsage = schemaUsage;
        this.canSelect = canSelect;
        this.canUsage = canUsage;
        this.canUpdate = canUpdate;
        this.role = role;
    }

    /**
     * {@return the name as a line of text shows it and as an option takes it back ({@link SqlNames#printable}): what
     * advice names, before the interface quotes it}
     */
    String shown() {
        return SqlNames.printable(ident);
    }

    /**
     * A sequence a discovered mapping names that does not exist: only its name is known.
     *
     * @param ident the name quoted by the server
     */
    static SequenceInfo missing(String schema, String name, String ident) {
        return new SequenceInfo(0, schema, name, ident, null, null, 0, 0, 0, false, false, false, false, false, null,
                false);
    }

    boolean descending() {
        return increment < 0;
    }

    String displayName() {
        return schema + "." + name;
    }
}
