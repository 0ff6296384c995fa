package io.seqguard.internal;

import io.seqguard.AlignerConfiguration;
import io.seqguard.AlignmentReport;
import io.seqguard.CutoverConfiguration;
import io.seqguard.CutoverException;
import io.seqguard.CutoverException.Reason;
import io.seqguard.CutoverResult;
import io.seqguard.GuardConfiguration;
import io.seqguard.GuardMode;
import io.seqguard.GuardResult;
import io.seqguard.SeqguardException;
import io.seqguard.StandbyAction;
import io.seqguard.StartupGuard;
import io.seqguard.SubscriptionAction;
import io.seqguard.UnknownObjectException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link io.seqguard.Cutover}'s steps: the old primary's state, the subscription, the wait until it has applied
 * everything the old primary had written, PostgreSQL 19's last sequence synchronization, disabling the
 * subscription, the guard's repair with the old primary as witness, and the final verify.
 */
public final class CutoverRunner {

    private static final Logger log = LoggerFactory.getLogger("io.seqguard.Cutover");

    /** Rows written on the old primary: read-only transactions commit too, so commits would count monitoring. */
    private static final String ROWS_WRITTEN = "SELECT coalesce(tup_inserted + tup_updated + tup_deleted, 0), "
            + "pg_is_in_recovery(), current_database(), current_setting('server_version'), "
            + "current_setting('server_version_num')::int FROM pg_stat_database WHERE datname = current_database()";
    private static final String SUBSCRIPTION = "SELECT s.subenabled, s.subslotname, quote_ident(s.subname) "
            + "FROM pg_subscription s WHERE s.subname = ? "
            + "AND s.subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())";
    private static final String TABLES_NOT_READY = "SELECT count(*) FROM pg_subscription_rel r "
            + "JOIN pg_subscription s ON s.oid = r.srsubid JOIN pg_class c ON c.oid = r.srrelid "
            + "WHERE s.subname = ? AND c.relkind <> 'S' AND r.srsubstate NOT IN ('r', 's')";
    private static final String SEQUENCES_NOT_READY = "SELECT count(*) FILTER (WHERE r.srsubstate <> 'r'), count(*) "
            + "FROM pg_subscription_rel r JOIN pg_subscription s ON s.oid = r.srsubid "
            + "JOIN pg_class c ON c.oid = r.srrelid WHERE s.subname = ? AND c.relkind = 'S'";
    private static final String SLOT_BEHIND = "SELECT pg_wal_lsn_diff(?::pg_lsn, confirmed_flush_lsn) "
            + "FROM pg_replication_slots WHERE slot_name = ?";
    /** How long the old primary's row counters must stand still before the cutover believes writes have stopped. */
    private static final long QUIET_MILLIS = 2_000;
    private static final int QUIET_WINDOWS = 3;
    private static final long POLL_MILLIS = 200;
    private static final int STEPS = 6;

    private final CutoverConfiguration config;
    private final List<String> steps = new ArrayList<>();
    /** When catchUpTimeout ends: counted from the first step. */
    private long deadline;

    public CutoverRunner(CutoverConfiguration config) {
        this.config = config;
    }

