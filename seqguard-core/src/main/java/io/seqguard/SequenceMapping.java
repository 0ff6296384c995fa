package io.seqguard;

import io.seqguard.internal.SqlNames;

import java.util.List;
import java.util.Objects;

/**
 * Tells seqguard which column a sequence feeds when the catalog cannot: a sequence that application code calls
 * ({@code invoice_number_seq} handed out by a service into {@code billing.invoice.number}), or one an ORM entity takes
 * its ids from (Hibernate's {@code create sequence invoice_seq start with 1 increment by 50}, with no {@code OWNED BY}
 * and no {@code DEFAULT}). Immutable; build one with {@link #of}, {@link #parse} or {@link #builder()}.
 *
 * <p>A mapping is <em>configured</em> (the user wrote it) or <em>discovered</em> (an ORM module such as
 * {@code seqguard-hibernate} found it in the application's entity metadata and names the {@link #entity()}). For a
 * sequence with a configured mapping, discovered mappings add no column: the configured one wins, and a discovered
 * one naming another column is reported as a note on the sequence. A configured mapping whose sequence, table or
 * column does not exist is a configuration error; a discovered one is reported instead: an entity's sequence that does
 * not exist is a sequence the run could not verify.
 *
 * <p>Names follow SQL rules: unquoted parts fold to lower case, {@code "Quoted"} parts keep their case and may contain
 * dots. A configured name without a schema means {@code public}; a discovered one is looked up through the
 * connection's {@code search_path}, as the application's own statements look it up.
 */
public final class SequenceMapping {

    private final String sequence;
    private final String table;
    private final String column;
    private final AllocationRule allocation;
    private final String entity;

    private SequenceMapping(Builder builder) {
        this.sequence = Objects.requireNonNull(builder.sequence, "sequence");
        this.table = Objects.requireNonNull(builder.table, "table");
        this.column = Objects.requireNonNull(builder.column, "column");
        SqlNames.parseQualified(sequence, "mapping sequence");
        SqlNames.parseQualified(table, "mapping table");
        if (SqlNames.parse(column, "mapping column").size() != 1) {
            throw new IllegalArgumentException("mapping column: '" + column + "' must be a single column name");
        }
        this.allocation = builder.allocation;
        this.entity = builder.entity;
    }

    /**
     * A configured mapping, for example {@code of("billing.invoice_number_seq", "billing.invoice", "number")}.
     *
     * @param sequence the sequence, {@code NAME} or {@code SCHEMA.NAME}
     * @param table the table, {@code NAME} or {@code SCHEMA.NAME}
     * @param column the column
     * @return the mapping
     * @throws IllegalArgumentException when a name is not valid SQL syntax
     */
    public static SequenceMapping of(String sequence, String table, String column) {
        return builder().sequence(sequence).table(table).column(column).build();
    }

    /** {@return a builder, for mappings with an allocation rule of their own or discovered from an entity} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Parses {@code SEQUENCE=TABLE.COLUMN} (also {@code SEQUENCE -> TABLE.COLUMN}), for example
     * {@code billing.invoice_number_seq=billing.invoice.number}: a configured mapping.
     *
     * @param text the mapping
     * @return the mapping
     * @throws IllegalArgumentException saying what is wrong and showing the expected form
     */
    public static SequenceMapping parse(String text) {
        Objects.requireNonNull(text, "mapping");
        int arrow = SqlNames.indexOutsideQuotes(text, "->");
        int equals = SqlNames.indexOutsideQuotes(text, "=");
        int split = arrow >= 0 ? arrow : equals;
        int width = arrow >= 0 ? 2 : 1;
        if (split < 0) {
            throw new IllegalArgumentException("mapping: '" + text
                    + "' has no '='; expected SEQUENCE=TABLE.COLUMN, for example "
                    + "billing.invoice_number_seq=billing.invoice.number");
        }
        String sequence = text.substring(0, split).trim();
        List<String> target = SqlNames.parse(text.substring(split + width).trim(), "mapping target");
        if (target.size() < 2 || target.size() > 3) {
            throw new IllegalArgumentException("mapping: '" + text
                    + "' must name TABLE.COLUMN or SCHEMA.TABLE.COLUMN after '='");
        }
        String column = SqlNames.quote(target.get(target.size() - 1));
        String table = target.size() == 3
                ? SqlNames.quote(target.get(0)) + "." + SqlNames.quote(target.get(1))
                : SqlNames.quote(target.get(0));
        return of(sequence, table, column);
    }

