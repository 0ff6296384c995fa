package io.seqguard.internal;

import io.seqguard.AlignerConfiguration;
import io.seqguard.AlignmentReport;
import io.seqguard.GuardConfiguration;
import io.seqguard.GuardMode;
import io.seqguard.GuardOutcome;
import io.seqguard.GuardResult;
import io.seqguard.IncompleteAction;
import io.seqguard.Operation;
import io.seqguard.PrimaryIdentity;
import io.seqguard.RepairAction;
import io.seqguard.SeqguardException;
import io.seqguard.SequenceAligner;
import io.seqguard.SequenceReport;
import io.seqguard.StandbyAction;
import io.seqguard.StartupGuard;
import io.seqguard.StartupGuardException;
import io.seqguard.Verdict;
import io.seqguard.Vocabulary;

import io.seqguard.StartupGuardException.Reason;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of the {@link StartupGuard}, on the worker thread: server facts, standby and subscription rules, the
 * advisory lock, the aligner, the journal. Everything it does to the borrowed connection is undone before the
 * connection goes back to the pool: settings are {@code SET LOCAL}, the lock ends with its transaction (or the
 * connection is aborted when that fails), auto-commit and the driver's prepare threshold are restored.
 */
public final class GuardRunner {

    private static final Logger log = LoggerFactory.getLogger(StartupGuard.class);

    private static final String FACTS = "SELECT current_database(), current_setting('server_version'), "
            + "pg_is_in_recovery(), current_setting('application_name')";
    private static final String SYSTEM_IDENTIFIER = "SELECT system_identifier::text FROM pg_control_system()";
    private static final String FALLBACK_IDENTITY = "SELECT 'fallback:' || coalesce(host(inet_server_addr()), 'local')"
            + " || ':' || coalesce(inet_server_port()::text, current_setting('port')) || '/' || d.oid::text"
            + " || coalesce('/' || nullif(current_setting('cluster_name', true), ''), '')"
            + " FROM pg_database d WHERE d.datname = current_database()";
    /** Only columns granted to every role: {@code subconninfo} is not readable by plain roles. */
    private static final String ENABLED_SUBSCRIPTIONS = "SELECT subname, quote_ident(subname) FROM pg_subscription"
            + " WHERE subenabled AND subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())"
            + " ORDER BY subname";
    private static final String LOCK_HOLDERS = "SELECT l.pid, l.mode, a.application_name, a.client_addr::text,"
            + " a.backend_start FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid"
            + " WHERE l.locktype = 'advisory' AND l.granted AND l.classid::bigint = ? AND l.objid::bigint = ?"
            + " AND l.objsubid = 1 AND l.pid <> pg_backend_pid()"
            + " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) ORDER BY l.pid";

    private final GuardConfiguration config;
    private final SequenceAligner aligner;
    private final Instant startedAt;
    private final long t0;
    private final long deadline;
    private final long statementMillis;
    private final long lockMillis;

    private volatile String step = "starting";
    private volatile boolean abandoned;

    // what the run learned, for the result and the journal
    private String database;
    private String serverVersion;
    private String application;
    private boolean standby;
    private List<String> subscriptions = List.of();
    private final List<String> subscriptionIdents = new ArrayList<>();
    private PrimaryIdentity primary;
    private boolean waited;
    private Duration lockWait = Duration.ZERO;
    private final List<String> notes = new ArrayList<>();

