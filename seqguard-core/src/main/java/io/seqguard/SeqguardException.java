package io.seqguard;

import io.seqguard.internal.Exceptions;

/**
 * A failure seqguard cannot work around: the database could not be reached or read, the configuration names
 * something that does not exist, a time limit passed. The message says what happened, to which object, and what to
 * do.
 */
public class SeqguardException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    static {
        // seqguard's internals make the API's exceptions through this; their constructors are not public
        Exceptions.register(new ExceptionMaker());
    }

    /**
     * @param message what happened, to which object, and what to do
     */
    public SeqguardException(String message) {
        super(message);
    }

    /**
     * @param message what happened, to which object, and what to do
     * @param cause the underlying failure
     */
    public SeqguardException(String message, Throwable cause) {
        super(message, cause);
    }
}