    /** {@return the sequence, as written (SQL syntax)} */
    public String sequence() {
        return sequence;
    }

    /** {@return the table, as written (SQL syntax)} */
    public String table() {
        return table;
    }

    /** {@return the column, as written (SQL syntax)} */
    public String column() {
        return column;
    }

    /**
     * {@return how the ids of this column come from the sequence's values, when the mapping says} For a discovered
     * mapping, the entity's generator (optimizer and {@code allocationSize}); null when the aligner's rule applies
     * ({@link AlignerConfiguration#allocation(AllocationRule)}).
     */
    public AllocationRule allocation() {
        return allocation;
    }

    /**
     * {@return the ORM entity whose ids the sequence hands out into this column, for a discovered mapping} For example
     * {@code com.acme.billing.Invoice}; null for a configured one.
     */
    public String entity() {
        return entity;
    }

    /** {@return whether an ORM module found it in the application's metadata ({@link #entity()} is set)} */
    public boolean isDiscovered() {
        return entity != null;
    }

    /** {@return a builder holding this mapping's values, to derive another from it} */
    public Builder toBuilder() {
        return builder().sequence(sequence).table(table).column(column).allocation(allocation).entity(entity);
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof SequenceMapping)) {
            return false;
        }
        SequenceMapping that = (SequenceMapping) other;
        return sequence.equals(that.sequence) && table.equals(that.table) && column.equals(that.column)
                && Objects.equals(allocation, that.allocation) && Objects.equals(entity, that.entity);
    }

    @Override
    public int hashCode() {
        return Objects.hash(sequence, table, column, allocation, entity);
    }

    /**
     * The form {@link #parse(String)} reads, {@code SEQUENCE=TABLE.COLUMN}; a rule or an entity follows in
     * brackets, for reading only.
     */
    @Override
    public String toString() {
        String text = sequence + "=" + table + "." + column;
        if (allocation == null && entity == null) {
            return text;
        }
        return text + " [" + (entity != null ? "entity " + entity : "configured")
                + (allocation != null ? ", allocation " + allocation : "") + "]";
    }

    /** Builds a {@link SequenceMapping}; sequence, table and column are required. Not thread-safe. */
    public static final class Builder {

        private String sequence;
        private String table;
        private String column;
        private AllocationRule allocation;
        private String entity;

        private Builder() {
        }

        /**
         * Sets the sequence.
         *
         * @param sequence {@code NAME} or {@code SCHEMA.NAME} in SQL syntax
         * @return this builder
         */
        public Builder sequence(String sequence) {
            this.sequence = Objects.requireNonNull(sequence, "sequence");
            return this;
        }

        /**
         * Sets the table.
         *
         * @param table {@code NAME} or {@code SCHEMA.NAME} in SQL syntax
         * @return this builder
         */
        public Builder table(String table) {
            this.table = Objects.requireNonNull(table, "table");
            return this;
        }

        /**
         * Sets the column.
         *
         * @param column the column's name in SQL syntax
         * @return this builder
         */
        public Builder column(String column) {
            this.column = Objects.requireNonNull(column, "column");
            return this;
        }

        /**
         * Sets how the column's ids come from the sequence's values.
         *
         * @param allocation the rule; null (the default) for the aligner's rule
         * @return this builder
         */
        public Builder allocation(AllocationRule allocation) {
            this.allocation = allocation;
            return this;
        }

        /**
         * Marks the mapping as discovered from an ORM entity.
         *
         * @param entity the entity's name, for example {@code com.acme.Invoice}; null (the default) for a configured
         *     mapping
         * @return this builder
         */
        public Builder entity(String entity) {
            if (entity != null && entity.isBlank()) {
                throw new IllegalArgumentException("mapping entity: must not be blank");
            }
            this.entity = entity;
            return this;
        }

        /**
         * Builds the mapping.
         *
         * @return the mapping
         * @throws NullPointerException when the sequence, table or column is missing
         * @throws IllegalArgumentException when a name is not valid SQL syntax
         */
        public SequenceMapping build() {
            return new SequenceMapping(this);
        }
    }
}
