package io.seqguard.micronaut;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.util.Toggleable;
import io.seqguard.AlignerConfiguration;
import io.seqguard.AllocationRule;
import io.seqguard.GuardConfiguration;
import io.seqguard.SequenceMapping;
import io.seqguard.StartupGuard;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * The startup guard's configuration for one data source, {@code seqguard.datasources.<name>.*}, where the name is
 * the data source's ({@code default} for {@code datasources.default}). A data source without a section is guarded
 * with the core's defaults (mode {@code repair}); every option left out keeps the core's default.
 *
 * <pre>{@code
 * seqguard:
 *   enabled: true                  # global switch; false: no data source is guarded
 *   datasources:
 *     default:
 *       mode: repair               # repair (default), verify, off
 *       schemas: [public, billing]
 *       allocation: pooled         # plain, pooled (default), pooled-lo, hilo:<block size>
 *       mappings:
 *         - billing.invoice_number_seq=billing.invoice.number
 *       time-limit: 2m
 *     reporting:
 *       mode: verify
 * }</pre>
 *
 * <p>Keys (each optional): {@code enabled}, {@code mode}, {@code schemas}, {@code exclude-schemas},
 * {@code exclude-sequences}, {@code exclude-tables}, {@code mappings}, {@code allocation}, {@code margin},
 * {@code statement-timeout}, {@code lock-timeout}, {@code jobs}, {@code capacity-warning},
 * {@code block-writers-during-repair} (the aligner's options, see {@link AlignerConfiguration}), and
 * {@code lock-wait-timeout}, {@code time-limit}, {@code on-standby}, {@code on-enabled-subscription},
 * {@code application-name}, {@code journal}, {@code journal-table} (the guard's, see {@link GuardConfiguration}).
 * Values are checked by the core when the data source is created; an invalid one stops start-up with a
 * {@link ConfigurationException} that names the key.
 */
@EachProperty(SeqguardDataSourceConfiguration.PREFIX)
public class SeqguardDataSourceConfiguration implements Toggleable {

    /** The prefix of the per-data-source sections. */
    public static final String PREFIX = "seqguard.datasources";

    private final String name;
    private boolean enabled = true;
    private String mode;
    private List<String> schemas = List.of();
    private List<String> excludeSchemas = List.of();
    private List<String> excludeSequences = List.of();
    private List<String> excludeTables = List.of();
    private List<String> mappings = List.of();
    private String allocation;
    private Long margin;
    private Duration statementTimeout;
    private Duration lockTimeout;
    private Integer jobs;
    private Double capacityWarning;
    private Boolean blockWritersDuringRepair;
    private Duration lockWaitTimeout;
    private Duration timeLimit;
    private String onStandby;
    private String onEnabledSubscription;
    private String applicationName;
    private boolean journal;
    private String journalTable;

    /**
     * A configuration with the core's defaults.
     *
     * @param name the data source's name, for example {@code default}
     */
    public SeqguardDataSourceConfiguration(@Parameter String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    /**
     * Builds the guard for this data source.
     *
     * @param pool the pool itself (not a transaction-aware or otherwise wrapping data source)
     * @param defaultApplicationName the name used when {@code application-name} is not set, for example
     *     {@code micronaut.application.name}; may be null (the connection's {@code application_name})
     * @return the loaded guard
     * @throws ConfigurationException naming the key whose value the core refused
     */
    public StartupGuard load(DataSource pool, @Nullable String defaultApplicationName) {
        return load(configure(pool, defaultApplicationName));
    }

    /**
     * The guard's configuration with these properties applied, not loaded yet, so that
     * {@link SeqguardConfigurationCustomizer}s can add to it.
     *
     * @param pool the pool itself (not a transaction-aware or otherwise wrapping data source)
     * @param defaultApplicationName the name used when {@code application-name} is not set; may be null
     * @return the configuration
     * @throws ConfigurationException naming the key whose value the core refused
     */
    public GuardConfiguration configure(DataSource pool, @Nullable String defaultApplicationName) {
        GuardConfiguration guard = StartupGuard.configure().dataSource(pool);
        if (mode != null) {
            set("mode", () -> guard.mode(mode));
        }
        if (lockWaitTimeout != null) {
            set("lock-wait-timeout", () -> guard.lockWaitTimeout(lockWaitTimeout));
        }
        if (timeLimit != null) {
            set("time-limit", () -> guard.timeLimit(timeLimit));
        }
        if (onStandby != null) {
            set("on-standby", () -> guard.onStandby(onStandby));
        }
        if (onEnabledSubscription != null) {
            set("on-enabled-subscription", () -> guard.onEnabledSubscription(onEnabledSubscription));
        }
        String application = applicationName != null ? applicationName : defaultApplicationName;
        if (application != null) {
            set(applicationName != null ? "application-name" : "application-name (from micronaut.application.name)",
                    () -> guard.applicationName(application));
        }
        guard.journal(journal);
        if (journalTable != null) {
            set("journal-table", () -> guard.journalTable(journalTable));
        }
        List<SequenceMapping> parsedMappings = new ArrayList<>();
        for (String mapping : mappings) {
            set("mappings", () -> parsedMappings.add(SequenceMapping.parse(mapping)));
        }
        AllocationRule rule = allocation == null ? null : get("allocation", () -> AllocationRule.parse(allocation));
        guard.aligner(aligner -> {
            if (!schemas.isEmpty()) {
                set("schemas", () -> aligner.schemas(schemas));
            }
            if (!excludeSchemas.isEmpty()) {
                set("exclude-schemas", () -> aligner.excludeSchemas(excludeSchemas));
            }
            if (!excludeSequences.isEmpty()) {
                set("exclude-sequences", () -> aligner.excludeSequences(excludeSequences));
            }
            if (!excludeTables.isEmpty()) {
                set("exclude-tables", () -> aligner.excludeTables(excludeTables));
            }
            aligner.mappings(parsedMappings);
            if (rule != null) {
                aligner.allocation(rule);
            }
            if (margin != null) {
                set("margin", () -> aligner.margin(margin));
            }
            if (statementTimeout != null) {
                set("statement-timeout", () -> aligner.statementTimeout(statementTimeout));
            }
            if (lockTimeout != null) {
                set("lock-timeout", () -> aligner.lockTimeout(lockTimeout));
            }
            if (jobs != null) {
                set("jobs", () -> aligner.jobs(jobs));
            }
            if (capacityWarning != null) {
                set("capacity-warning", () -> aligner.capacityWarning(capacityWarning));
            }
            if (blockWritersDuringRepair != null) {
                aligner.blockWritersDuringRepair(blockWritersDuringRepair);
            }
        });
        return guard;
    }

    /**
     * Loads a configuration made by {@link #configure}, possibly customized.
     *
     * @param guard the configuration
     * @return the loaded guard
     * @throws ConfigurationException when its values contradict each other, naming this data source's section
     */
    public StartupGuard load(GuardConfiguration guard) {
        try {
            return guard.load();
        } catch (IllegalStateException e) {
            // values that contradict each other, such as a lock wait longer than the time limit
            throw new ConfigurationException(PREFIX + "." + name + ": " + e.getMessage()
                    + " (the values come from these properties and any SeqguardConfigurationCustomizer)", e);
        }
    }

    private void set(String key, Runnable setter) {
        get(key, () -> {
            setter.run();
            return null;
        });
    }

    private <T> T get(String key, java.util.function.Supplier<T> parser) {
        try {
            return parser.get();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new ConfigurationException(PREFIX + "." + name + "." + key + " is invalid: " + e.getMessage(), e);
        }
    }

    /** {@return the data source's name} */
    public String getName() {
        return name;
    }

    /** Whether this data source is guarded; default true. */
    @Override
    public boolean isEnabled() {
        return enabled;
    }

    /** @param enabled false: this data source is not guarded */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** {@return {@code repair}, {@code verify} or {@code off}; null: the core's default ({@code repair})} */
    public @Nullable String getMode() {
        return mode;
    }

    /** @param mode {@code repair}, {@code verify} or {@code off} (YAML's {@code off}/{@code false} also mean off) */
    public void setMode(@Nullable String mode) {
        this.mode = mode;
    }

    /** {@return only these schemas; empty: every schema but PostgreSQL's own} */
    public List<String> getSchemas() {
        return schemas;
    }

    /** @param schemas only these schemas */
    public void setSchemas(@Nullable List<String> schemas) {
        this.schemas = copy(schemas);
    }

    /** {@return schemas to leave out} */
    public List<String> getExcludeSchemas() {
        return excludeSchemas;
    }

    /** @param excludeSchemas schemas to leave out */
    public void setExcludeSchemas(@Nullable List<String> excludeSchemas) {
        this.excludeSchemas = copy(excludeSchemas);
    }

    /** {@return sequences reported as skipped and never touched} */
    public List<String> getExcludeSequences() {
        return excludeSequences;
    }

    /** @param excludeSequences sequences to report as skipped and never touch */
    public void setExcludeSequences(@Nullable List<String> excludeSequences) {
        this.excludeSequences = copy(excludeSequences);
    }

    /** {@return tables whose data is not compared} */
    public List<String> getExcludeTables() {
        return excludeTables;
    }

    /** @param excludeTables tables whose data is not compared */
    public void setExcludeTables(@Nullable List<String> excludeTables) {
        this.excludeTables = copy(excludeTables);
    }

    /** {@return extra sequence-to-column mappings, each {@code SEQUENCE=TABLE.COLUMN}} */
    public List<String> getMappings() {
        return mappings;
    }

    /** @param mappings each {@code SEQUENCE=TABLE.COLUMN}, see {@link SequenceMapping#parse(String)} */
    public void setMappings(@Nullable List<String> mappings) {
        this.mappings = copy(mappings);
    }

    /** {@return the allocation rule's text; null: the core's default ({@code pooled})} */
    public @Nullable String getAllocation() {
        return allocation;
    }

    /** @param allocation {@code plain}, {@code pooled}, {@code pooled-lo} or {@code hilo:<block size>} */
    public void setAllocation(@Nullable String allocation) {
        this.allocation = allocation;
    }

    /** {@return extra values a repair skips; null: the core's default (0)} */
    public @Nullable Long getMargin() {
        return margin;
    }

    /** @param margin extra values a repair skips beyond what the data needs */
    public void setMargin(@Nullable Long margin) {
        this.margin = margin;
    }

    /** {@return upper bound for each statement; null: the core's default (60 s)} */
    public @Nullable Duration getStatementTimeout() {
        return statementTimeout;
    }

    /** @param statementTimeout upper bound for each statement, for example {@code 30s} */
    public void setStatementTimeout(@Nullable Duration statementTimeout) {
        this.statementTimeout = statementTimeout;
    }

    /** {@return upper bound for each lock wait; null: the core's default (10 s)} */
    public @Nullable Duration getLockTimeout() {
        return lockTimeout;
    }

    /** @param lockTimeout upper bound for each lock wait */
    public void setLockTimeout(@Nullable Duration lockTimeout) {
        this.lockTimeout = lockTimeout;
    }

    /** {@return parallel connections reading the data; null: the core's default (2)} */
    public @Nullable Integer getJobs() {
        return jobs;
    }

    /** @param jobs parallel connections at most, 1 to 64; the guard takes {@code jobs + 1} of the pool at once */
    public void setJobs(@Nullable Integer jobs) {
        this.jobs = jobs;
    }

    /**
     * {@return share of its range from which a sequence is reported as nearly used up; null: the core's default (0.8)}
     */
    public @Nullable Double getCapacityWarning() {
        return capacityWarning;
    }

    /** @param capacityWarning above 0, at most 1 */
    public void setCapacityWarning(@Nullable Double capacityWarning) {
        this.capacityWarning = capacityWarning;
    }

    /** {@return whether a repair blocks writers of the tables it aligns; null: the core's default (false)} */
    public @Nullable Boolean getBlockWritersDuringRepair() {
        return blockWritersDuringRepair;
    }

    /** @param blockWritersDuringRepair true for rolling deploys where running instances write explicit ids */
    public void setBlockWritersDuringRepair(@Nullable Boolean blockWritersDuringRepair) {
        this.blockWritersDuringRepair = blockWritersDuringRepair;
    }

    /** {@return how long to wait for another instance's repair; null: the core's default (60 s or the time limit)} */
    public @Nullable Duration getLockWaitTimeout() {
        return lockWaitTimeout;
    }

    /** @param lockWaitTimeout how long to wait for the seqguard advisory lock; at most the time limit */
    public void setLockWaitTimeout(@Nullable Duration lockWaitTimeout) {
        this.lockWaitTimeout = lockWaitTimeout;
    }

    /** {@return the most the guard may take in all; null: the core's default (120 s)} */
    public @Nullable Duration getTimeLimit() {
        return timeLimit;
    }

    /** @param timeLimit the most the guard may take, lock wait included */
    public void setTimeLimit(@Nullable Duration timeLimit) {
        this.timeLimit = timeLimit;
    }

    /** {@return what to do on a standby; null: the core's default ({@code verify})} */
    public @Nullable String getOnStandby() {
        return onStandby;
    }

    /** @param onStandby {@code verify}, {@code warn}, {@code skip} or {@code fail} */
    public void setOnStandby(@Nullable String onStandby) {
        this.onStandby = onStandby;
    }

    /** {@return what to do with an enabled subscription; null: the core's default ({@code refuse})} */
    public @Nullable String getOnEnabledSubscription() {
        return onEnabledSubscription;
    }

    /** @param onEnabledSubscription {@code refuse}, {@code proceed}, {@code verify} or {@code skip} */
    public void setOnEnabledSubscription(@Nullable String onEnabledSubscription) {
        this.onEnabledSubscription = onEnabledSubscription;
    }

    /**
     * {@return the name for the log and the journal; null: {@code micronaut.application.name}, else the connection's}
     */
    public @Nullable String getApplicationName() {
        return applicationName;
    }

    /** @param applicationName the name for the log and the journal */
    public void setApplicationName(@Nullable String applicationName) {
        this.applicationName = applicationName;
    }

    /** {@return whether each run is recorded in the journal table; default false} */
    public boolean isJournal() {
        return journal;
    }

    /** @param journal true: record each run in the journal table (created when missing) */
    public void setJournal(boolean journal) {
        this.journal = journal;
    }

    /** {@return the journal table; null: the core's default ({@code public.seqguard_journal})} */
    public @Nullable String getJournalTable() {
        return journalTable;
    }

    /** @param journalTable {@code NAME} or {@code SCHEMA.NAME} in SQL syntax */
    public void setJournalTable(@Nullable String journalTable) {
        this.journalTable = journalTable;
    }

    private static List<String> copy(@Nullable List<String> values) {
        return values == null ? List.of() : List.copyOf(values);
    }

    @Override
    public String toString() {
        return "SeqguardDataSourceConfiguration[" + name + (enabled ? "" : ", disabled")
                + (mode != null ? ", mode " + mode : "") + "]";
    }
}
