package io.seqguard.cli;

import io.seqguard.ProgressListener;
import java.io.PrintStream;

/**
 * A one-line progress bar on stderr, for a person watching a long run at a terminal. Redraws at most ten times a
 * second and only after the first second, so short runs and pipes see nothing.
 */
final class ProgressBar implements ProgressListener {

    private static final int WIDTH = 30;
    private static final long DELAY_NANOS = 1_000_000_000L;
    private static final long INTERVAL_NANOS = 100_000_000L;

    private final PrintStream err;
    private final long delayNanos;
    private final long started = System.nanoTime();
    private long lastDrawn;
    private boolean drawn;

    ProgressBar(PrintStream err) {
        this(err, DELAY_NANOS);
    }

    ProgressBar(PrintStream err, long delayNanos) {
        this.err = err;
        this.delayNanos = delayNanos;
    }

    @Override
    public synchronized void progress(String phase, int done, int total) {
        long now = System.nanoTime();
        if (now - started < delayNanos || (now - lastDrawn < INTERVAL_NANOS && done < total) || total == 0) {
            return;
        }
        lastDrawn = now;
        int filled = (int) ((long) WIDTH * done / total);
        err.printf("\r%-14s [%s%s] %d/%d", phase, "#".repeat(filled), " ".repeat(WIDTH - filled), done, total);
        err.flush();
        drawn = true;
    }

    /** Clears the line before the report is printed. */
    synchronized void finish() {
        if (drawn) {
            err.print("\r" + " ".repeat(WIDTH + 40) + "\r");
            err.flush();
        }
    }
}