    public CutoverResult run() {
        GuardConfiguration guard = guardConfiguration();
        // the guard's options are checked against the new primary before anything changes: met only at the repair,
        // an unknown schema would fail after step 5 had disabled the subscription
        try {
            new Engine(guard.load().aligner().configuration()).checkScope();
        } catch (UnknownObjectException e) {
            UnknownObjectException said = new UnknownObjectException("seqguard cutover changed nothing: on the new "
                    + "primary, " + e.getMessage());
            said.initCause(e);
            throw said;
        }
        deadline = System.nanoTime() + config.getCatchUpTimeout().toNanos();
        // named as the user gave it: oldPrimary(...) in the API, --source on the command line
        try (Connection source = connect(config.getOldPrimary(), guard.getVocabulary().name("oldPrimary")
                + " (the old primary)");
                Connection target = connect(config.getNewPrimary(), "the new primary")) {
            Object[] old = query(source, ROWS_WRITTEN, null);
            if ((Boolean) old[1]) {
                throw refuse(Reason.SOURCE_IS_STANDBY, "the old primary is a standby (in recovery): the cutover reads "
                        + "the publisher's WAL position and replication slot, so point it at the old primary itself");
            }
            long rows = (Long) old[0];
            int sourceVersion = (Integer) old[4];
            step(1, "old primary: database " + old[2] + ", PostgreSQL " + old[3] + ", not in recovery");

            Object[] sub = query(target, SUBSCRIPTION, config.getSubscription());
            if (sub == null || sub[1] == null) {
                throw refuse(Reason.SUBSCRIPTION_NOT_FOUND, sub == null
                        ? "the new primary has no subscription named '" + config.getSubscription() + "' in its "
                                + "database: check the name (SELECT subname FROM pg_subscription)"
                        : "subscription '" + config.getSubscription() + "' uses no replication slot, so how far it "
                                + "has applied cannot be told");
            }
            String ident = (String) sub[2];
            String slot = (String) sub[1];
            if (!(Boolean) sub[0]) {
                // the likeliest cause is a cutover that already finished: say that first, since enabling
                // replication again once the application writes here would bring the old primary's rows back
                throw refuse(Reason.SUBSCRIPTION_DISABLED, "subscription '" + config.getSubscription() + "' is "
                        + "disabled, so it cannot catch up with the old primary. If an earlier cutover disabled it "
                        + "after its repair, that cutover is done: verify this database, and do not enable the "
                        + "subscription again once the application writes here. Otherwise enable it (ALTER "
                        + "SUBSCRIPTION " + ident + " ENABLE) and run the cutover again, or, if it had caught up "
                        + "before it was disabled, repair with the old primary as witness");
            }
            if (config.isDisableSubscription()) {
                // the repair refuses a database any other enabled subscription feeds (Citus's own shard moves
                // aside): met there, after step 5 had disabled this one, the cutover would stop with replication off
                List<String> others = new ArrayList<>();
                for (ServerFacts.Subscription other : Transactions.run(target, Transactions.limits(60_000, 10_000),
                        ServerFacts::enabledSubscriptions)) {
                    if (!other.citusShardTransfer() && !other.name().equals(config.getSubscription())) {
                        others.add(SqlNames.printable(other.ident()));
                    }
                }
                if (!others.isEmpty()) {
                    throw refuse(Reason.OTHER_SUBSCRIPTION_ENABLED, "subscription(s) " + String.join(", ", others)
                            + " also feed this database and are enabled, and the repair refuses a database that "
                            + "replication still feeds. Cut over one subscription at a time: run the cutover of each "
                            + "other one without disabling it (it waits until that one has caught up and stops before "
                            + "the repair), disable it as it says, then run this cutover again; nothing was changed");
                }
            }
            int targetVersion = version(target);
            step(2, "subscription '" + config.getSubscription() + "' (slot " + slot + ") is enabled"
                    + (config.isDisableSubscription() ? ", and no other one feeds this database" : ""));

            rows = awaitQuiet(source, rows);
            String lsn = marker(source);
            step(3, "old primary: no rows written for " + QUIET_MILLIS / 1000 + " s; waiting until the subscription "
                    + "has applied everything up to " + lsn);
            awaitApplied(source, target, slot, lsn, rows);
            step(3, "the subscription has applied everything up to " + lsn + " and copied every table");

            if (targetVersion >= SequenceSync.SINCE && sourceVersion >= SequenceSync.SINCE) {
                synchronizeSequences(target, ident);
            } else {
                step(4, "no sequence synchronization: it exists from PostgreSQL 19 on");
            }

            if (!config.isDisableSubscription()) {
                String statement = "ALTER SUBSCRIPTION " + ident + " DISABLE";
                step(5, "stopped before the repair: the subscription is still enabled, and a repair refuses a database "
                        + "replication still feeds. Run " + statement + ", then repair (or run the cutover again and "
                        + "let it disable the subscription)");
                return new Result(steps, true, statement, null, null);
            }
            autocommit(target, "ALTER SUBSCRIPTION " + ident + " DISABLE");
            step(5, "subscription '" + config.getSubscription() + "' disabled");
        } catch (SQLException e) {
            throw new SeqguardException("seqguard cutover failed after " + steps.size() + " step(s): "
                    + e.getMessage() + Engine.hint(e, io.seqguard.Vocabulary.API), e);
        }
        GuardResult repair = guard.load().run();
        step(6, "repaired with the old primary as witness: " + repair.report());
        AlignmentReport report = verified(guard);
        step(6, "verified: " + report);
        return new Result(steps, false, null, repair, report);
    }

