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
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spreads chunks of work over up to {@code jobs} connections for the whole of one run: the caller's session is one of
 * them, so {@code jobs} workers hold {@code jobs} connections in all (a small pool at start-up must not run dry). The
 * other connections are asked for when there is first more than one chunk of work, open in the background while the
 * caller works, join in as they arrive and stay open from one step to the next. The cost is on the server, one backend
 * per connection; this is the lever beyond one backend's speed.
 *
 * <p>{@code jobs} is an upper bound, not a demand: a connection the data source cannot lend (pool exhausted, role
 * connection limit) is reported at WARN and the work goes on with the others, and a run never waits for a connection
 * once its work is done.
 */
final class Workers implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger("io.seqguard.SequenceAligner");

    /** Work on one chunk with one session. */
    @FunctionalInterface
    interface Work<T> {
        void run(Session session, T chunk) throws SQLException;
    }

    private final int jobs;
    private final Session caller;
    private final Supplier<Session> sessions;
    private final List<CompletableFuture<Session>> helpers = new ArrayList<>();
    private ExecutorService pool;

    Workers(int jobs, Session caller, Supplier<Session> sessions) {
        this.jobs = jobs;
        this.caller = caller;
        this.sessions = sessions;
    }

    /** How many sessions may work at once. */
    int size() {
        return jobs;
    }

    /** Runs every chunk on one of the sessions, the caller's among them, and returns when all are done. */
    <T> void run(List<T> chunks, Work<T> work) throws SQLException {
        ConcurrentLinkedQueue<T> queue = new ConcurrentLinkedQueue<>(chunks);
        List<CompletableFuture<Session>> wanted = helpers(Math.min(jobs - 1, queue.size() - 1));
        List<CompletableFuture<Void>> drains = new ArrayList<>();
        for (CompletableFuture<Session> helper : wanted) {
            drains.add(helper.thenAcceptAsync(session -> {
                try {
                    drain(session, queue, work);
                } catch (SQLException e) {
                    throw new CompletionException(e);
                }
            }, pool));
        }
        Throwable failure = null;
        try {
            drain(caller, queue, work);
        } catch (SQLException | RuntimeException | Error e) {
            failure = e;
        }
        // The queue is empty now. Wait for every helper that has its session (it may still be in a chunk); one whose
        // session has not arrived finds nothing left to do, so the run does not wait for the data source.
        boolean interrupted = false;
        for (int i = 0; i < drains.size(); i++) {
            if (!wanted.get(i).isDone() || wanted.get(i).isCompletedExceptionally()) {
                continue;
            }
            while (true) {
                try {
                    drains.get(i).get();
                    break;
                } catch (InterruptedException e) {
                    // stop handing out chunks, but let those under way end before their sessions close
                    interrupted = true;
                    queue.clear();
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause() instanceof CompletionException && e.getCause().getCause() != null
                            ? e.getCause().getCause() : e.getCause();
                    if (failure == null) {
                        failure = cause;
                    } else if (failure != cause) {
                        failure.addSuppressed(cause);
                    }
                    break;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
            if (failure == null) {
                failure = new SeqguardException("Interrupted while working on the database; what was done is safe "
                        + "to keep and running again is safe");
            }
        }
        if (failure != null) {
            throw rethrow(failure);
        }
    }

    /** The first {@code count} helper sessions, asking for those not asked for yet. */
    private synchronized List<CompletableFuture<Session>> helpers(int count) {
        if (count <= 0) {
            return List.of();
        }
        if (pool == null) {
            pool = Executors.newFixedThreadPool(jobs - 1, runnable -> {
                Thread thread = new Thread(runnable, "seqguard-worker");
                thread.setDaemon(true);
                return thread;
            });
        }
        while (helpers.size() < count) {
            int number = helpers.size() + 2;
            CompletableFuture<Session> helper = CompletableFuture.supplyAsync(sessions, pool);
            helper.whenComplete((session, e) -> {
                if (e != null) {
                    Throwable cause = e;
                    while (cause.getCause() != null) {
                        cause = cause.getCause(); // the driver's own words, not our wrapping
                    }
                    log.warn("seqguard could not open connection {} of {} (jobs = {}) and goes on with fewer ({}). "
                            + "Let the data source (pool size, role connection limit) lend {} connections at once "
                            + "(one more for the startup guard's lock), or lower jobs.", number, jobs, jobs,
                            DriverMessages.clause(cause), jobs);
                }
            });
            helpers.add(helper);
        }
        return new ArrayList<>(helpers.subList(0, count));
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

    private static SQLException rethrow(Throwable cause) throws SQLException {
        if (cause instanceof SQLException) {
            throw (SQLException) cause;
        }
        if (cause instanceof RuntimeException) {
            throw (RuntimeException) cause;
        }
        if (cause instanceof Error) {
            throw (Error) cause;
        }
        throw new SeqguardException("Working on the database failed: " + cause, cause);
    }

    /**
     * Closes the sessions this opened; one still connecting (a pool waiting for a free connection) is closed when it
     * arrives, so a run that did not need it does not wait for it. The caller's session stays open.
     */
    @Override
    public synchronized void close() {
        for (CompletableFuture<Session> helper : helpers) {
            helper.whenComplete((session, failure) -> {
                if (session != null) {
                    session.close();
                }
            });
        }
        if (pool != null) {
            pool.shutdown();
        }
    }
}
