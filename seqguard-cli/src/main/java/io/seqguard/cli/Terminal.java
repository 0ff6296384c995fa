package io.seqguard.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether a person watches or types: Java tells whether standard input and output are a terminal, not each alone. */
final class Terminal {

    private Terminal() {
    }

    /**
     * Whether standard error is a terminal: where {@code /proc} exists (Linux), what file descriptor 2 points to;
     * elsewhere whether the JVM has a console (standard input and output at a terminal).
     */
    static boolean stderrIsTerminal() {
        return isTerminal(2);
    }

    /**
     * Whether file descriptor 0, 1 or 2 is a terminal: where {@code /proc} exists (Linux), what it points to;
     * elsewhere whether the JVM has a console (standard input and output at a terminal).
     */
    static boolean isTerminal(int descriptor) {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + descriptor)).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return System.console() != null;
        }
    }
}