    private GuardConfiguration guardConfiguration() {
        GuardConfiguration guard = StartupGuard.configure();
        config.getGuard().accept(guard);
        // the cutover's own rules come last: the user's customizer cannot turn them off
        return guard.dataSource(config.getNewPrimary()).mode(GuardMode.REPAIR).onStandby(StandbyAction.FAIL)
                .onEnabledSubscription(SubscriptionAction.REFUSE).aligner(a -> a.source(config.getOldPrimary()));
    }

    private AlignmentReport verified(GuardConfiguration guard) {
        AlignerConfiguration aligner = guard.load().aligner().configuration();
        return aligner.load().verify();
    }

    /**
     * Waits until the old primary's row counters stand still for {@link #QUIET_MILLIS}, and refuses when they move in
     * {@link #QUIET_WINDOWS} windows in a row. The counters reach the statistics up to about a second after the
     * writes, so the last writes before the cutover may still show in the first window.
     */
    private long awaitQuiet(Connection source, long rows) throws SQLException {
        long baseline = rows;
        for (int window = 1; ; window++) {
            long quietSince = System.nanoTime();
            boolean moved = false;
            while (!moved && System.nanoTime() - quietSince < QUIET_MILLIS * 1_000_000) {
                pause();
                long now = (Long) query(source, ROWS_WRITTEN, null)[0];
                if (now != baseline) {
                    if (window == QUIET_WINDOWS) {
                        throw stillWriting(now - rows);
                    }
                    baseline = now;
                    moved = true;
                }
            }
            if (!moved) {
                return baseline;
            }
        }
    }

    /**
     * A WAL record of the old primary's that every subscriber receives, to wait for: its position is where the
     * cutover started. Without the privilege for it, the old primary's current WAL position.
     */
    private String marker(Connection source) throws SQLException {
        try {
            return (String) query(source, "SELECT pg_logical_emit_message(false, 'seqguard', 'cutover')::text",
                    null)[0];
        } catch (SQLException e) {
            if (!Failures.noPrivilege(e)) {
                throw e;
            }
            return (String) query(source, "SELECT pg_current_wal_lsn()::text", null)[0];
        }
    }

    private void awaitApplied(Connection source, Connection target, String slot, String lsn, long rows)
            throws SQLException {
        long lastReport = 0;
        while (true) {
            Object[] behind = query(source, SLOT_BEHIND, lsn, slot);
            if (behind == null) {
                throw refuse(Reason.SUBSCRIPTION_NOT_FOUND, "the old primary has no replication slot '" + slot
                        + "': is the subscription connected to this server?");
            }
            long bytes = ((Number) behind[0]).longValue();
            long tables = (Long) query(target, TABLES_NOT_READY, config.getSubscription())[0];
            if (bytes <= 0 && tables == 0) {
                return;
            }
            long written = (Long) query(source, ROWS_WRITTEN, null)[0] - rows;
            if (written != 0) {
                throw stillWriting(written);
            }
            if (System.nanoTime() > deadline) {
                throw refuse(Reason.CATCH_UP_TIMEOUT, "the subscription has not caught up within catchUpTimeout ("
                        + config.getCatchUpTimeout().toSeconds() + " s): " + bytes + " byte(s) of WAL behind, "
                        + tables + " table(s) still copying; see pg_stat_subscription on the new primary");
            }
            if (System.nanoTime() - lastReport > 5_000_000_000L) {
                lastReport = System.nanoTime();
                step(3, "waiting: " + Math.max(0, bytes) + " byte(s) of WAL to apply, " + tables
                        + " table(s) still copying");
            }
            pause();
        }
    }

