package io.seqguard.internal;

import io.seqguard.AlignerConfiguration;
import io.seqguard.AlignmentReport;
import io.seqguard.GuardConfiguration;
import io.seqguard.GuardMode;
import io.seqguard.GuardOutcome;
import io.seqguard.GuardResult;
import io.seqguard.Operation;
import io.seqguard.PrimaryIdentity;
import io.seqguard.RepairAction;
import io.seqguard.SeqguardException;
import io.seqguard.SequenceAligner;
import io.seqguard.SequenceReport;
import io.seqguard.SequenceStatus;
import io.seqguard.StartupGuard;
import io.seqguard.StartupGuardException;
import io.seqguard.StartupGuardException.Reason;
import io.seqguard.UnknownObjectException;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of the {@link StartupGuard}, on the worker thread: it reads the server's facts ({@link ServerFacts}), lets
 * the {@link GuardPolicy} decide, takes the advisory lock, runs the aligner, and journals; what it says is
 * {@link GuardMessages}'. Everything it does to the borrowed connection is undone before the connection goes back
 * to the pool: settings are {@code SET LOCAL}, the lock ends with its transaction (or the connection is aborted when
 * that fails), auto-commit and the driver's prepare threshold are restored.
 */
public final class GuardRunner {

    /** The journal outcome of a first run that waits for the ORM step's mappings ({@link #mappingsFollow()}). */
    private static final String AWAITING_MAPPINGS = "AWAITING_MAPPINGS";

    private static final Logger log = LoggerFactory.getLogger(StartupGuard.class);

    private final GuardConfiguration config;
    private final SequenceAligner aligner;
    private final AlignmentReport earlier;
    /** After an earlier run: this run's own report, before it was put in the earlier one's place. */
    private AlignmentReport own;
    private final Instant startedAt;
    private final long t0;
    private final long deadline;
    private final long statementMillis;
    private final long lockMillis;

    private volatile String step = "starting";
    private volatile boolean abandoned;
    /** Whether a run with the entities' mappings follows this one ({@link #mappingsFollow()}). */
    private boolean mappingsFollow;

    // what the run learned, for the result, the journal and the refusals
    private ServerFacts facts;
    private GuardMessages messages;
    private String application;
    private PrimaryIdentity primary;
    private boolean waited;
    private Duration lockWait = Duration.ZERO;
    private final List<String> notes = new ArrayList<>();

    public GuardRunner(GuardConfiguration config, SequenceAligner aligner, Instant startedAt, long t0) {
        this(config, aligner, null, startedAt, t0);
    }

    /**
     * @param earlier the report of an earlier run of this start-up on the same database; this run then reads only the
     *     sequences the mappings name, and reports them in that report's place ({@link Engine#runMapped}); null for a
     *     run of the whole database
     */
    public GuardRunner(GuardConfiguration config, SequenceAligner aligner, AlignmentReport earlier, Instant startedAt,
            long t0) {
        this.config = config;
        this.aligner = aligner;
        this.earlier = earlier;
        this.startedAt = startedAt;
        this.t0 = t0;
        this.deadline = t0 + config.getTimeLimit().toNanos();
        AlignerConfiguration alignerConfig = aligner.configuration();
        this.statementMillis = alignerConfig.getStatementTimeout().toMillis();
        this.lockMillis = alignerConfig.getLockTimeout().toMillis();
    }

    /** What the run is doing, for a time-limit message. */
    public String step() {
        return step;
    }

    /** The caller gave up (time limit): stop at the next step, release everything, journal it. */
    public void abandon() {
        abandoned = true;
    }

    /** The result of a guard in mode off, which connects to nothing. */
    public static GuardResult off(Instant startedAt, Duration duration) {
        return new GuardRunResult(GuardMode.OFF, GuardMode.OFF, GuardOutcome.SKIPPED, null, null, null, false,
                List.of(), false, Duration.ZERO, null, startedAt, duration, List.of("mode off"));
    }

