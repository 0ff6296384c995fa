package io.seqguard;


import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * One option of the startup guard, declared once for every interface that sets it: its key (the same beneath every
 * framework's prefix: {@code seqguard.on-incomplete} in Spring Boot and Micronaut,
 * {@code quarkus.seqguard.on-incomplete} in Quarkus), its type, its default (the core's own constant), what it means,
 * how text turns into a value, and how the value reaches a {@link GuardConfiguration}. Framework modules build or
 * check their configuration from {@link #all()}, so that no option is declared twice and no default drifts.
 *
 * <pre>{@code
 * GuardConfiguration guard = StartupGuard.configure().dataSource(pool);
 * for (Map.Entry<String, String> property : properties.entrySet()) {
 *     GuardOption<?> option = GuardOption.forKey(property.getKey())
 *             .orElseThrow(() -> new IllegalArgumentException("unknown option " + property.getKey()));
 *     option.applyText(guard, property.getValue(), "seqguard." + property.getKey());
 * }
 * }</pre>
 *
 * @param <T> the value's type
 */
public final class GuardOption<T> {

    /** Where an option takes effect. */
    public enum Scope {
        /** A framework module's own switch ({@code enabled}): it decides whether the guard runs at all. */
        INTEGRATION,
        /** The guard's own: mode, standby and subscription rules, lock wait, time limit, journal. */
        GUARD,
        /** The aligner the guard runs ({@link AlignerConfiguration}): scope, rules, timeouts, jobs. */
        ALIGNER
    }

    private static final Map<String, GuardOption<?>> BY_KEY = new LinkedHashMap<>();

    /**
     * Keys beneath this one ({@code seqguard.test.postgres}, {@code seqguard.test.jdbc-url}...) belong to the test kit,
     * seqguard-test, and are no guard options: a framework module's check of unknown keys leaves them alone, so that an
     * application's tests can choose their PostgreSQL.
     */
    public static final String TEST_KIT_KEYS = "test.";

    /** Whether the framework module guards its data sources at all; false is the same as mode {@code off}. */
    public static final GuardOption<Boolean> ENABLED = define("enabled", "enabled", Scope.INTEGRATION, Boolean.class,
            true, "Whether seqguard guards the data source at start-up; false checks nothing, as mode 'off' does.",
            OptionText::bool, (g, v) -> {
                if (!v) {
                    g.mode(GuardMode.OFF);
                }
            });
    /** See {@link GuardConfiguration#mode(GuardMode)}. */
    public static final GuardOption<GuardMode> MODE = define("mode", "mode", Scope.GUARD, GuardMode.class,
            GuardConfiguration.DEFAULT_MODE, "What the guard does at start-up: 'repair' moves every sequence that lags "
                    + "its data forward (never backwards), 'verify' changes nothing and fails start-up when a sequence "
                    + "lags, 'off' checks nothing.", GuardMode::parse, GuardConfiguration::mode);
    /** See {@link AlignerConfiguration#schemas(java.util.Collection)}. */
    public static final GuardOption<List<String>> SCHEMAS = aligner("schemas", "schemas", List.of(),
            "Schemas to check. When empty, every schema but PostgreSQL's own. Each must exist.",
            AlignerConfiguration::schemas);
    /** See {@link AlignerConfiguration#excludeSchemas(java.util.Collection)}. */
    public static final GuardOption<List<String>> EXCLUDE_SCHEMAS = aligner("exclude-schemas", "excludeSchemas",
            List.of(), "Schemas to leave out.", AlignerConfiguration::excludeSchemas);
    /** See {@link AlignerConfiguration#excludeSequences(java.util.Collection)}. */
    public static final GuardOption<List<String>> EXCLUDE_SEQUENCES = aligner("exclude-sequences",
            "excludeSequences", List.of(),
            "Sequences never to check or touch (reported as skipped), for example 'billing.legacy_seq'.",
            AlignerConfiguration::excludeSequences);
    /** See {@link AlignerConfiguration#excludeTables(java.util.Collection)}. */
    public static final GuardOption<List<String>> EXCLUDE_TABLES = aligner("exclude-tables", "excludeTables",
            List.of(), "Tables whose data is not compared (a partitioned table or parent with its partitions and "
                    + "children); a sequence that feeds only these is skipped.",
            AlignerConfiguration::excludeTables);
    /** See {@link AlignerConfiguration#mappings(java.util.Collection)}; each entry as {@link SequenceMapping#parse}. */
    public static final GuardOption<List<String>> MAPPINGS = aligner("mappings", "mappings", List.of(),
            "Columns a sequence feeds that the catalog cannot show (the sequence is used by application code), as "
                    + "'SEQUENCE=TABLE.COLUMN', for example 'billing.invoice_number_seq=billing.invoice.number'.",
            (a, v) -> {
                List<SequenceMapping> mappings = new ArrayList<>();
                for (String mapping : v) {
                    mappings.add(SequenceMapping.parse(mapping));
                }
                a.mappings(mappings);
            });
    /** See {@link AlignerConfiguration#allowUnverified(java.util.Collection)}. */
    public static final GuardOption<List<String>> ALLOW_UNVERIFIED = aligner("allow-unverified", "allowUnverified",
            List.of(), "Sequences knowingly not verified (an invoice number only application code hands out), which "
                    + "then no longer make the run incomplete; 'all' for every sequence no read can verify (no column "
                    + "uses it), not one a missing GRANT, row-level security or a timeout kept unread: that one by "
                    + "its name.",
            AlignerConfiguration::allowUnverified);
    /** See {@link AlignerConfiguration#allocation(AllocationRule)}. */
    public static final GuardOption<AllocationRule> ALLOCATION = alignerOption("allocation", "allocation",
            AllocationRule.class, AlignerConfiguration.DEFAULT_ALLOCATION,
            "How the application turns sequence values into ids, for sequences whose entity does not say: 'plain', "
                    + "'pooled' (Hibernate's default optimizer for an allocation size above 1, and the strictest "
                    + "rule), 'pooled-lo', 'pooled:SIZE', 'pooled-lo:SIZE' or 'hilo:SIZE'.",
            AllocationRule::parse, (a, v) -> a.allocation(v));
    /** See {@link AlignerConfiguration#margin(long)}. */
    public static final GuardOption<Long> MARGIN = alignerOption("margin", "margin", Long.class,
            AlignerConfiguration.DEFAULT_MARGIN,
            "Extra sequence values a repair skips beyond what the data needs, for rows still in flight.",
            OptionText::wholeNumber, (a, v) -> a.margin(v));
    /** See {@link AlignerConfiguration#statementTimeout(Duration)}. */
    public static final GuardOption<Duration> STATEMENT_TIMEOUT = alignerOption("statement-timeout",
            "statementTimeout", Duration.class, AlignerConfiguration.DEFAULT_STATEMENT_TIMEOUT,
            "Upper bound for each statement the guard runs (a max() on an unindexed column is the slow one).",
            OptionText::duration, (a, v) -> a.statementTimeout(v));
    /** See {@link AlignerConfiguration#lockTimeout(Duration)}. */
    public static final GuardOption<Duration> LOCK_TIMEOUT = alignerOption("lock-timeout", "lockTimeout",
            Duration.class, AlignerConfiguration.DEFAULT_LOCK_TIMEOUT,
            "Upper bound for each wait on a table or sequence lock held by another session.", OptionText::duration,
            (a, v) -> a.lockTimeout(v));
    /** See {@link GuardConfiguration#lockWaitTimeout(Duration)}; no default of its own. */
    public static final GuardOption<Duration> LOCK_WAIT_TIMEOUT = define("lock-wait-timeout", "lockWaitTimeout",
            Scope.GUARD, Duration.class, null, "How long an instance waits for the seqguard advisory lock while "
                    + "another instance holds it (repairing). When not set, 60 seconds, or the time limit when that is "
                    + "shorter. Must not exceed the time limit.", OptionText::duration,
            GuardConfiguration::lockWaitTimeout);
    /** See {@link GuardConfiguration#timeLimit(Duration)}. */
    public static final GuardOption<Duration> TIME_LIMIT = define("time-limit", "timeLimit", Scope.GUARD,
            Duration.class, GuardConfiguration.DEFAULT_TIME_LIMIT,
            "The most the guard may take for one data source in all, lock wait included; start-up fails when it "
                    + "passes.", OptionText::duration, GuardConfiguration::timeLimit);
    /** See {@link AlignerConfiguration#jobs(int)}. */
    public static final GuardOption<Integer> JOBS = alignerOption("jobs", "jobs", Integer.class,
            AlignerConfiguration.DEFAULT_JOBS, "Connections used in parallel to read the data, at most. The guard "
                    + "takes up to jobs + 1 connections of the pool at once (one holds its lock); 2 are enough.",
            OptionText::integer, (a, v) -> a.jobs(v));
    /** See {@link AlignerConfiguration#capacityWarning(double)}. */
    public static final GuardOption<Double> CAPACITY_WARNING = alignerOption("capacity-warning",
            "capacityWarning", Double.class, AlignerConfiguration.DEFAULT_CAPACITY_WARNING,
            "Share of its range (above 0, at most 1) from which a sequence is reported as nearly used up.",
            OptionText::decimal, (a, v) -> a.capacityWarning(v));
    /** See {@link GuardConfiguration#onStandby(StandbyAction)}. */
    public static final GuardOption<StandbyAction> ON_STANDBY = define("on-standby", "onStandby", Scope.GUARD,
            StandbyAction.class, GuardConfiguration.DEFAULT_ON_STANDBY,
            "What to do when the server is a standby, which can never be repaired: 'verify' (fail start-up on drift), "
                    + "'warn' (log drift and start), 'skip' (check nothing) or 'fail' (refuse every standby).",
            StandbyAction::parse, GuardConfiguration::onStandby);
    /** See {@link GuardConfiguration#onEnabledSubscription(SubscriptionAction)}. */
    public static final GuardOption<SubscriptionAction> ON_ENABLED_SUBSCRIPTION = define("on-enabled-subscription",
            "onEnabledSubscription", Scope.GUARD, SubscriptionAction.class,
            GuardConfiguration.DEFAULT_ON_ENABLED_SUBSCRIPTION,
            "What to do when an enabled logical replication subscription still feeds the database, so the cutover is "
                    + "not finished: 'refuse' (fail start-up, naming it), 'proceed', 'verify' (change nothing, fail on "
                    + "drift) or 'skip'.", SubscriptionAction::parse, GuardConfiguration::onEnabledSubscription);
    /** See {@link GuardConfiguration#onPendingSequenceSync(SubscriptionAction)}. */
    public static final GuardOption<SubscriptionAction> ON_PENDING_SEQUENCE_SYNC = define("on-pending-sequence-sync",
            "onPendingSequenceSync", Scope.GUARD, SubscriptionAction.class,
            GuardConfiguration.DEFAULT_ON_PENDING_SEQUENCE_SYNC,
            "PostgreSQL 19+: what to do while a subscription, enabled or not, still holds sequences waiting for their "
                    + "first synchronization, which would set the publisher's values and undo a repair: 'refuse' (fail "
                    + "start-up, naming it and the way out), 'proceed', 'verify' or 'skip'.",
            text -> EnumText.parse(SubscriptionAction.class, text, "onPendingSequenceSync", "subscription action"),
            GuardConfiguration::onPendingSequenceSync);
    /** See {@link GuardConfiguration#onIncomplete(IncompleteAction)}. */
    public static final GuardOption<IncompleteAction> ON_INCOMPLETE = define("on-incomplete", "onIncomplete",
            Scope.GUARD, IncompleteAction.class, GuardConfiguration.DEFAULT_ON_INCOMPLETE,
            "What to do when some sequence could not be verified (no privilege, a read that failed or timed out, no "
                    + "column to compare with) and is not acknowledged with allow-unverified: 'fail' start-up, naming "
                    + "each, or 'warn' and start.", IncompleteAction::parse, GuardConfiguration::onIncomplete);
    /** See {@link AlignerConfiguration#blockWritersDuringRepair(boolean)}. */
    public static final GuardOption<Boolean> BLOCK_WRITERS_DURING_REPAIR = alignerOption(
            "block-writers-during-repair", "blockWritersDuringRepair", Boolean.class, false,
            "Whether a repair holds the tables a lagging sequence feeds in SHARE mode (writers wait, readers do not) "
                    + "while it moves the sequence. For rolling deploys where running instances already write with "
                    + "explicit ids.", OptionText::bool, (a, v) -> a.blockWritersDuringRepair(v));
    /** See {@link GuardConfiguration#applicationName(String)}; no default of its own. */
    public static final GuardOption<String> APPLICATION_NAME = define("application-name", "applicationName",
            Scope.GUARD, String.class, null, "The application's name in the guard's log and journal. When not set, "
                    + "the framework's application name, else the connection's application_name.", OptionText::text,
            GuardConfiguration::applicationName);
    /** See {@link GuardConfiguration#journal(boolean)}. */
    public static final GuardOption<Boolean> JOURNAL = define("journal", "journal", Scope.GUARD, Boolean.class, false,
            "Whether each guard run is recorded in the journal table (created when missing): when, which primary, "
                    + "which application, what mode, what outcome, which sequences moved.", OptionText::bool,
            GuardConfiguration::journal);
    /** See {@link GuardConfiguration#journalTable(String)}. */
    public static final GuardOption<String> JOURNAL_TABLE = define("journal-table", "journalTable", Scope.GUARD,
            String.class, GuardConfiguration.DEFAULT_JOURNAL_TABLE, "The journal table, NAME or SCHEMA.NAME in SQL "
                    + "syntax (\"Quoted\" parts keep their case). The schema must exist.", OptionText::text,
            GuardConfiguration::journalTable);

    private final String key;
    private final String method;
    private final Scope scope;
    private final Class<?> type;
    private final T defaultValue;
    private final String description;
    private final Function<String, T> parser;
    /** How a guard-level value reaches the configuration; null for aligner options. */
    private final BiConsumer<GuardConfiguration, T> guardSetter;
    /** How an aligner-level value reaches the aligner's configuration; null for guard options. */
    private final BiConsumer<AlignerConfiguration, T> alignerSetter;

    private GuardOption(String key, String method, Scope scope, Class<?> type, T defaultValue, String description,
            Function<String, T> parser, BiConsumer<GuardConfiguration, T> guardSetter,
            BiConsumer<AlignerConfiguration, T> alignerSetter) {
        this.key = key;
        this.method = method;
        this.scope = scope;
        this.type = type;
        this.defaultValue = defaultValue;
        this.description = description;
        this.parser = parser;
        this.guardSetter = guardSetter;
        this.alignerSetter = alignerSetter;
    }

    private static <T> GuardOption<T> register(GuardOption<T> option) {
        BY_KEY.put(option.key, option);
        return option;
    }

    private static <T> GuardOption<T> define(String key, String method, Scope scope, Class<?> type, T defaultValue,
            String description, Function<String, T> parser, BiConsumer<GuardConfiguration, T> setter) {
        return register(new GuardOption<>(key, method, scope, type, defaultValue, description, parser, setter, null));
    }

    private static <T> GuardOption<T> alignerOption(String key, String method, Class<?> type, T defaultValue,
            String description, Function<String, T> parser, BiConsumer<AlignerConfiguration, T> setter) {
        return register(new GuardOption<>(key, method, Scope.ALIGNER, type, defaultValue, description, parser, null,
                setter));
    }

    private static GuardOption<List<String>> aligner(String key, String method, List<String> defaultValue,
            String description, BiConsumer<AlignerConfiguration, List<String>> setter) {
        return alignerOption(key, method, List.class, defaultValue, description, OptionText::list, setter);
    }

    /** {@return every option, in the order documentation lists them} */
    public static List<GuardOption<?>> all() {
        return Collections.unmodifiableList(new ArrayList<>(BY_KEY.values()));
    }

    /**
     * The option with this key.
     *
     * @param key the key beneath the framework's prefix, for example {@code on-incomplete}
     * @return the option, or empty for a key that is none
     */
    public static java.util.Optional<GuardOption<?>> forKey(String key) {
        return java.util.Optional.ofNullable(BY_KEY.get(key));
    }

    /**
     * The option a key that is none most likely stands for, for "did you mean" advice: the same key spelt another way
     * ({@code lockTimeout}, {@code lock_timeout}, {@code journal.table}) or with a typo ({@code moode}).
     *
     * @param key a key beneath the framework's prefix, for example {@code moode}
     * @return the nearest option, or empty when none is near enough to be a likely typo
     */
    public static java.util.Optional<GuardOption<?>> closest(String key) {
        String wanted = squeezed(key);
        GuardOption<?> best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (GuardOption<?> option : BY_KEY.values()) {
            int distance = distance(wanted, squeezed(option.key));
            if (distance < bestDistance) {
                best = option;
                bestDistance = distance;
            }
        }
        // one edit in short keys, about one in four in long ones
        return bestDistance <= Math.max(1, wanted.length() / 4) ? java.util.Optional.of(best)
                : java.util.Optional.empty();
    }

    private static String squeezed(String key) {
        return key.replaceAll("[^A-Za-z0-9]", "").toLowerCase(java.util.Locale.ROOT);
    }

    /** Levenshtein distance. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    /** {@return the key beneath every framework's prefix, in kebab case, for example {@code on-incomplete}} */
    public String key() {
        return key;
    }

    /**
     * {@return the configuration method it corresponds to ({@link GuardConfiguration} or {@link AlignerConfiguration}),
     * for example {@code onIncomplete}; what {@link Vocabulary#option(String)} is asked about}
     */
    public String method() {
        return method;
    }

    /** {@return where it takes effect} */
    public Scope scope() {
        return scope;
    }

    /**
     * {@return the value's type: {@link Boolean}, {@link Integer}, {@link Long}, {@link Double}, {@link Duration},
     * {@link String}, {@link List} (of strings), an enum of this package, or {@link AllocationRule}}
     */
    public Class<?> type() {
        return type;
    }

    /**
     * {@return the default, the core's own constant; null for the options that have none ({@code
     * lock-wait-timeout}...)}
     */
    public T defaultValue() {
        return defaultValue;
    }

    /** {@return what it means, for configuration metadata and documentation} */
    public String description() {
        return description;
    }

    /**
     * Reads a value from configuration text: {@code true}/{@code false}, whole numbers, durations such as
     * {@code 10s}, {@code 500ms}, {@code 2m} or {@code PT10S} (a plain number is milliseconds), enum names in any
     * case, comma-separated lists (a comma inside double quotes is part of a name).
     *
     * @param text the text
     * @param as the key as the user wrote it, named in the message, for example
     *     {@code seqguard.datasources.orders.jobs}
     * @return the value
     * @throws IllegalArgumentException starting with {@code as}, saying what is accepted
     */
    public T parse(String text, String as) {
        Objects.requireNonNull(as, "as");
        if (text == null) {
            throw new IllegalArgumentException(as + ": a value is required");
        }
        try {
            return parser.apply(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(OptionText.renamed(e.getMessage(), method, as), e);
        }
    }

    /**
     * Sets the value on the guard's configuration (options of scope {@link Scope#ALIGNER} through
     * {@link GuardConfiguration#aligner}); checks it at once, as the configuration's own setter does.
     *
     * @param guard the configuration
     * @param value the value; null leaves the configuration as it is
     * @param as the key as the user wrote it, named in the message
     * @throws IllegalArgumentException starting with {@code as} when the value is out of range
     */
    public void apply(GuardConfiguration guard, T value, String as) {
        if (value == null) {
            return;
        }
        try {
            if (alignerSetter != null) {
                // the guard runs its aligner customizers at load(): try the value now, so that a bad one is refused
                // here, under the user's name for it
                alignerSetter.accept(SequenceAligner.configure(), value);
                guard.aligner(a -> alignerSetter.accept(a, value));
            } else {
                guardSetter.accept(guard, value);
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(OptionText.renamed(e.getMessage(), method, as), e);
        }
    }

    /**
     * {@link #parse} then {@link #apply}.
     *
     * @param guard the configuration
     * @param text the configuration text
     * @param as the key as the user wrote it, named in the message
     * @throws IllegalArgumentException starting with {@code as}, saying what is accepted
     */
    public void applyText(GuardConfiguration guard, String text, String as) {
        apply(guard, parse(text, as), as);
    }

    @Override
    public String toString() {
        return key;
    }
}
