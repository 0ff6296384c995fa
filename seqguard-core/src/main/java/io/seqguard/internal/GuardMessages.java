package io.seqguard.internal;

import io.seqguard.AlignmentReport;
import io.seqguard.GuardConfiguration;
import io.seqguard.GuardMode;
import io.seqguard.RepairAction;
import io.seqguard.SequenceReport;
import io.seqguard.StartupGuardException;
import io.seqguard.Vocabulary;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What the startup guard says: every refusal, note and warning, in the words of the interface in use
 * ({@link Vocabulary}), in one place. The rules that pick them are {@link GuardPolicy}'s.
 */
final class GuardMessages {

    private static final String STANDBY = "this server is a standby (in recovery); repair belongs to the primary: run "
            + "it against the primary";

    private final GuardConfiguration config;
    private final ServerFacts facts;

    GuardMessages(GuardConfiguration config, ServerFacts facts) {
        this.config = config;
        this.facts = facts;
    }

    static String borrowFailed(Vocabulary words, SQLException e) {
        return words.guard(null) + " could not borrow a connection: " + DriverMessages.clause(e) + ". Check the "
                + "JDBC URL, user, password and that the server accepts connections; the guard holds one connection "
                + "for its lock and the aligner needs at least one more (jobs for full speed).";
    }

    static String prepareFailed(Vocabulary words, SQLException e) {
        return words.guard(null) + " could not prepare its connection: " + e.getMessage();
    }

    static String failedWhile(Vocabulary words, GuardMode mode, String step, String what) {
        return words.guard(mode) + " failed while " + step + ": " + what;
    }

    /** A setting names a schema or object the database lacks: said as that, since nothing ran. */
    static String misconfigured(Vocabulary words, GuardMode mode, String database, String what) {
        return words.guard(mode) + " did not run" + (database == null ? "" : " on database " + database)
                + ", since a setting names what it does not have: " + what;
    }

    String abandoned(String step) {
        return words().guard(null) + " abandoned: the time limit (" + config.getTimeLimit().toMillis()
                + " ms) passed while " + step;
    }

    /**
     * The refusal before any sequence is read: a standby (fail), an enabled subscription (refuse), or sequences a
     * subscription has yet to synchronize (PostgreSQL 19+).
     */
    String refusal(GuardPolicy.Decision decision) {
        if (decision.rule() == GuardPolicy.Rule.SEQUENCE_SYNC_REFUSE) {
            return pendingSync();
        }
        if (decision.rule() == GuardPolicy.Rule.STANDBY_FAIL) {
            return words().guard(null) + " refuses " + words().stopped() + ": " + STANDBY
                    + (words().option("onStandby") == null ? "."
                    : " (" + words().name("onStandby") + " fail refuses every standby).");
        }
        List<String> disable = new ArrayList<>();
        for (ServerFacts.Subscription s : facts.enabledSubscriptions()) {
            disable.add("ALTER SUBSCRIPTION " + s.ident() + " DISABLE");
        }
        return words().guard(null) + " refuses to " + (config.getMode() == GuardMode.REPAIR ? "repair" : "verify")
                + " database " + facts.database() + ": enabled subscription(s) " + subscriptions() + " still feed it, "
                + "so the cutover is not finished and rows with explicit ids keep arriving. Finish the cutover first ("
                + String.join("; ", disable) + ")" + orSet("onEnabledSubscription", "proceed, verify or skip") + ".";
    }

