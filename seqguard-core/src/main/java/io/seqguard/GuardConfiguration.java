package io.seqguard;

import io.seqguard.internal.SqlNames;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * Fluent configuration of a {@link StartupGuard}; obtain it from {@link StartupGuard#configure()}, finish with
 * {@link #load()}. Setters validate at once and name the property in their message; {@link #load()} checks what needs
 * the whole picture. Not thread-safe; the loaded guard keeps its own copy.
 *
 * <pre>{@code
 * StartupGuard guard = StartupGuard.configure()
 *         .dataSource(pool)                       // the pool itself, never a GuardedDataSource
 *         .mode(GuardMode.REPAIR)
 *         .aligner(a -> a.schemas("public", "billing").blockWritersDuringRepair(true))
 *         .applicationName("billing-service")
 *         .journal(true)
 *         .load();
 * }</pre>
 */
public final class GuardConfiguration {

    /** Default for {@link #timeLimit(Duration)}. */
    public static final Duration DEFAULT_TIME_LIMIT = Duration.ofSeconds(120);
    /** Default for {@link #lockWaitTimeout(Duration)} (or the time limit, when that is shorter). */
    public static final Duration DEFAULT_LOCK_WAIT_TIMEOUT = Duration.ofSeconds(60);
    /** Default for {@link #mode(GuardMode)}. */
    public static final GuardMode DEFAULT_MODE = GuardMode.REPAIR;
    /** Default for {@link #onStandby(StandbyAction)}. */
    public static final StandbyAction DEFAULT_ON_STANDBY = StandbyAction.VERIFY;
    /** Default for {@link #onEnabledSubscription(SubscriptionAction)}. */
    public static final SubscriptionAction DEFAULT_ON_ENABLED_SUBSCRIPTION = SubscriptionAction.REFUSE;
    /** Default for {@link #onPendingSequenceSync(SubscriptionAction)}. */
    public static final SubscriptionAction DEFAULT_ON_PENDING_SEQUENCE_SYNC = SubscriptionAction.REFUSE;
    /** Default for {@link #onIncomplete(IncompleteAction)}. */
    public static final IncompleteAction DEFAULT_ON_INCOMPLETE = IncompleteAction.FAIL;
    /** Default for {@link #journalTable(String)}. */
    public static final String DEFAULT_JOURNAL_TABLE = "public.seqguard_journal";

    private DataSource dataSource;
    private GuardMode mode = DEFAULT_MODE;
    private Consumer<AlignerConfiguration> aligner = a -> { };
    private StandbyAction onStandby = DEFAULT_ON_STANDBY;
    private SubscriptionAction onEnabledSubscription = DEFAULT_ON_ENABLED_SUBSCRIPTION;
    private IncompleteAction onIncomplete = DEFAULT_ON_INCOMPLETE;
    private SubscriptionAction onPendingSequenceSync = DEFAULT_ON_PENDING_SEQUENCE_SYNC;
    private Vocabulary vocabulary = Vocabulary.API;
    private Duration lockWaitTimeout;
    private Duration timeLimit = DEFAULT_TIME_LIMIT;
    private String applicationName;
    private boolean journal;
    private String journalTable = DEFAULT_JOURNAL_TABLE;

    GuardConfiguration() {
    }

    GuardConfiguration(GuardConfiguration other) {
        dataSource = other.dataSource;
        mode = other.mode;
        aligner = other.aligner;
        onStandby = other.onStandby;
        onEnabledSubscription = other.onEnabledSubscription;
        onIncomplete = other.onIncomplete;
        onPendingSequenceSync = other.onPendingSequenceSync;
        vocabulary = other.vocabulary;
        lockWaitTimeout = other.lockWaitTimeout;
        timeLimit = other.timeLimit;
        applicationName = other.applicationName;
        journal = other.journal;
        journalTable = other.journalTable;
    }

    /**
     * The database: the application's pool itself. The guard borrows one connection for its lock and the aligner
     * up to {@code jobs} more: {@code jobs + 1} at once read at full speed (3 with the default {@code jobs}), and 2
     * are enough, the aligner then reading with the one connection it got. Through PgBouncer, in session or in
     * transaction pooling, the guard serializes instances too: its lock lives in a transaction kept open for the run,
     * and it prepares no statement by name on the server.
     *
     * @param dataSource the application's pool
     * @return this configuration
     * @throws IllegalArgumentException for a {@link GuardedDataSource}: the guard must use the raw pool, since the
     * wrapper hands out nothing until the guard has passed
     */
    public GuardConfiguration dataSource(DataSource dataSource) {
        Objects.requireNonNull(dataSource, "dataSource must not be null");
        if (dataSource instanceof GuardedDataSource) {
            throw new IllegalArgumentException("dataSource must be the pool itself, not a GuardedDataSource: pass "
                    + "GuardedDataSource.getDelegate(), the guard's own connections must not wait for the guard");
        }
        this.dataSource = dataSource;
        return this;
    }

    /**
     * What the guard does; default {@link GuardMode#REPAIR}.
     *
     * @param mode repair, verify or off
     * @return this configuration
     */
    public GuardConfiguration mode(GuardMode mode) {
        this.mode = Objects.requireNonNull(mode, "mode must not be null");
        return this;
    }

    /**
     * The mode as configuration text: {@code repair}, {@code verify} or {@code off}, any case (see
     * {@link GuardMode#parse(String)}).
     *
     * @param mode the mode's name
     * @return this configuration
     */
    public GuardConfiguration mode(String mode) {
        return mode(GuardMode.parse(mode));
    }

    /**
     * Configures the aligner the guard runs: schemas, exclusions, mappings, allocation rule, margin, statement and
     * lock timeouts, jobs, and {@link AlignerConfiguration#blockWritersDuringRepair(boolean)} for online repair during
     * rolling deploys where running instances already write with explicit ids. Called again, the customizers run in
     * order. The guard's {@link #dataSource(DataSource)} always replaces the aligner's, and the aligner's statement
     * and lock timeouts are lowered to the {@link #timeLimit(Duration)} when longer.
     *
     * @param customizer sets aligner options
     * @return this configuration
     */
    public GuardConfiguration aligner(Consumer<AlignerConfiguration> customizer) {
        Objects.requireNonNull(customizer, "aligner must not be null");
        Consumer<AlignerConfiguration> before = this.aligner;
        this.aligner = a -> {
            before.accept(a);
            customizer.accept(a);
        };
        return this;
    }

    /**
     * The jobs a guard can read with on a pool that lends at most {@code maximumPoolSize} connections at once, for the
     * framework modules that know their pool's size. The guard holds one connection for its lock while the aligner
     * reads with up to {@code jobs} more: on a pool that lends fewer, fewer jobs read rather than one waiting for the
     * pool's timeout. A pool that lends fewer than 2 cannot run the guard at all.
     *
     * @param jobs the jobs configured ({@link AlignerConfiguration#jobs(int)})
     * @param maximumPoolSize the most connections the pool lends at once
     * @return {@code jobs}, or {@code maximumPoolSize - 1} when that is fewer; 0 when the pool lends fewer than 2
     */
    public static int jobsWithin(int jobs, int maximumPoolSize) {
        return maximumPoolSize < 2 ? 0 : Math.min(jobs, maximumPoolSize - 1);
    }

    /**
     * What to do on a standby; default {@link StandbyAction#VERIFY}.
     *
     * @param onStandby the action
     * @return this configuration
     */
    public GuardConfiguration onStandby(StandbyAction onStandby) {
        this.onStandby = Objects.requireNonNull(onStandby, "onStandby must not be null");
        return this;
    }

    /**
     * The standby action as configuration text (see {@link StandbyAction#parse(String)}).
     *
     * @param onStandby the action's name
     * @return this configuration
     */
    public GuardConfiguration onStandby(String onStandby) {
        return onStandby(StandbyAction.parse(onStandby));
    }

    /**
     * What to do when an enabled subscription feeds the database; default {@link SubscriptionAction#REFUSE}.
     *
     * @param onEnabledSubscription the action
     * @return this configuration
     */
    public GuardConfiguration onEnabledSubscription(SubscriptionAction onEnabledSubscription) {
        this.onEnabledSubscription = Objects.requireNonNull(onEnabledSubscription,
                "onEnabledSubscription must not be null");
        return this;
    }

    /**
     * The subscription action as configuration text (see {@link SubscriptionAction#parse(String)}).
     *
     * @param onEnabledSubscription the action's name
     * @return this configuration
     */
    public GuardConfiguration onEnabledSubscription(String onEnabledSubscription) {
        return onEnabledSubscription(SubscriptionAction.parse(onEnabledSubscription));
    }

    /**
     * PostgreSQL 19+: what to do while a subscription, enabled or <em>disabled</em>, still holds sequences that wait
     * for their first synchronization ({@code pg_subscription_rel} state {@code i}). Enabling it, or
     * {@code ALTER SUBSCRIPTION ... REFRESH SEQUENCES}, sets the publisher's values with no regard to direction, so a
     * repair now would be undone; default {@link SubscriptionAction#REFUSE}. {@code proceed} repairs anyway,
     * {@code verify} only verifies, {@code skip} checks nothing.
     *
     * @param onPendingSequenceSync refuse, proceed, verify or skip
     * @return this configuration
     */
    public GuardConfiguration onPendingSequenceSync(SubscriptionAction onPendingSequenceSync) {
        this.onPendingSequenceSync = Objects.requireNonNull(onPendingSequenceSync,
                "onPendingSequenceSync must not be null");
        return this;
    }

    /**
     * The pending-synchronization action as configuration text (see {@link SubscriptionAction#parse(String)}).
     *
     * @param onPendingSequenceSync {@code refuse}, {@code proceed}, {@code verify} or {@code skip}, any case
     * @return this configuration
     */
    public GuardConfiguration onPendingSequenceSync(String onPendingSequenceSync) {
        return onPendingSequenceSync(EnumText.parse(SubscriptionAction.class, onPendingSequenceSync,
                "onPendingSequenceSync", "subscription action"));
    }

    /**
     * What to do when the run is incomplete: some sequence could not be verified and is not acknowledged
     * ({@link AlignerConfiguration#allowUnverified(String...)}); default {@link IncompleteAction#FAIL}, in either mode.
     *
     * @param onIncomplete fail or warn
     * @return this configuration
     */
    public GuardConfiguration onIncomplete(IncompleteAction onIncomplete) {
        this.onIncomplete = Objects.requireNonNull(onIncomplete, "onIncomplete must not be null");
        return this;
    }

    /**
     * The incomplete action as configuration text (see {@link IncompleteAction#parse(String)}).
     *
     * @param onIncomplete {@code fail} or {@code warn}, any case
     * @return this configuration
     */
    public GuardConfiguration onIncomplete(String onIncomplete) {
        return onIncomplete(IncompleteAction.parse(onIncomplete));
    }

    /**
     * How the guard's messages (and its aligner's) name options and the repair; the command line and the framework
     * modules set it. Default {@link Vocabulary#API}.
     *
     * @param vocabulary the interface's words
     * @return this configuration
     */
    public GuardConfiguration vocabulary(Vocabulary vocabulary) {
        this.vocabulary = Objects.requireNonNull(vocabulary, "vocabulary must not be null");
        return this;
    }

    /**
     * How long an instance waits for the seqguard advisory lock while another instance holds it (repairing); default
     * 60 s, or the {@link #timeLimit(Duration)} when that is shorter. Must not exceed the time limit.
     *
     * @param lockWaitTimeout a positive duration
     * @return this configuration
     */
    public GuardConfiguration lockWaitTimeout(Duration lockWaitTimeout) {
        this.lockWaitTimeout = Durations.requireMillis(lockWaitTimeout, "lockWaitTimeout");
        return this;
    }

    /**
     * The most the guard may take in all, lock wait included; default 120 s. When it passes, {@link StartupGuard#run()}
     * throws at once; the work under way (every statement bounded by the aligner's statement timeout) finishes in the
     * background, releases the lock and writes its journal row.
     *
     * @param timeLimit a positive duration
     * @return this configuration
     */
    public GuardConfiguration timeLimit(Duration timeLimit) {
        this.timeLimit = Durations.requireMillis(timeLimit, "timeLimit");
        return this;
    }

    /**
     * The application's name for the log and the journal; default the connection's {@code application_name}, or
     * {@code unknown}.
     *
     * @param applicationName 1 to 200 characters
     * @return this configuration
     */
    public GuardConfiguration applicationName(String applicationName) {
        Objects.requireNonNull(applicationName, "applicationName must not be null");
        if (applicationName.isBlank() || applicationName.length() > 200) {
            throw new IllegalArgumentException("applicationName: must be 1 to 200 characters and not blank, was '"
                    + applicationName + "'");
        }
        this.applicationName = applicationName.trim();
        return this;
    }

    /**
     * Whether each run is recorded in the journal table (created when missing): when, which primary, which
     * application, what mode, what outcome, which sequences moved. Default false. The journal also gives the guard
     * its memory of primaries ({@link PrimaryIdentity.Recognition}). A journal that cannot be written (no privilege,
     * a standby) is logged as a warning and does not stop start-up.
     *
     * <p>Its {@code outcome} column holds, in lower case, the {@link GuardOutcome} of a run that let the application
     * start ({@code repaired}, {@code aligned}, ...); {@code failed_} and the {@link StartupGuardException.Reason} of
     * one that did not ({@code failed_drift}, {@code failed_incomplete}, ...); {@code abandoned} for a run past its
     * {@linkplain #timeLimit(Duration) time limit}; and {@code awaiting_mappings} for a framework's first run whose
     * ORM step runs again with the entities' mappings ({@link StartupGuard#runBeforeMappings()}): the application's
     * next row is that second run's, so an {@code awaiting_mappings} row followed by none means its ORM step never
     * ran (the start-up stopped before it, and its sequences were not all verified).
     *
     * @param journal whether to record each run
     * @return this configuration
     */
    public GuardConfiguration journal(boolean journal) {
        this.journal = journal;
        return this;
    }

    /**
     * The journal table, {@code NAME} or {@code SCHEMA.NAME} in SQL syntax ({@code "Quoted"} parts keep case and may
     * hold anything); default {@code public.seqguard_journal}. The schema must exist. The name is quoted by the
     * server, never pasted into SQL as written.
     *
     * @param journalTable the table, in SQL syntax
     * @return this configuration
     */
    public GuardConfiguration journalTable(String journalTable) {
        Objects.requireNonNull(journalTable, "journalTable must not be null");
        SqlNames.parseQualified(journalTable, "journalTable");
        this.journalTable = journalTable.trim();
        return this;
    }

    /**
     * Checks the configuration and builds the guard (and its aligner).
     *
     * @return the guard, ready to run
     * @throws IllegalStateException naming the property when something required is missing or values contradict
     * @throws IllegalArgumentException when the aligner customizer sets an invalid value
     */
    public StartupGuard load() {
        if (mode == GuardMode.OFF) {
            return new StartupGuard(new GuardConfiguration(this), null);
        }
        if (dataSource == null) {
            throw new IllegalStateException("dataSource is required: call dataSource(...) before load()");
        }
        if (lockWaitTimeout != null && lockWaitTimeout.compareTo(timeLimit) > 0) {
            throw new IllegalStateException(vocabulary.name("lockWaitTimeout") + " (" + lockWaitTimeout.toMillis()
                    + " ms) must not exceed " + vocabulary.name("timeLimit") + " (" + timeLimit.toMillis() + " ms)");
        }
        AlignerConfiguration alignerConfiguration = SequenceAligner.configure();
        aligner.accept(alignerConfiguration);
        alignerConfiguration.dataSource(dataSource).vocabulary(vocabulary);
        if (alignerConfiguration.getStatementTimeout().compareTo(timeLimit) > 0) {
            alignerConfiguration.statementTimeout(timeLimit);
        }
        if (alignerConfiguration.getLockTimeout().compareTo(timeLimit) > 0) {
            alignerConfiguration.lockTimeout(timeLimit);
        }
        return new StartupGuard(new GuardConfiguration(this), alignerConfiguration.load());
    }

    /** {@return the pool; null until set} */
    public DataSource getDataSource() {
        return dataSource;
    }

    /** {@return the mode} */
    public GuardMode getMode() {
        return mode;
    }

    /** {@return the standby action} */
    public StandbyAction getOnStandby() {
        return onStandby;
    }

    /** {@return the subscription action} */
    public SubscriptionAction getOnEnabledSubscription() {
        return onEnabledSubscription;
    }

    /** {@return the action while a subscription's sequences wait for their first synchronization} */
    public SubscriptionAction getOnPendingSequenceSync() {
        return onPendingSequenceSync;
    }

    /** {@return the incomplete action} */
    public IncompleteAction getOnIncomplete() {
        return onIncomplete;
    }

    /** {@return how messages name options} */
    public Vocabulary getVocabulary() {
        return vocabulary;
    }

    /** {@return the lock wait in effect: as set, else 60 s or the time limit when shorter} */
    public Duration getLockWaitTimeout() {
        if (lockWaitTimeout != null) {
            return lockWaitTimeout;
        }
        return DEFAULT_LOCK_WAIT_TIMEOUT.compareTo(timeLimit) < 0 ? DEFAULT_LOCK_WAIT_TIMEOUT : timeLimit;
    }

    /** {@return the total time limit} */
    public Duration getTimeLimit() {
        return timeLimit;
    }

    /** {@return the application name as set; null means the connection's {@code application_name}} */
    public String getApplicationName() {
        return applicationName;
    }

    /** {@return whether runs are journaled} */
    public boolean isJournal() {
        return journal;
    }

    /** {@return the journal table as configured (SQL syntax)} */
    public String getJournalTable() {
        return journalTable;
    }
}