    public GuardRunner(GuardConfiguration config, SequenceAligner aligner, Instant startedAt, long t0) {
        this.config = config;
        this.aligner = aligner;
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

    public GuardResult run() {
        step = "borrowing a connection from the data source";
        Connection connection;
        try {
            connection = Session.connect(config.getDataSource());
        } catch (SQLException e) {
            throw refuse(Reason.DATABASE_ERROR, "seqguard startup guard could not borrow a connection: "
                    + DriverMessages.clause(e) + ". Check the JDBC URL, user, password and that the server accepts "
                    + "connections; the guard holds one connection for its lock and the aligner needs at least one "
                    + "more (jobs for full speed).", null, e);
        }
        GuardSession session;
        try {
            session = new GuardSession(connection);
        } catch (SQLException e) {
            Transactions.closeQuietly(connection);
            throw refuse(Reason.DATABASE_ERROR, "seqguard startup guard could not prepare its "
                    + "connection: " + e.getMessage(), null, e);
        }
        GuardJournal journal = null;
        try {
            try {
                step = "reading the server's state";
                readServer(session);
                if (config.isJournal()) {
                    step = "opening the journal " + config.getJournalTable();
                    journal = GuardJournal.open(session,
                            SqlNames.parseQualified(config.getJournalTable(), "journalTable"), !standby,
                            statementMillis, lockMillis, notes);
                }
                primary = identify(session, journal);
                log.info("seqguard startup guard: {} (database {}, PostgreSQL {}{}, application {})",
                        primary.describe(), database, serverVersion, standby ? ", standby" : "", application);
                Decision decision = decide(session);
                journal(session, journal, decision.applied, decision.outcome.name(), decision.report,
                        decision.report != null ? decision.report.toString() : "nothing checked");
                GuardResult result = result(decision);
                log.info("{}", result);
                return result;
            } catch (StartupGuardException e) {
                journal(session, journal, config.getMode(), abandoned ? "ABANDONED" : "FAILED_" + e.reason().name(),
                        e.report(), e.getMessage());
                log.error(e.getMessage());
                throw e;
            } catch (SeqguardException e) {
                StartupGuardException failure = refuse(Reason.DATABASE_ERROR,
                        "seqguard startup guard (mode " + lower(config.getMode()) + ") failed while " + step + ": "
                                + e.getMessage(), null, e);
                journal(session, journal, config.getMode(), "FAILED_DATABASE_ERROR", null, failure.getMessage());
                log.error(failure.getMessage());
                throw failure;
            } catch (SQLException e) {
                StartupGuardException failure = refuse(Reason.DATABASE_ERROR,
                        "seqguard startup guard (mode " + lower(config.getMode()) + ") failed while " + step + ": "
                                + e.getMessage() + Engine.hint(e, words()), null, e);
                journal(session, journal, config.getMode(), "FAILED_DATABASE_ERROR", null, failure.getMessage());
                log.error(failure.getMessage());
                throw failure;
            }
        } finally {
            session.close();
        }
    }

    private void readServer(GuardSession session) throws SQLException {
        session.inTransaction(statementMillis, lockMillis, c -> {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(FACTS)) {
                rs.next();
                database = rs.getString(1);
                serverVersion = rs.getString(2);
                standby = rs.getBoolean(3);
                String connectionName = rs.getString(4);
                application = config.getApplicationName() != null ? config.getApplicationName()
                        : connectionName == null || connectionName.isBlank() ? "unknown" : connectionName;
            }
            return null;
        });
        if (!standby) {
            // a standby replays the primary's catalog; its subscriptions do not run there
            subscriptions = readSubscriptions(session);
        }
    }

