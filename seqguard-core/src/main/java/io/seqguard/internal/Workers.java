package io.seqguard.internal;

import io.seqguard.SeqguardException;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * Spreads chunks of work over {@code jobs} connections for the whole of one run: the caller's session is one of them,
 * so {@code jobs} workers hold {@code jobs} connections in all (a small pool at start-up must not run dry). The other
 * connections open in the background as soon as the workers exist, while the caller reads the catalog, and stay open
 * from one step to the next. The cost is on the server, one backend per connection; this is the lever beyond one
 * backend's speed.
 */
final class Workers implements AutoCloseable {

    /** Work on one chunk with one session. */
    @FunctionalInterface
    interface Work<T> {
        void run(Session session, T chunk) throws SQLException;
    }

    private final Session caller;
    private final ExecutorService pool;
    private final List<CompletableFuture<Session>> helpers = new ArrayList<>();

    /** Starts opening {@code jobs - 1} more sessions in the background. */
    Workers(int jobs, Session caller, Supplier<Session> sessions) {
        this.caller = caller;
        if (jobs <= 1) {
            this.pool = null;
            return;
        }
        this.pool = Executors.newFixedThreadPool(jobs - 1, runnable -> {
            Thread thread = new Thread(runnable, "seqguard-worker");
            thread.setDaemon(true);
            return thread;
        });
        for (int i = 1; i < jobs; i++) {
            int number = i + 1;
            helpers.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return sessions.get();
                } catch (SeqguardException e) {
                    throw new SeqguardException("Could not open connection " + number + " of " + jobs + " (jobs = "
                            + jobs + "): " + e.getMessage() + " seqguard works on " + jobs + " connections at once: "
                            + "lower jobs, or let the data source (pool size, role connection limit) lend " + jobs
                            + ".", e);
                }
            }, pool));
        }
    }

    /** How many sessions work at once. */
    int size() {
        return helpers.size() + 1;
    }

    /** Runs every chunk on one of the sessions, the caller's among them, and returns when all are done. */
    <T> void run(List<T> chunks, Work<T> work) throws SQLException {
        ConcurrentLinkedQueue<T> queue = new ConcurrentLinkedQueue<>(chunks);
        int others = Math.min(helpers.size(), queue.size() - 1);
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < others; i++) {
            CompletableFuture<Session> helper = helpers.get(i);
            futures.add(pool.submit(() -> {
                Session session;
                try {
                    session = session(helper);
                } catch (RuntimeException e) {
                    queue.clear(); // it could not connect: fail the run now, not after the caller did all the work
                    throw e;
                }
                drain(session, queue, work);
                return null;
            }));
        }
        Throwable failure = null;
        try {
            drain(caller, queue, work);
        } catch (SQLException | RuntimeException | Error e) {
            failure = e;
        }
        // wait for every worker even after a failure: none may still use its session when the run ends
        for (Future<?> future : futures) {
            try {
                future.get();
            } catch (ExecutionException e) {
                failure = failure == null ? e.getCause() : failure;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                queue.clear();
                failure = failure == null
                        ? new SeqguardException("Interrupted while working on the database", e) : failure;
            }
        }
        if (failure != null) {
            throw rethrow(failure);
        }
    }

    private static <T> void drain(Session session, ConcurrentLinkedQueue<T> queue, Work<T> work)
            throws SQLException {
        try {
            for (T chunk = queue.poll(); chunk != null; chunk = queue.poll()) {
                work.run(session, chunk);
            }
        } catch (SQLException | RuntimeException | Error e) {
            queue.clear(); // the others stop at their next chunk
            throw e;
        }
    }

    private static Session session(CompletableFuture<Session> helper) {
        try {
            return helper.join();
        } catch (CompletionException e) {
            throw rethrowUnchecked(e.getCause());
        }
    }

    private static SQLException rethrow(Throwable cause) throws SQLException {
        if (cause instanceof SQLException) {
            throw (SQLException) cause;
        }
        throw rethrowUnchecked(cause);
    }

    private static RuntimeException rethrowUnchecked(Throwable cause) {
        if (cause instanceof RuntimeException) {
            return (RuntimeException) cause;
        }
        if (cause instanceof Error) {
            throw (Error) cause;
        }
        return new SeqguardException("Working on the database failed: " + cause, cause);
    }

    /**
     * Closes the sessions this opened; one still connecting (a pool waiting for a free connection) is closed when it
     * arrives, so a run that did not need it does not wait for it. The caller's session stays open.
     */
    @Override
    public void close() {
        if (pool == null) {
            return;
        }
        for (CompletableFuture<Session> helper : helpers) {
            helper.whenComplete((session, failure) -> {
                if (session != null) {
                    session.close();
                }
            });
        }
        pool.shutdown();
    }
}
