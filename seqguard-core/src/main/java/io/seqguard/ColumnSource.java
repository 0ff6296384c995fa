package io.seqguard;

/** Why seqguard knows that a sequence feeds a column. */
public enum ColumnSource {
    /** The sequence is {@code OWNED BY} the column ({@code serial}, {@code bigserial}, {@code smallserial}). */
    OWNED,
    /** The column is an identity column ({@code GENERATED ... AS IDENTITY}) backed by the sequence. */
    IDENTITY,
    /** The column's default calls {@code nextval()} on the sequence. */
    DEFAULT,
    /** The configuration maps the sequence to the column. */
    MAPPED,
    /**
     * The application's ORM metadata shows an entity whose id the sequence hands out into the column (a mapping an
     * ORM module discovered: {@link SequenceMapping#isDiscovered()}).
     */
    ENTITY
}