    /** PostgreSQL 19: the publisher's sequence values one last time, while the subscription is still enabled. */
    private void synchronizeSequences(Connection target, String ident) throws SQLException {
        Object[] before = query(target, SEQUENCES_NOT_READY, config.getSubscription());
        if ((Long) before[1] == 0) {
            step(4, "the subscription holds no sequences: nothing to synchronize");
            return;
        }
        autocommit(target, "ALTER SUBSCRIPTION " + ident + " REFRESH SEQUENCES");
        step(4, "ALTER SUBSCRIPTION " + ident + " REFRESH SEQUENCES: waiting until its " + before[1]
                + " sequence(s) are ready");
        while (true) {
            long pending = (Long) query(target, SEQUENCES_NOT_READY, config.getSubscription())[0];
            if (pending == 0) {
                step(4, "every sequence of the subscription is synchronized");
                return;
            }
            if (System.nanoTime() > deadline) {
                throw refuse(Reason.CATCH_UP_TIMEOUT, pending + " sequence(s) of the subscription were not "
                        + "synchronized within catchUpTimeout (" + config.getCatchUpTimeout().toSeconds() + " s): if "
                        + "pg_stat_subscription_stats.sync_seq_error_count rises, their definitions differ between "
                        + "publisher and subscriber (the server log says 'mismatched or renamed sequence on "
                        + "subscriber'); make them match, or drop them from the publication");
            }
            pause();
        }
    }

    private CutoverException stillWriting(long rows) {
        return refuse(Reason.SOURCE_STILL_WRITING, "the old primary's database keeps writing (" + rows + " row(s) "
                + "inserted, updated or deleted while the cutover waited): the application (or a job) still writes "
                + "there. Stop every write on the old primary, then run the cutover again");
    }

    private CutoverException refuse(Reason reason, String what) {
        String message = "seqguard cutover stopped at step " + (steps.isEmpty() ? 1 : stepNumber() + 1) + ": " + what
                + ".";
        // thrown, not logged as well: the caller says it once, in its own words
        return Exceptions.cutover(reason, message, steps);
    }

    private int stepNumber() {
        String last = steps.get(steps.size() - 1);
        return Integer.parseInt(last.substring("step ".length(), last.indexOf('/')));
    }

    private void step(int number, String what) {
        String line = "step " + number + "/" + STEPS + ": " + what;
        steps.add(line);
        log.info("seqguard cutover {}", line);
        config.getListener().accept(line);
    }

    private static Connection connect(DataSource dataSource, String what) {
        try {
            Connection connection = Session.connect(dataSource);
            connection.setAutoCommit(false);
            return connection;
        } catch (SQLException e) {
            throw new SeqguardException("seqguard cutover could not connect to " + what + ": "
                    + DriverMessages.clause(e) + ". Check its JDBC URL, user and password.", e);
        }
    }

    private static int version(Connection connection) throws SQLException {
        return (Integer) query(connection, "SELECT current_setting('server_version_num')::int", null)[0];
    }

    /** One row of a query in a short transaction with the search_path pinned; null when there is none. */
    private static Object[] query(Connection connection, String sql, String... parameters) throws SQLException {
        return Transactions.run(connection, Transactions.limits(60_000, 10_000), c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                if (parameters != null) {
                    for (int i = 0; i < parameters.length; i++) {
                        ps.setString(i + 1, parameters[i]);
                    }
                }
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                    Object[] row = new Object[rs.getMetaData().getColumnCount()];
                    for (int i = 0; i < row.length; i++) {
                        row[i] = rs.getObject(i + 1);
                    }
                    return row;
                }
            }
        });
    }

    /** ALTER SUBSCRIPTION may not run inside a transaction block. */
    private static void autocommit(Connection connection, String sql) throws SQLException {
        connection.setAutoCommit(true);
        try (Statement st = connection.createStatement()) {
            st.execute(sql);
        } finally {
            connection.setAutoCommit(false);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SeqguardException("seqguard cutover was interrupted while waiting; every step is safe to repeat");
        }
    }

    /** The {@link CutoverResult}. */
    private record Result(List<String> steps, boolean stoppedBeforeRepair, String nextStatement, GuardResult repair,
            AlignmentReport report) implements CutoverResult {

        Result {
            steps = List.copyOf(steps);
        }
    }
}
