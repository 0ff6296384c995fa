package io.seqguard.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether a person watches: Java tells whether standard input and output are a terminal, not standard error. */
final class Terminal {

    private Terminal() {
    }

    /**
     * Whether standard error is a terminal: where {@code /proc} exists (Linux), what file descriptor 2 points to;
     * elsewhere whether the JVM has a console (standard input and output at a terminal).
     */
    static boolean stderrIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return System.console() != null;
        }
    }
}