    /**
     * Marks this run as the first of a framework's two, which its ORM step completes with the entities' mappings: a
     * refusal only for want of mappings is journaled as {@code awaiting_mappings}, not as a failure.
     *
     * @return this runner
     */
    public GuardRunner mappingsFollow() {
        mappingsFollow = true;
        return this;
    }

    public GuardResult run() {
        step = "borrowing a connection from the data source";
        Connection connection;
        try {
            connection = Session.connect(config.getDataSource());
        } catch (SQLException e) {
            throw refuse(Reason.DATABASE_ERROR, GuardMessages.borrowFailed(config.getVocabulary(), e), null, e);
        }
        GuardSession session;
        try {
            session = new GuardSession(connection);
        } catch (SQLException e) {
            Transactions.closeQuietly(connection);
            throw refuse(Reason.DATABASE_ERROR, GuardMessages.prepareFailed(config.getVocabulary(), e), null, e);
        }
        GuardJournal journal = null;
        try {
            try {
                step = "reading the server's state";
                facts = ServerFacts.read(session, statementMillis, lockMillis);
                messages = new GuardMessages(config, facts);
                notes.addAll(facts.problems());
                application = applicationName();
                if (config.isJournal()) {
                    step = "opening the journal " + config.getJournalTable();
                    journal = GuardJournal.open(session,
                            SqlNames.parseQualified(config.getJournalTable(), "journalTable"), !facts.standby(),
                            statementMillis, lockMillis, notes);
                }
                primary = journal == null
                        ? new Primary(facts.id(), facts.fromSystemIdentifier(), PrimaryIdentity.Recognition.UNKNOWN,
                                null, null)
                        : journal.recognize(session, facts.id(), facts.fromSystemIdentifier(), notes);
                log.info("seqguard startup guard: {} (database {}, PostgreSQL {}{}, application {})",
                        primary.describe(), facts.database(), facts.serverVersion(), facts.standby() ? ", standby" : "",
                        application);
                Outcome outcome = guard(session);
                journalOwn(session, journal, outcome);
                // a report that holds an earlier run's work too counts its time: "in all" is never less
                GuardResult result = new GuardRunResult(config.getMode(), outcome.applied, outcome.outcome,
                        facts.database(), facts.serverVersion(), primary, facts.standby(), facts.subscriptionNames(),
                        waited, lockWait, outcome.report, startedAt,
                        own == null ? elapsed() : elapsed().plus(earlier.duration()), notes);
                log.info("{}", result);
                return result;
            } catch (StartupGuardException e) {
                // after an earlier run, this run's own moves: the earlier one journaled its own
                String outcome = journalOutcome(e);
                // nothing was refused yet: the ORM step judges what this run could not
                journal(session, journal, config.getMode(), outcome, own != null ? own : e.report(),
                        outcome.equals(AWAITING_MAPPINGS) ? GuardMessages.awaitingMappings(e) : e.getMessage());
                // thrown, not logged as well: the caller says it once (a failure analysis, the command's one line),
                // and a refusal the caller expects (a first run before the ORM step) must not alert anyone
                log.debug("seqguard startup guard: {}", e.getMessage());
                throw e;
            } catch (UnknownObjectException e) {
                // a setting names what the database lacks: nothing failed while running, nothing was read or moved
                throw failed(session, journal, GuardMessages.misconfigured(config.getVocabulary(), config.getMode(),
                        facts == null ? null : facts.database(), e.getMessage()), e);
            } catch (SeqguardException e) {
                throw failed(session, journal, GuardMessages.failedWhile(config.getVocabulary(), config.getMode(), step,
                        e.getMessage()), e);
            } catch (SQLException e) {
                throw failed(session, journal, GuardMessages.failedWhile(config.getVocabulary(), config.getMode(), step,
                        e.getMessage() + Engine.hint(e, config.getVocabulary())), e);
            }
        } finally {
            session.close();
        }
    }

    /** A refusal's journal outcome: not a failure when the run with the entities' mappings that follows may lift it. */
    private String journalOutcome(StartupGuardException e) {
        if (abandoned) {
            return "ABANDONED";
        }
        return mappingsFollow && e.isOnlyForWantOfMappings() ? AWAITING_MAPPINGS : "FAILED_" + e.reason().name();
    }

