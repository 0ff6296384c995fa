package io.seqguard.test;

import java.time.Duration;

/**
 * Waits for a condition that another process makes true a moment later: a standby replaying WAL, a closed
 * connection's backend exiting, a thread reaching a pool. Tests poll such conditions with a deadline rather than
 * sleep a fixed time, so they pass as soon as the server is done and fail with a message that names what never
 * happened.
 */
public final class Await {

    /** The first pause between polls; it doubles up to {@link #MAX_PAUSE_MILLIS}, so fast conditions stay fast. */
    private static final long FIRST_PAUSE_MILLIS = 5;
    private static final long MAX_PAUSE_MILLIS = 100;

    private Await() {
    }

    /** A condition to poll. An exception counts as "not yet": the server may still be starting or replaying. */
    @FunctionalInterface
    public interface Condition {
        /**
         * Checks the condition once.
         *
         * @return whether it holds
         * @throws Exception when it cannot be checked yet
         */
        boolean holds() throws Exception;
    }

    /**
     * Polls the condition until it holds.
     *
     * @param what what is awaited, for the failure message ("the standby to replay table t")
     * @param timeout how long to wait at most
     * @param condition the condition to poll
     * @throws AssertionError when the condition does not hold in time; the last exception it threw is the cause
     */
    public static void until(String what, Duration timeout, Condition condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = FIRST_PAUSE_MILLIS;
        Exception last = null;
        while (true) {
            try {
                if (condition.holds()) {
                    return;
                }
                last = null; // checked and false: an earlier failure is no longer the news
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted while waiting for " + what, e);
                }
                last = e;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("waited " + timeout.toMillis() + " ms for " + what + ", in vain"
                        + (last == null ? "" : "; the last check failed with: " + last.getMessage()), last);
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
            pause = Math.min(MAX_PAUSE_MILLIS, pause * 2);
        }
    }
}
