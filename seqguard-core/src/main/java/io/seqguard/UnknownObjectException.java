package io.seqguard;

/**
 * The configuration names a schema, sequence, table or column that the database does not have (or that lies
 * outside the configured schemas), or maps a sequence to a column whose type holds no sequence's values. The message
 * names the property and the object.
 */
public class UnknownObjectException extends SeqguardException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message the property, the object, and what to do
     */
    public UnknownObjectException(String message) {
        super(message);
    }
}