    /** The run's note for the rule that shaped it; null for the plain rule. */
    String ruleNote(GuardPolicy.Rule rule) {
        switch (rule) {
            case STANDBY_SKIP:
                return "standby: guard skipped (" + words().name("onStandby") + " skip)";
            case STANDBY_VERIFY:
            case STANDBY_WARN:
                return "standby: verified only; repair belongs to the primary";
            case SUBSCRIPTION_SKIP:
                return "enabled subscription(s) " + subscriptions() + ": guard skipped ("
                        + words().name("onEnabledSubscription") + " skip)";
            case SUBSCRIPTION_VERIFY:
                return "enabled subscription(s) " + subscriptions() + ": verified only ("
                        + words().name("onEnabledSubscription") + " verify)";
            case SUBSCRIPTION_PROCEED:
                return "enabled subscription(s) " + subscriptions() + " still feed the database ("
                        + words().name("onEnabledSubscription") + " proceed): values replicated after this run are "
                        + "not covered";
            case SEQUENCE_SYNC_SKIP:
                return "sequences wait for a subscription's first synchronization: guard skipped ("
                        + words().name("onPendingSequenceSync") + " skip)";
            case SEQUENCE_SYNC_VERIFY:
                return "sequences wait for a subscription's first synchronization: verified only ("
                        + words().name("onPendingSequenceSync") + " verify)";
            case SEQUENCE_SYNC_PROCEED:
                return "sequences wait for a subscription's first synchronization ("
                        + words().name("onPendingSequenceSync") + " proceed): the synchronization will undo what this "
                        + "run repairs";
            case CITUS_SHARD_TRANSFER:
                return citusShardTransfers();
            default:
                return null;
        }
    }

    /**
     * A Citus shard move or split in progress: said, never counted as an unfinished cutover, and never to be disabled
     * (that stalls the move).
     */
    private String citusShardTransfers() {
        List<String> quoted = new ArrayList<>();
        for (ServerFacts.Subscription s : facts.citusShardTransfers()) {
            quoted.add("'" + s.name() + "'");
        }
        return "Citus moves or splits shards (subscription(s) " + String.join(", ", quoted) + ", Citus's own by name, "
                + "owner role and publications): they copy rows between shard placements with their ids, which "
                + "changes no node's data, so they are no unfinished cutover; leave them enabled, Citus drops them "
                + "when the move ends";
    }

    /** The warning a rule that lets the guard go on logs; null when there is none. */
    String ruleWarning(GuardPolicy.Rule rule) {
        switch (rule) {
            case STANDBY_SKIP:
                return STANDBY + "; sequences are not checked (" + words().name("onStandby") + " skip)";
            case STANDBY_VERIFY:
            case STANDBY_WARN:
                return config.getMode() == GuardMode.REPAIR ? STANDBY + "; verifying only" : null;
            case SUBSCRIPTION_SKIP:
                return "enabled subscription(s) " + subscriptions() + " feed database " + facts.database()
                        + "; sequences are not checked (" + words().name("onEnabledSubscription") + " skip)";
            case SUBSCRIPTION_PROCEED:
                return "enabled subscription(s) " + subscriptions() + " still feed database " + facts.database()
                        + "; going on (" + words().name("onEnabledSubscription") + " proceed)";
            default:
                return null;
        }
    }

    /**
     * PostgreSQL 19+: the database subscribes to sequences. Said on every run: any later {@code REFRESH SEQUENCES}
     * sets the publisher's values again, backwards too.
     */
    String sequenceSubscriptionNote() {
        List<String> names = new ArrayList<>();
        for (ServerFacts.SequenceSubscription s : facts.sequenceSubscriptions()) {
            names.add(s.ident() + (s.enabled() ? "" : " (disabled)"));
        }
        return "database " + facts.database() + " subscribes to sequences (" + String.join(", ", names)
                + "): every ALTER SUBSCRIPTION ... REFRESH SEQUENCES sets the publisher's values here, backwards too, "
                + "undoing a repair. Once the cutover is done, drop the subscription or move it to a tables-only "
                + "publication (ALTER SUBSCRIPTION ... SET PUBLICATION ...).";
    }

