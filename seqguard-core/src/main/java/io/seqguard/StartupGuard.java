package io.seqguard;

import io.seqguard.internal.GuardRunner;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an application from starting against sequences that lag their data, typically the first boot after a
 * migration or cutover. Run it before the application takes connections for its own work, or wrap the pool in a
 * {@link GuardedDataSource} that runs it on the first {@code getConnection()}.
 *
 * <pre>{@code
 * GuardResult result = StartupGuard.configure()
 *         .dataSource(pool)
 *         .load()
 *         .run();   // throws StartupGuardException when start-up must not go on
 * }</pre>
 *
 * <p>What {@link #run()} does, in order:
 * <ol>
 *   <li>Mode {@link GuardMode#OFF}: nothing, no connection.</li>
 *   <li>Reads the server: database, version, {@code pg_is_in_recovery()}, the primary's identity
 *       ({@link PrimaryIdentity}), the enabled subscriptions of this database, and, with the journal, whether this
 *       primary is known. Logs {@code first boot against primary X} or {@code known primary X}.</li>
 *   <li>A standby is never changed: {@link StandbyAction} decides (default: verify, fail on drift, and say that repair
 *       belongs to the primary).</li>
 *   <li>An enabled subscription means the cutover is not finished: {@link SubscriptionAction} decides (default:
 *       refuse, naming it).</li>
 *   <li>Takes the seqguard advisory lock ({@link #ADVISORY_LOCK_KEY}, transaction level, in a transaction that stays
 *       open on a connection of its own until the run ends, so that the lock ends with it whatever happens, also
 *       through a transaction-pooling proxy): exclusive to repair, shared to verify, so that many instances booting
 *       at once repair one at a time and a verifying instance waits for a repairing one. The wait polls without
 *       holding a transaction open and is bounded by {@link GuardConfiguration#lockWaitTimeout(Duration)}. A run
 *       whose lock connection dies is no longer serialized and fails.</li>
 *   <li>Repairs reading each table once: every forward-only statement checks the sequence where it stands, so an
 *       instance that comes after another one repaired finds everything aligned and passes (no instance fails
 *       because another repaired first), and a sequence that running instances advanced with {@code nextval()}
 *       while it was read is left where it is and counts as aligned. With a source or blocked writers it verifies
 *       first (read-only) and reads again only the sequences found behind.</li>
 *   <li>Repairs (or verifies), releases the lock, writes the journal row, returns a {@link GuardResult}; or throws a
 *       {@link StartupGuardException} whose message lists each lagging sequence and the fix.</li>
 * </ol>
 *
 * <p>Every wait is bounded: each statement by the aligner's statement timeout, each lock wait by its lock timeout or
 * the lock wait timeout, and the whole run by {@link GuardConfiguration#timeLimit(Duration)}: the work runs on a
 * thread of its own and {@link #run()} returns (throws) when the time limit passes, whatever the database does.
 *
 * <p>A guard is immutable and thread-safe; each {@link #run()} is a new run.
 */
public final class StartupGuard {

    /**
     * The key of the PostgreSQL advisory lock every seqguard guard takes on a database ({@code "seqguard"} in ASCII,
     * as a bigint), so that all instances of all applications on one database serialize. In {@code pg_locks} it shows
     * as {@code locktype = 'advisory'}, {@code classid = 1936028007}, {@code objid = 1969320548},
     * {@code objsubid = 1}.
     */
    public static final long ADVISORY_LOCK_KEY = 0x7365716775617264L;

    private static final Logger log = LoggerFactory.getLogger(StartupGuard.class);

    private final GuardConfiguration configuration;
    private final SequenceAligner aligner;

    StartupGuard(GuardConfiguration configuration, SequenceAligner aligner) {
        this.configuration = configuration;
        this.aligner = aligner;
    }

    /**
     * Starts a configuration; finish it with {@link GuardConfiguration#load()}.
     *
     * @return a new configuration
     */
    public static GuardConfiguration configure() {
        return new GuardConfiguration();
    }

    /**
     * Runs the guard once.
     *
     * @return what happened, when the application may start
     * @throws StartupGuardException when it may not: drift in mode verify or on a standby, repairs that failed, an
     *     enabled subscription, a lock wait or time limit that passed, a database that cannot be reached or read
     */
    public GuardResult run() {
        return run(null, false);
    }

    /**
     * Runs the guard as the first of two runs of a start-up, for a framework whose ORM step then calls
     * {@link #runAgain(AlignmentReport)} with the entities' mappings. Everything is as in {@link #run()}, the refusal
     * included, except the journal: a refusal only for want of mappings
     * ({@link StartupGuardException#isOnlyForWantOfMappings()}), which the second run may lift, is recorded with the
     * outcome {@code awaiting_mappings} instead of {@code failed_incomplete}, so that a healthy start-up journals no
     * failure. The caller decides whether to wait for its ORM step; a start-up that never gets there leaves that row
     * alone, with what the run moved.
     *
     * @return what happened, when the application may start
     * @throws StartupGuardException as {@link #run()}
     */
    public GuardResult runBeforeMappings() {
        return run(null, true);
    }

    /**
     * Runs the guard again after an earlier run of this start-up on the same database, reading only the sequences
     * this guard's {@linkplain AlignerConfiguration#mappings(java.util.Collection) mappings} name: for a framework
     * whose ORM step adds the entities' mappings after a first run that guarded the database before anything could
     * write. The mappings change the columns and allocation rules of those sequences alone, so the others keep what
     * the earlier run found or did: no other table is read twice, and a lock the earlier run waited for is not waited
     * for again. A sequence the earlier run did not see is read too: one created since, or dropped and created again
     * (same name, another oid), as Hibernate's schema management ({@code ddl-auto=create}, with {@code import.sql})
     * does between the two runs. A sequence the earlier run could not verify because no column used it is judged
     * again as well, which reads no table the earlier run read. Everything else is as in {@link #run()}: the lock,
     * the policies, the journal, whose row for this run names only what this run moved.
     *
     * <p>The result's report is the earlier report with those sequences judged again in their place, a sequence a
     * mapping names that the database lacks added, and a sequence the earlier run moved still shown as moved; its
     * duration, and the result's, count the earlier run's time too. Its
     * verdict decides, so a sequence the earlier run could not verify and no mapping names still keeps the
     * application from starting (as {@link GuardConfiguration#onIncomplete(IncompleteAction)} says).
     *
     * @param earlier the earlier run's report: its {@link GuardResult#report()}, or the refusal's
     *     {@link StartupGuardException#report()}; null, a report of another database (by name) or one seqguard did not
     *     make runs the whole database as {@link #run()} does
     * @return what happened, when the application may start
     * @throws StartupGuardException as {@link #run()}
     */
    public GuardResult runAgain(AlignmentReport earlier) {
        return run(earlier, false);
    }

    private GuardResult run(AlignmentReport earlier, boolean mappingsFollow) {
        Instant startedAt = Instant.now();
        long t0 = System.nanoTime();
        if (configuration.getMode() == GuardMode.OFF) {
            log.info("seqguard startup guard is off: sequences are not checked");
            return GuardRunner.off(startedAt, Duration.ofNanos(System.nanoTime() - t0));
        }
        GuardRunner runner = new GuardRunner(configuration, aligner, earlier, startedAt, t0);
        if (mappingsFollow) {
            runner.mappingsFollow();
        }
        CompletableFuture<GuardResult> outcome = new CompletableFuture<>();
        Thread worker = new Thread(() -> {
            try {
                outcome.complete(runner.run());
            } catch (Throwable e) {
                outcome.completeExceptionally(e);
            }
        }, "seqguard-startup-guard");
        worker.setDaemon(true);
        worker.start();
        long limit = configuration.getTimeLimit().toMillis();
        try {
            return outcome.get(limit, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            runner.abandon();
            String message = "seqguard startup guard did not finish within timeLimit (" + limit + " ms); it was "
                    + runner.step() + ". The work under way stops at its own statement and lock timeouts and is safe "
                    + "to repeat; raise timeLimit, or find what blocks the database (pg_stat_activity, pg_locks).";
            log.debug(message); // thrown, not logged as well: the caller says it once
            throw new StartupGuardException(StartupGuardException.Reason.TIME_LIMIT, message, null, null, false,
                    List.of());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            runner.abandon();
            throw new StartupGuardException(StartupGuardException.Reason.TIME_LIMIT,
                    "seqguard startup guard was interrupted while " + runner.step(), null, e, false, List.of());
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof StartupGuardException) {
                throw (StartupGuardException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw new StartupGuardException(StartupGuardException.Reason.DATABASE_ERROR, "seqguard startup guard "
                    + "(mode " + configuration.getMode().name().toLowerCase(Locale.ROOT) + ") failed while "
                    + runner.step() + ": " + cause.getMessage(), null, cause, false, List.of());
        }
    }

    /** {@return a copy of the configuration this guard was loaded with} */
    public GuardConfiguration configuration() {
        return new GuardConfiguration(configuration);
    }

    /** {@return the aligner the guard runs; null in mode {@link GuardMode#OFF}} */
    public SequenceAligner aligner() {
        return aligner;
    }
}