    private StartupGuardException failed(GuardSession session, GuardJournal journal, String message, Exception e) {
        StartupGuardException failure = refuse(Reason.DATABASE_ERROR, message, null, e);
        journal(session, journal, config.getMode(), "FAILED_DATABASE_ERROR", null, failure.getMessage());
        log.debug("seqguard startup guard: {}", failure.getMessage());
        return failure;
    }

    private String applicationName() {
        if (config.getApplicationName() != null) {
            return config.getApplicationName();
        }
        String name = facts.connectionApplicationName();
        return name == null || name.isBlank() ? "unknown" : name;
    }

    /** How a run that let the application start ended. */
    private record Outcome(GuardMode applied, GuardOutcome outcome, AlignmentReport report) {
    }

    /** The policy's decision, carried out: refuse, skip, or check under the lock. */
    private Outcome guard(GuardSession session) throws SQLException {
        checkAbandoned();
        GuardPolicy.Decision decision = GuardPolicy.decide(config.getMode(), config.getOnStandby(),
                config.getOnEnabledSubscription(), config.getOnPendingSequenceSync(), facts.standby(),
                !facts.enabledSubscriptions().isEmpty(), !facts.pendingSequenceSyncs().isEmpty(),
                !facts.citusShardTransfers().isEmpty());
        if (!facts.sequenceSubscriptions().isEmpty()) {
            // on 19, any later REFRESH SEQUENCES undoes a repair: say so on every run, whatever is decided
            notes.add(messages.sequenceSubscriptionNote());
            log.warn("seqguard startup guard: {}", messages.sequenceSubscriptionNote());
        }
        if (decision.kind() == GuardPolicy.Kind.REFUSE) {
            throw refuse(decision.refusal(), messages.refusal(decision), null, null);
        }
        for (GuardPolicy.Rule rule : decision.syncRule() == null ? List.of(decision.rule())
                : List.of(decision.rule(), decision.syncRule())) {
            String note = messages.ruleNote(rule);
            if (note != null) {
                notes.add(note);
            }
            String warning = messages.ruleWarning(rule);
            if (warning != null) {
                log.warn("seqguard startup guard: {}", warning);
            }
        }
        if (decision.kind() == GuardPolicy.Kind.SKIP) {
            return new Outcome(GuardMode.OFF, GuardOutcome.SKIPPED, null);
        }
        lock(session, decision.exclusive());
        try {
            checkAbandoned();
            AlignmentReport report;
            if (decision.exclusive()) {
                report = repair(session);
            } else {
                step = "verifying " + (facts.standby() ? "standby " : "") + "database " + facts.database();
                report = align(Operation.PLAN);
            }
            requireLock(session, report);
            return consequence(decision, report);
        } finally {
            session.unlock();
        }
    }

    /**
     * Repairs under the lock, reading each table once. Without a source or blocked writers that is one pass, as
     * {@link SequenceAligner#repair()} runs it: each chunk's data, then its sequences' states, then its forward-only
     * statements, in one transaction; a sequence already far enough (another instance repaired it, or the
     * application's {@code nextval()} moved it meanwhile) is left alone by the statement itself. With a source (read
     * after the target) or blocked writers (the locking repair re-reads under the table lock), it looks first
     * read-only and then re-reads only what it found behind.
     */
    private AlignmentReport repair(GuardSession session) throws SQLException {
        AlignerConfiguration alignerConfig = aligner.configuration();
        if (alignerConfig.getSource() == null && !alignerConfig.isBlockWritersDuringRepair()) {
            step = "repairing database " + facts.database() + (waited ? " after waiting for another instance" : "");
            AlignmentReport report = align(Operation.REPAIR);
            if (waited && report.isAligned() && report.withAction(RepairAction.REPAIRED).isEmpty()) {
                notes.add("another instance held the seqguard lock; afterwards every sequence was aligned");
            }
            requireLock(session, report);
            return failedRepairs(report);
        }
        step = "verifying database " + facts.database() + (waited ? " after waiting for another instance" : "");
        AlignmentReport report = align(Operation.VERIFY);
        if (report.withStatus(SequenceStatus.BEHIND).isEmpty()) {
            if (waited && report.isAligned()) {
                notes.add("another instance held the seqguard lock; afterwards every sequence was aligned");
            }
            // a repair that found nothing to move is still the repair the user asked for
            return AlignmentResult.of(report, Operation.REPAIR);
        }
        checkAbandoned();
        requireLock(session, report);
        step = "repairing database " + facts.database();
        Set<String> behind = new HashSet<>();
        for (SequenceReport s : report.withStatus(SequenceStatus.BEHIND)) {
            behind.add(s.qualifiedName());
        }
        AlignmentReport repaired = engine().run(Operation.REPAIR, behind);
        report = AlignmentResult.merge(report, repaired);
        if (own != null) {
            own = AlignmentResult.merge(own, repaired);
        }
        requireLock(session, report);
        return failedRepairs(report);
    }

