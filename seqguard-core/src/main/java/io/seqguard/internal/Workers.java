package io.seqguard.internal;

import io.seqguard.SeqguardException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * Spreads chunks of work over {@code jobs} connections: the caller's session is one of them, so {@code jobs}
 * workers hold {@code jobs} connections in all (a small pool at start-up must not run dry). The cost is on the
 * server, one backend per connection; this is the lever beyond one backend's speed.
 */
final class Workers {

    private Workers() {
    }

    /** Work on one chunk with one session. */
    @FunctionalInterface
    interface Work<T> {
        void run(Session session, T chunk);
    }

    static <T> void run(List<T> chunks, int jobs, Session caller, Supplier<Session> sessions, Work<T> work) {
        ConcurrentLinkedQueue<T> queue = new ConcurrentLinkedQueue<>(chunks);
        int workers = Math.min(jobs, queue.size());
        if (workers == 0) {
            return;
        }
        if (workers == 1) {
            drain(caller, queue, work);
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(workers - 1, runnable -> {
            Thread thread = new Thread(runnable, "seqguard-worker");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 1; i < workers; i++) {
                futures.add(pool.submit(() -> {
                    try (Session session = sessions.get()) {
                        drain(session, queue, work);
                    }
                }));
            }
            drain(caller, queue, work);
            for (Future<?> future : futures) {
                future.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SeqguardException("Interrupted while working on the database", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException) {
                throw (RuntimeException) e.getCause();
            }
            throw new SeqguardException("Working on the database failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private static <T> void drain(Session session, ConcurrentLinkedQueue<T> queue, Work<T> work) {
        for (T chunk = queue.poll(); chunk != null; chunk = queue.poll()) {
            work.run(session, chunk);
        }
    }
}
