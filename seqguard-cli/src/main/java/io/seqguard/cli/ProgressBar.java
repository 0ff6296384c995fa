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
    /** The phase padded to the longest the engine names, so the bar stays in place from one phase to the next. */
    private static final String LINE = "\r%s%-" + Math.max(READING_CATALOG.length(), Math.max(READING_DATA.length(),
            REPAIRING.length())) + "s [%s%s] %d/%d";

    private final PrintStream err;
    private final long delayNanos;
    private final long started = System.nanoTime();
    private long lastDrawn;
    private boolean drawn;
    /** What the bar is about, before the phase (the database of a run over several); empty for none. */
    private String label = "";

    ProgressBar(PrintStream err) {
        this(err, DELAY_NANOS);
    }

    ProgressBar(PrintStream err, long delayNanos) {
        this.err = err;
        this.delayNanos = delayNanos;
    }

    /**
     * A bar for a person at a terminal: when standard error is one (a report piped or redirected elsewhere keeps
     * its progress on the screen), else none.
     */
    static ProgressBar forTerminal() {
        return Terminal.stderrIsTerminal() ? new ProgressBar(System.err) : null;
    }

    /** Shows {@code text} before the phase from now on (the database being read, in a run over several). */
    synchronized void label(String text) {
        label = text.isEmpty() ? "" : text + ": ";
    }

    /** Prints a line of its own (above the bar, which the next progress redraws). */
    synchronized void line(String text) {
        finish();
        err.println(text);
        err.flush();
    }

    @Override
    public synchronized void progress(String phase, int done, int total) {
        long now = System.nanoTime();
        if (now - started < delayNanos || (now - lastDrawn < INTERVAL_NANOS && done < total) || total == 0) {
            return;
        }
        lastDrawn = now;
        int filled = (int) ((long) WIDTH * done / total);
        err.printf(LINE, label, phase, "#".repeat(filled), " ".repeat(WIDTH - filled), done, total);
        err.flush();
        drawn = true;
    }

    /** Clears the line before the report is printed. */
    synchronized void finish() {
        if (drawn) {
            err.print("\r" + " ".repeat(WIDTH + 40 + label.length()) + "\r");
            err.flush();
            drawn = false;
        }
    }
}