    /**
     * The verb on the whole database; after an earlier run of this start-up, on the sequences the mappings name only,
     * in the earlier report's place: the others' tables are not read again.
     */
    private AlignmentReport align(Operation operation) {
        Set<Long> seen = earlier == null ? null : seen(earlier);
        if (seen == null) {
            return engine().run(operation);
        }
        own = engine().runMapped(operation, seen);
        return AlignmentResult.merge(earlier, own);
    }

    /** The aligner's engine, told whether the ORM step's run follows this one. */
    private Engine engine() {
        return new Engine(aligner.configuration(), mappingsFollow);
    }

    /**
     * The oids of the sequences the earlier run read, but for the ones {@linkplain SequenceReport#usedByNoColumn() used
     * by no column}: those are judged again, which reads no table the earlier run read, so that what they say is said
     * after the ORM step, not before it.
     * Null when the report says nothing of this database (another database, or a report seqguard did not make), which
     * is then read whole.
     */
    private Set<Long> seen(AlignmentReport report) {
        if (!report.database().equals(facts.database())) {
            return null;
        }
        Set<Long> oids = new HashSet<>();
        for (SequenceReport s : report.sequences()) {
            if (!(s instanceof SequenceResult result)) {
                return null;
            }
            if (!s.usedByNoColumn()) {
                oids.add(result.oid());
            }
        }
        return oids;
    }

    /** The repair's report, or the refusal naming the sequences it could not move. */
    private AlignmentReport failedRepairs(AlignmentReport report) {
        int failed = report.withAction(RepairAction.FAILED).size();
        if (failed > 0) {
            throw refuse(Reason.REPAIR_FAILED, messages.repairFailed(report, failed), report, null);
        }
        return report;
    }

    /** What the check's verdict means for start-up ({@link GuardPolicy#consequence}). */
    private Outcome consequence(GuardPolicy.Decision decision, AlignmentReport report) {
        boolean repaired = !report.withAction(RepairAction.REPAIRED).isEmpty();
        switch (GuardPolicy.consequence(decision, config.getMode(), report.verdict(), config.getOnIncomplete())) {
            case REFUSE_DRIFT:
                throw refuse(Reason.DRIFT, messages.drift(decision, report), report, null);
            case REFUSE_STANDBY:
                throw refuse(Reason.STANDBY, messages.drift(decision, report), report, null);
            case REFUSE_INCOMPLETE:
                throw refuse(Reason.INCOMPLETE, messages.incomplete(report, movedBeforeOrmStep(report)), report, null);
            case START_DESPITE_DRIFT:
                notes.add(messages.driftToleratedNote());
                log.warn("{}", messages.drift(decision, report));
                return new Outcome(decision.applied(), GuardOutcome.DRIFT_TOLERATED, report);
            case START_DESPITE_INCOMPLETE:
                notes.add(messages.incompleteNote(report));
                log.warn("seqguard startup guard: {}", messages.incompleteWarning(report, movedBeforeOrmStep(report)));
                return new Outcome(decision.applied(), GuardOutcome.INCOMPLETE_TOLERATED, report);
            default:
                return new Outcome(decision.applied(), repaired ? GuardOutcome.REPAIRED : GuardOutcome.ALIGNED,
                        report);
        }
    }