    private String pendingSync() {
        StringBuilder text = new StringBuilder(words().guard(null) + " refuses to ")
                .append(config.getMode() == GuardMode.REPAIR ? "repair" : "verify").append(" database ")
                .append(facts.database()).append(": ");
        List<String> ways = new ArrayList<>();
        for (ServerFacts.SequenceSubscription s : facts.pendingSequenceSyncs()) {
            text.append("subscription ").append(s.ident()).append(s.enabled() ? "" : " (disabled)")
                    .append(" has ").append(s.pending()).append(" of its ").append(s.sequences())
                    .append(" sequence(s) still waiting for their first synchronization; ");
            if (s.syncErrors() > 0) {
                text.append("that synchronization has failed ").append(s.syncErrors()).append(" time(s) and keeps "
                        + "failing (sync_seq_error_count): the sequences' definitions probably differ between "
                        + "publisher and subscriber (the server log says 'mismatched or renamed sequence on "
                        + "subscriber'); make "
                        + "them match (type, increment, minvalue, maxvalue, cycle; a verify with the old primary as "
                        + "source lists the differences) or drop the subscription; ");
            }
            String name = "(SELECT oid FROM pg_subscription WHERE subname = " + literal(s.name()) + ")";
            ways.add((s.enabled() ? "" : "ALTER SUBSCRIPTION " + s.ident() + " ENABLE; ") + "ALTER SUBSCRIPTION "
                    + s.ident() + " REFRESH SEQUENCES; wait until SELECT count(*) FROM pg_subscription_rel r JOIN "
                    + "pg_class c ON c.oid = r.srrelid WHERE c.relkind = 'S' AND r.srsubstate <> 'r' AND r.srsubid = "
                    + name + " returns 0; then DROP SUBSCRIPTION " + s.ident() + " (or move it to a tables-only "
                    + "publication, or DISABLE it again)");
        }
        text.append("enabling a subscription, or ALTER SUBSCRIPTION ... REFRESH SEQUENCES, sets the publisher's "
                + "values with no regard to direction and would undo a repair made now. Finish the synchronization "
                + "first: ").append(String.join("; and ", ways))
                .append(orSet("onPendingSequenceSync", "proceed, verify or skip")).append('.');
        return text.toString();
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    /** Drift a check found: in verify mode, on a standby, or what a repair could not change. */
    String drift(GuardPolicy.Decision decision, AlignmentReport report) {
        if (decision.onStandby()) {
            return config.getMode() == GuardMode.REPAIR
                    ? words().guard(null) + " refuses to repair: " + STANDBY + ". Verified here instead: "
                            + problems(report) + fixStatements(report)
                    : words().guard(GuardMode.VERIFY) + " on a standby (in recovery): " + problems(report)
                            + "\nRepair belongs to the primary: run the guard (mode repair) or the statements below "
                            + "against the primary." + fixStatements(report);
        }
        if (decision.applied() == GuardMode.REPAIR) {
            return words().guard(GuardMode.REPAIR) + " refuses " + words().stopped()
                    + ": what remains cannot be repaired by moving "
                    + "sequences forward. " + problems(report);
        }
        return words().guard(decision.applied()) + " refuses " + words().stopped() + ": " + problems(report)
                + fixStatements(report);
    }

    String driftToleratedNote() {
        return "sequences lag (" + words().name("onStandby") + " warn lets start-up go on)";
    }

    String repairFailed(AlignmentReport report, int failed) {
        return words().guard(null) + " could not repair " + failed + " sequence(s) in database " + facts.database()
                + " (moved " + report.withAction(RepairAction.REPAIRED).size() + "); nothing was moved backwards and "
                + "running the guard again is safe. " + problems(report);
    }

    /**
     * @param movedBeforeOrmStep how many of the report's moves a first run of this start-up made before its ORM step
     *     (0 without one): that run journaled them, so the refusal says they are not this run's
     */
    String incomplete(AlignmentReport report, int movedBeforeOrmStep) {
        return words().guard(config.getMode()) + " refuses " + words().stopped() + ": the run is incomplete."
                + movedFirst(report, movedBeforeOrmStep) + " " + problems(report)
                + "\nTo go on while some sequences stay unverified, "
                + "acknowledge them by name (" + words().name("allowUnverified") + ")" + orSet("onIncomplete", "warn")
                + "." + unreadData(report);
    }

    /**
     * For a run with unverified sequences whose data could not be read ({@link SequenceReport#dataUnread()}), the
     * sentence that says to make them readable rather than acknowledge them; empty otherwise.
     */
    private static String unreadData(AlignmentReport report) {
        List<SequenceReport> unread = report.unverifiedForWantOfReads();
        if (unread.isEmpty()) {
            return "";
        }
        boolean one = unread.size() == 1;
        return " But the data that would verify " + ReportText.names(unread) + " could not be read, and may be ahead "
                + "of " + (one ? "it" : "them") + ": make " + (one ? "it" : "them") + " readable as "
                + (one ? "its line says" : "their lines say") + " rather than acknowledge " + (one ? "it" : "them")
                + ", which would let the application start blind to that.";
    }

    /**
     * What the journal says of a first run that waits for the ORM step ({@code awaiting_mappings}): which sequences
     * it leaves to the entities' mappings, and its report's summary.
     */
    static String awaitingMappings(StartupGuardException e) {
        List<SequenceReport> waiting = e.unverifiedForWantOfMappings();
        return "awaiting the ORM step: " + waiting.size() + " sequence(s) no column uses, to be judged with the "
                + "entities' mappings: " + ReportText.names(waiting) + (e.report() == null ? "" : "; " + e.report());
    }

    String incompleteNote(AlignmentReport report) {
        return report.unverified().size() + " sequence(s) could not be verified (" + words().name("onIncomplete")
                + " warn lets start-up go on): " + ReportText.names(report.unverified());
    }

    /** @param movedBeforeOrmStep as for {@link #incomplete} */
    String incompleteWarning(AlignmentReport report, int movedBeforeOrmStep) {
        return "the run is incomplete; start-up goes on (" + words().name("onIncomplete") + " warn)."
                + movedFirst(report, movedBeforeOrmStep) + " " + problems(report);
    }

    String lockTimeout(Duration waited, String holders) {
        return words().guard(null) + ": another instance has held the seqguard lock for " + waited.toSeconds()
                + " s (at least; " + words().name("lockWaitTimeout") + " " + config.getLockWaitTimeout().toMillis()
                + " ms): " + holders + ". It is probably repairing a large database: raise "
                + words().name("lockWaitTimeout") + ", or see what that session does in pg_stat_activity (a stuck one "
                + "can be ended with pg_terminate_backend(pid)).";
    }

    static String lockLost(Vocabulary words, String step, String loss) {
        return words.guard(null) + " lost the seqguard lock while " + step + ": " + loss + ". From then on the run "
                + "was not serialized with other instances, so it fails. Nothing was moved backwards and running the "
                + "guard again is safe; if it recurs, find what ends that connection (pg_terminate_backend, a proxy's "
                + "timeouts such as PgBouncer's idle_transaction_timeout or server_lifetime, a network cut).";
    }

    /** What the start-up moved (a report after the ORM step keeps the first run's moves), and when. */
    private static String movedFirst(AlignmentReport report, int movedBeforeOrmStep) {
        int moved = report.withAction(RepairAction.REPAIRED).size();
        if (moved == 0) {
            return "";
        }
        return " It moved " + moved + " sequence(s) forward first" + (movedBeforeOrmStep == 0 ? "."
                : moved == movedBeforeOrmStep ? ", before the ORM step."
                : ", " + movedBeforeOrmStep + " of them before the ORM step.");
    }

    /** The enabled subscriptions as SQL writes them, as the statements that disable them and the report do. */
    private String subscriptions() {
        List<String> quoted = new ArrayList<>();
        for (ServerFacts.Subscription s : facts.enabledSubscriptions()) {
            quoted.add(s.ident());
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
}
