package io.seqguard.internal;

/** The driver's words inside seqguard's own sentences. */
final class DriverMessages {

    private DriverMessages() {
    }

    /**
     * The message as a clause that seqguard's sentence goes on after: without its final full stop (pgjdbc ends
     * many messages with one, and "refused.. Check" reads as a typo), never null.
     */
    static String clause(Throwable e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return e.getClass().getSimpleName();
        }
        message = message.strip();
        return message.endsWith(".") && !message.endsWith("..") ? message.substring(0, message.length() - 1)
                : message;
    }
}
