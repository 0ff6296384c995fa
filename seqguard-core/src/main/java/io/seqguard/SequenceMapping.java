package io.seqguard;

import io.seqguard.internal.SqlNames;

import java.util.List;
import java.util.Objects;

/**
 * Tells seqguard which column a sequence feeds when the catalog cannot: a sequence that application code calls
 * ({@code invoice_number_seq} handed out by a service into {@code billing.invoice.number}). Names follow SQL rules:
 * unquoted parts fold to lower case, {@code "Quoted"} parts keep their case and may contain dots; a name without a
 * schema means {@code public}.
 *
 * @param sequence the sequence, for example {@code billing.invoice_number_seq}
 * @param table the table, for example {@code billing.invoice}
 * @param column the column, for example {@code number}
 */
public record SequenceMapping(String sequence, String table, String column) {

    /**
     * Checks each name, so that a malformed mapping fails where it is configured.
     *
     * @param sequence the sequence, for example {@code billing.invoice_number_seq}
     * @param table the table, for example {@code billing.invoice}
     * @param column the column, for example {@code number}
     */
    public SequenceMapping {
        Objects.requireNonNull(sequence, "sequence");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(column, "column");
        SqlNames.parseQualified(sequence, "mapping sequence");
        SqlNames.parseQualified(table, "mapping table");
        SqlNames.parse(column, "mapping column");
    }

    /**
     * Parses {@code SEQUENCE=TABLE.COLUMN} (also {@code SEQUENCE -> TABLE.COLUMN}), for example
     * {@code billing.invoice_number_seq=billing.invoice.number}.
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
        return new SequenceMapping(sequence, table, column);
    }

    /** The form {@link #parse(String)} reads. */
    @Override
    public String toString() {
        return sequence + "=" + table + "." + column;
    }
}