    private List<String> readSubscriptions(GuardSession session) {
        try {
            return session.inTransaction(statementMillis, lockMillis, c -> {
                List<String> names = new ArrayList<>();
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(ENABLED_SUBSCRIPTIONS)) {
                    while (rs.next()) {
                        names.add(rs.getString(1));
                        subscriptionIdents.add(rs.getString(2));
                    }
                }
                return names;
            });
        } catch (SQLException e) {
            String note = "could not check pg_subscription for enabled subscriptions (" + e.getMessage()
                    + "); going on as if there were none";
            log.warn("seqguard startup guard: {}", note);
            notes.add(note);
            return List.of();
        }
    }

    private PrimaryIdentity identify(GuardSession session, GuardJournal journal) throws SQLException {
        String id;
        boolean fromSystemIdentifier;
        try {
            id = session.inTransaction(statementMillis, lockMillis, c -> single(c, SYSTEM_IDENTIFIER));
            fromSystemIdentifier = true;
        } catch (SQLException e) {
            log.info("seqguard startup guard: pg_control_system() is not readable ({}); identifying the primary by "
                    + "address, port and database oid instead", e.getMessage());
            id = session.inTransaction(statementMillis, lockMillis, c -> single(c, FALLBACK_IDENTITY));
            fromSystemIdentifier = false;
        }
        if (journal == null) {
            return new Primary(id, fromSystemIdentifier, PrimaryIdentity.Recognition.UNKNOWN, null, null);
        }
        return journal.recognize(session, id, fromSystemIdentifier, notes);
    }

    private static String single(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** What the run did, before the result is assembled. */
    private static final class Decision {
        final GuardMode applied;
        final GuardOutcome outcome;
        final AlignmentReport report;

        Decision(GuardMode applied, GuardOutcome outcome, AlignmentReport report) {
            this.applied = applied;
            this.outcome = outcome;
            this.report = report;
        }
    }

    private Decision decide(GuardSession session) throws SQLException {
        checkAbandoned();
        GuardMode mode = config.getMode();
        if (standby) {
            return onStandby(session, mode);
        }
        GuardMode applied = mode;
        if (!subscriptions.isEmpty()) {
            String names = quotedList(subscriptions);
            switch (config.getOnEnabledSubscription()) {
                case REFUSE:
                    throw refuse(Reason.SUBSCRIPTION, "seqguard startup guard refuses to "
                            + (mode == GuardMode.REPAIR ? "repair" : "verify") + " database " + database
                            + ": enabled subscription(s) " + names + " still feed it, so the cutover is not finished "
                            + "and rows with explicit ids keep arriving. Finish the cutover first ("
                            + disableStatements() + ")" + orSet("onEnabledSubscription", "proceed, verify or skip")
                            + ".", null, null);
                case SKIP:
                    notes.add("enabled subscription(s) " + names + ": guard skipped ("
                            + words().name("onEnabledSubscription") + " skip)");
                    log.warn("seqguard startup guard: enabled subscription(s) {} feed database {}; sequences are not "
                            + "checked ({} skip)", names, database, words().name("onEnabledSubscription"));
                    return new Decision(GuardMode.OFF, GuardOutcome.SKIPPED, null);
                case VERIFY:
                    notes.add("enabled subscription(s) " + names + ": verified only ("
                            + words().name("onEnabledSubscription") + " verify)");
                    applied = GuardMode.VERIFY;
                    break;
                default:
                    notes.add("enabled subscription(s) " + names + " still feed the database ("
                            + words().name("onEnabledSubscription") + " proceed): values replicated after this run are "
                            + "not covered");
                    log.warn("seqguard startup guard: enabled subscription(s) {} still feed database {}; going on "
                            + "({} proceed)", names, database, words().name("onEnabledSubscription"));
            }
        }
        boolean exclusive = applied == GuardMode.REPAIR;
        lock(session, exclusive);
        try {
            checkAbandoned();
            if (exclusive) {
                return repair(session);
            }
            step = "verifying database " + database;
            AlignmentReport report = aligner.plan();
            if (report.verdict() == Verdict.DRIFT) {
                throw refuse(Reason.DRIFT, "seqguard startup guard (mode " + lower(applied)
                        + ") refuses start-up: " + problems(report) + fixStatements(report), report, null);
            }
            requireLock(session, report);
            return verified(applied, GuardOutcome.ALIGNED, report);
        } finally {
            session.unlock();
        }
    }

    private Decision repair(GuardSession session) throws SQLException {
        // look first (read-only), repair only what is still behind: after another instance repaired, and at every
        // ordinary boot, nothing needs a read-write transaction
        step = "verifying database " + database + (waited ? " after waiting for another instance" : "");
        AlignmentReport report = aligner.verify();
        if (report.verdict() != Verdict.DRIFT) {
            if (waited && report.isAligned()) {
                notes.add("another instance held the seqguard lock; afterwards every sequence was aligned");
            }
            requireLock(session, report);
            // a repair that found nothing to move is still the repair the user asked for
            return verified(GuardMode.REPAIR, GuardOutcome.ALIGNED, AlignmentResult.of(report, Operation.REPAIR));
        }
        checkAbandoned();
        requireLock(session, report);
        step = "repairing database " + database;
        // under the lock, read again only what the verify found behind: each table is read once more at most
        java.util.Set<String> behind = new java.util.HashSet<>();
        for (SequenceReport s : report.withStatus(io.seqguard.SequenceStatus.BEHIND)) {
            behind.add(s.qualifiedName());
        }
        report = AlignmentResult.merge(report, new Engine(aligner.configuration()).run(Operation.REPAIR, behind));
        requireLock(session, report);
        List<SequenceReport> failed = report.withAction(RepairAction.FAILED);
        if (!failed.isEmpty()) {
            throw refuse(Reason.REPAIR_FAILED, "seqguard startup guard could not repair "
                    + failed.size() + " sequence(s) in database " + database + " (moved "
                    + report.withAction(RepairAction.REPAIRED).size() + "); nothing was moved backwards and running "
                    + "the guard again is safe. " + problems(report), report, null);
        }
        if (report.verdict() == Verdict.DRIFT) {
            throw refuse(Reason.DRIFT, "seqguard startup guard (mode repair) refuses start-up: "
                    + "what remains cannot be repaired by moving sequences forward. " + problems(report), report,
                    null);
        }
        return verified(GuardMode.REPAIR, report.withAction(RepairAction.REPAIRED).isEmpty()
                ? GuardOutcome.ALIGNED : GuardOutcome.REPAIRED, report);
    }

    /**
     * The decision for a run that found nothing behind: its outcome, unless some sequence could not be verified. Then
     * start-up fails ({@link IncompleteAction#FAIL}) or goes on with the sequences named at WARN.
     */
    private Decision verified(GuardMode applied, GuardOutcome outcome, AlignmentReport report) {
        if (report.verdict() != Verdict.INCOMPLETE) {
            return new Decision(applied, outcome, report);
        }
        String repaired = outcome == GuardOutcome.REPAIRED
                ? " It moved " + report.withAction(RepairAction.REPAIRED).size() + " sequence(s) forward first." : "";
        if (config.getOnIncomplete() == IncompleteAction.FAIL) {
            throw refuse(Reason.INCOMPLETE, "seqguard startup guard (mode " + lower(config.getMode())
                    + ") refuses start-up: the run is incomplete." + repaired + " " + problems(report)
                    + "\nTo go on while some sequences stay unverified, acknowledge them by name ("
                    + words().name("allowUnverified") + ")" + orSet("onIncomplete", "warn") + ".", report, null);
        }
        List<SequenceReport> unverified = report.unverified();
        notes.add(unverified.size() + " sequence(s) could not be verified (" + words().name("onIncomplete")
                + " warn lets start-up go on): " + ReportText.names(unverified));
        log.warn("seqguard startup guard: the run is incomplete; start-up goes on ({} warn).{} {}",
                words().name("onIncomplete"), repaired, problems(report));
        return new Decision(applied, GuardOutcome.INCOMPLETE_TOLERATED, report);
    }

    private Decision onStandby(GuardSession session, GuardMode mode) throws SQLException {
        String standbyText = "this server is a standby (in recovery); repair belongs to the primary: run the guard "
                + "against the primary";
        StandbyAction action = config.getOnStandby();
        switch (action) {
            case FAIL:
                throw refuse(Reason.STANDBY, "seqguard startup guard refuses start-up: "
                        + standbyText + (words().option("onStandby") == null ? "." : " (" + words().name("onStandby")
                                + " fail refuses every standby)."), null, null);
            case SKIP:
                notes.add("standby: guard skipped (" + words().name("onStandby") + " skip)");
                log.warn("seqguard startup guard: {}; sequences are not checked ({} skip)", standbyText,
                        words().name("onStandby"));
                return new Decision(GuardMode.OFF, GuardOutcome.SKIPPED, null);
            default:
                break;
        }
        if (mode == GuardMode.REPAIR) {
            log.warn("seqguard startup guard: {}; verifying only", standbyText);
        }
        notes.add("standby: verified only; repair belongs to the primary");
        step = "verifying standby database " + database;
        AlignmentReport report = aligner.plan();
        if (report.verdict() != Verdict.DRIFT) {
            return verified(GuardMode.VERIFY, GuardOutcome.ALIGNED, report);
        }
        String prefix = mode == GuardMode.REPAIR
                ? "seqguard startup guard refuses to repair: " + standbyText + ". Verified here instead: "
                : "seqguard startup guard (mode verify) on a standby (in recovery): ";
        String suffix = mode == GuardMode.REPAIR ? ""
                : "\nRepair belongs to the primary: run the guard (mode repair) or the statements below against the "
                        + "primary.";
        String message = prefix + problems(report) + suffix + fixStatements(report);
        if (action == StandbyAction.WARN) {
            notes.add("sequences lag (" + words().name("onStandby") + " warn lets start-up go on)");
            log.warn("{}", message);
            return new Decision(GuardMode.VERIFY, GuardOutcome.DRIFT_TOLERATED, report);
        }
        throw refuse(mode == GuardMode.REPAIR ? Reason.STANDBY : Reason.DRIFT, message, report,
                null);
    }

    private void lock(GuardSession session, boolean exclusive) throws SQLException {
        step = "asking for the seqguard lock";
        if (session.tryLock(exclusive, statementMillis)) {
            return;
        }
        long remaining = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
        long waitMillis = Math.min(config.getLockWaitTimeout().toMillis(), remaining);
        String holders = describeHolders(session);
        step = "waiting up to " + waitMillis + " ms for the seqguard lock, held by " + holders;
        log.info("seqguard startup guard: another instance holds the seqguard lock ({}); waiting up to {} ms",
                holders, waitMillis);
        long w0 = System.nanoTime();
        waited = true;
        boolean got = session.awaitLock(exclusive, statementMillis, waitMillis, () -> abandoned);
        lockWait = Duration.ofNanos(System.nanoTime() - w0);
        if (!got) {
            checkAbandoned();
            throw refuse(Reason.LOCK_TIMEOUT, "seqguard startup guard: another instance has "
                    + "held the seqguard lock for " + lockWait.toSeconds() + " s (at least; "
                    + words().name("lockWaitTimeout") + " " + config.getLockWaitTimeout().toMillis() + " ms): "
                    + describeHolders(session) + ". It is probably repairing a large database: raise "
                    + words().name("lockWaitTimeout") + ", or see what that session does in pg_stat_activity (a "
                    + "stuck one can be ended with pg_terminate_backend(pid)).", null, null);
        }
    }

    /**
     * A run that lost the lock is no longer serialized with the other instances: it fails rather than report what
     * it found or did as the serialized outcome. What it repaired stays (forward only, never backwards).
     */
    private void requireLock(GuardSession session, AlignmentReport report) {
        String loss = session.lockLoss();
        if (loss != null) {
            throw refuse(Reason.DATABASE_ERROR, "seqguard startup guard lost the seqguard lock while " + step + ": "
                    + loss + ". From then on the run was not serialized with other instances, so it fails. Nothing "
                    + "was moved backwards and running the guard again is safe; if it recurs, find what ends that "
                    + "connection (pg_terminate_backend, a proxy's timeouts such as PgBouncer's "
                    + "idle_transaction_timeout or server_lifetime, a network cut).", report, null);
        }
    }

    private String describeHolders(GuardSession session) {
        try {
            return session.inTransaction(statementMillis, lockMillis, c -> {
                List<String> holders = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement(LOCK_HOLDERS)) {
                    ps.setLong(1, StartupGuard.ADVISORY_LOCK_KEY >>> 32);
                    ps.setLong(2, StartupGuard.ADVISORY_LOCK_KEY & 0xffffffffL);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            String name = rs.getString(3);
                            holders.add("pid " + rs.getInt(1) + " (" + rs.getString(2)
                                    + (name != null && !name.isEmpty() ? ", application '" + name + "'" : "")
                                    + (rs.getString(4) != null ? ", from " + rs.getString(4) : "")
                                    + (rs.getTimestamp(5) != null
                                            ? ", connected since " + rs.getTimestamp(5).toInstant() : "")
                                    + ")");
                        }
                    }
                }
                return holders.isEmpty() ? "a session that has released it meanwhile" : String.join(", ", holders);
            });
        } catch (SQLException e) {
            return "another session (pg_locks not readable: " + e.getMessage() + ")";
        }
    }

    private void journal(GuardSession session, GuardJournal journal, GuardMode applied, String outcome,
            AlignmentReport report, String message) {
        if (journal == null) {
            return;
        }
        if (standby) {
            notes.add("journal not written: a standby is read-only");
            return;
        }
        String failure = journal.write(session, new GuardJournal.Entry(startedAt, primary, application,
                config.getMode(), applied, outcome, report, message, elapsed()), statementMillis, lockMillis);
        if (failure != null) {
            notes.add(failure);
        }
    }

    private GuardResult result(Decision decision) {
        return new GuardRunResult(config.getMode(), decision.applied, decision.outcome, database, serverVersion, primary,
                standby, subscriptions, waited, lockWait, decision.report, startedAt, elapsed(), notes);
    }

    private void checkAbandoned() {
        if (abandoned) {
            throw refuse(Reason.TIME_LIMIT, "seqguard startup guard abandoned: the time limit ("
                    + config.getTimeLimit().toMillis() + " ms) passed while " + step, null, null);
        }
    }

    private Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    private String disableStatements() {
        List<String> statements = new ArrayList<>();
        for (String ident : subscriptionIdents) {
            statements.add("ALTER SUBSCRIPTION " + ident + " DISABLE");
        }
        return String.join("; ", statements);
    }

    private static String quotedList(List<String> names) {
        List<String> quoted = new ArrayList<>();
        for (String name : names) {
            quoted.add("'" + name + "'");
        }
        return String.join(", ", quoted);
    }

    private static String fixStatements(AlignmentReport report) {
        String sql = report.toSql();
        return sql.isEmpty() ? "" : "\nStatements that fix it (forward-only, safe to run more than once):\n" + sql;
    }

    private Vocabulary words() {
        return config.getVocabulary();
    }

    /** ", or set OPTION to VALUES" where the interface in use has the option; empty where it has not. */
    private String orSet(String method, String values) {
        String option = words().option(method);
        return option == null ? "" : ", or set " + option + " to " + values;
    }

    private String problems(AlignmentReport report) {
        return ReportText.problems(report, words());
    }

    private static String lower(GuardMode mode) {
        return mode.name().toLowerCase(Locale.ROOT);
    }

    /** A refusal carrying what this run learned so far (standby, subscriptions), for failure analyzers. */
    private StartupGuardException refuse(Reason reason, String message, AlignmentReport report, Throwable cause) {
        return Exceptions.refusal(reason, message, report, cause, standby, subscriptions);
    }
}