    /**
     * How many of the moves in this start-up's report the first run, before its ORM step, made; 0 without one. The
     * report holds that run's moves but for a sequence dropped and created since (it is this run's now), and this
     * run's own.
     */
    private int movedBeforeOrmStep(AlignmentReport report) {
        return own == null ? 0 : Math.max(0, report.withAction(RepairAction.REPAIRED).size()
                - own.withAction(RepairAction.REPAIRED).size());
    }

    private void lock(GuardSession session, boolean exclusive) throws SQLException {
        step = "asking for the seqguard lock";
        if (session.tryLock(exclusive, statementMillis)) {
            return;
        }
        long remaining = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
        long waitMillis = Math.min(config.getLockWaitTimeout().toMillis(), remaining);
        String holders = session.lockHolders(statementMillis, lockMillis);
        step = "waiting up to " + waitMillis + " ms for the seqguard lock, held by " + holders;
        log.info("seqguard startup guard: another instance holds the seqguard lock ({}); waiting up to {} ms",
                holders, waitMillis);
        long w0 = System.nanoTime();
        waited = true;
        boolean got = session.awaitLock(exclusive, statementMillis, waitMillis, () -> abandoned);
        lockWait = Duration.ofNanos(System.nanoTime() - w0);
        if (!got) {
            checkAbandoned();
            String stillHolding = session.lockHolders(statementMillis, lockMillis);
            throw refuse(Reason.LOCK_TIMEOUT, messages.lockTimeout(lockWait, stillHolding), null, null);
        }
    }

    /**
     * A run that lost the lock is no longer serialized with the other instances: it fails rather than report what
     * it found or did as the serialized outcome. What it repaired stays (forward only, never backwards).
     */
    private void requireLock(GuardSession session, AlignmentReport report) {
        String loss = session.lockLoss();
        if (loss != null) {
            throw refuse(Reason.DATABASE_ERROR, GuardMessages.lockLost(config.getVocabulary(), step, loss), report,
                    null);
        }
    }

    /**
     * Journals what this run did: after an earlier run of this start-up, its own report, so that what the earlier one
     * moved (and journaled) is not counted twice.
     */
    private void journalOwn(GuardSession session, GuardJournal journal, Outcome outcome) {
        AlignmentReport report = own != null ? own : outcome.report;
        GuardOutcome said = own != null && outcome.outcome == GuardOutcome.REPAIRED
                && own.withAction(RepairAction.REPAIRED).isEmpty() ? GuardOutcome.ALIGNED : outcome.outcome;
        journal(session, journal, outcome.applied, said.name(), report,
                report != null ? report.toString() : "nothing checked");
    }

    private void journal(GuardSession session, GuardJournal journal, GuardMode applied, String outcome,
            AlignmentReport report, String message) {
        if (journal == null) {
            return;
        }
        if (facts.standby()) {
            notes.add("journal not written: a standby is read-only");
            return;
        }
        String failure = journal.write(session, new GuardJournal.Entry(startedAt, primary, application,
                config.getMode(), applied, outcome, report, message, elapsed()), statementMillis, lockMillis);
        if (failure != null) {
            notes.add(failure);
        }
    }

    private void checkAbandoned() {
        if (abandoned) {
            throw refuse(Reason.TIME_LIMIT, messages.abandoned(step), null, null);
        }
    }

    /** How long this run took. */
    private Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    /** A refusal carrying what this run learned so far (standby, subscriptions), for failure analyzers. */
    private StartupGuardException refuse(Reason reason, String message, AlignmentReport report, Throwable cause) {
        return Exceptions.refusal(reason, message, report, cause, facts != null && facts.standby(),
                facts == null ? List.of() : facts.subscriptionNames());
    }
}
