package io.seqguard.spring.boot.autoconfigure;

import io.seqguard.GuardMode;
import io.seqguard.StandbyAction;
import io.seqguard.SubscriptionAction;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of seqguard's startup guard, under {@code seqguard.*}. The values apply to every {@code DataSource}
 * bean; {@code seqguard.datasources.<bean name>.*} overrides them for one bean.
 *
 * <pre>
 * seqguard.mode=verify
 * seqguard.exclude-schemas=audit
 * seqguard.mappings=billing.invoice_number_seq=billing.invoice.number
 * seqguard.datasources.reportingDataSource.enabled=false
 * </pre>
 *
 * <p>Defaults are written as literals so that the configuration metadata shows them; they equal the core's
 * ({@code AlignerConfiguration.DEFAULT_*}, {@code GuardConfiguration.DEFAULT_*}), which a test checks.
 */
@ConfigurationProperties(prefix = "seqguard")
public class SeqguardProperties {

    /**
     * Whether seqguard guards the application's DataSources at start-up: after Flyway, Liquibase and SQL init
     * scripts, before JdbcTemplate, JdbcClient, JPA, Spring Data JDBC and jOOQ get the database.
     */
    private boolean enabled = true;

    /**
     * What the guard does at start-up: 'repair' moves every sequence that lags its data forward (never backwards),
     * 'verify' changes nothing and fails start-up when a sequence lags, 'off' checks nothing.
     */
    private GuardMode mode = GuardMode.REPAIR;

    /** Schemas to check. When empty, every schema but PostgreSQL's own. Each must exist. */
    private List<String> schemas = new ArrayList<>();

    /** Schemas to leave out. */
    private List<String> excludeSchemas = new ArrayList<>();

    /** Sequences never to check or touch (reported as skipped), for example 'billing.legacy_seq'. */
    private List<String> excludeSequences = new ArrayList<>();

    /** Tables whose data is not compared; a sequence that feeds only these is skipped. */
    private List<String> excludeTables = new ArrayList<>();

    /**
     * Columns a sequence feeds that the catalog cannot show (the sequence is used by application code), as
     * 'SEQUENCE=TABLE.COLUMN', for example 'billing.invoice_number_seq=billing.invoice.number'.
     */
    private List<String> mappings = new ArrayList<>();

    /**
     * How the application turns sequence values into ids: 'plain', 'pooled' (Hibernate's default optimizer for an
     * allocation size above 1, and the strictest rule), 'pooled-lo' or 'hilo:BLOCK_SIZE'.
     */
    private String allocation = "pooled";

    /** Extra sequence values a repair skips beyond what the data needs, for rows still in flight. */
    private long margin;

    /** Upper bound for each statement the guard runs (a max() on an unindexed column is the slow one). */
    private Duration statementTimeout = Duration.ofSeconds(60);

    /** Upper bound for each wait on a table or sequence lock held by another session. */
    private Duration lockTimeout = Duration.ofSeconds(10);

    /**
     * How long an instance waits for the seqguard advisory lock while another instance holds it (repairing). When
     * not set, 60 seconds, or the time limit when that is shorter. Must not exceed the time limit.
     */
    private Duration lockWaitTimeout;

    /** The most the guard may take for one DataSource in all, lock wait included; start-up fails when it passes. */
    private Duration timeLimit = Duration.ofSeconds(120);

    /**
     * Connections used in parallel to read the data, at most. The guard takes jobs + 1 connections of the pool at once
     * (one holds its lock); a Hikari pool that lends fewer is read with fewer jobs.
     */
    private int jobs = 2;

    /** Share of its range (above 0, at most 1) from which a sequence is reported as nearly used up. */
    private double capacityWarning = 0.8;

    /**
     * What to do when the server is a standby, which can never be repaired: 'verify' (fail start-up on drift),
     * 'warn' (log drift and start), 'skip' (check nothing) or 'fail' (refuse every standby).
     */
    private StandbyAction onStandby = StandbyAction.VERIFY;

    /**
     * What to do when an enabled logical replication subscription still feeds the database, so the cutover is not
     * finished: 'refuse' (fail start-up, naming it), 'proceed', 'verify' (change nothing, fail on drift) or 'skip'.
     */
    private SubscriptionAction onEnabledSubscription = SubscriptionAction.REFUSE;

    /**
     * Whether a repair holds the tables a lagging sequence feeds in SHARE mode (writers wait, readers do not) while
     * it moves the sequence. For rolling deploys where running instances already write with explicit ids.
     */
    private boolean blockWritersDuringRepair;

    /**
     * The application's name in the guard's log and journal. When not set, 'spring.application.name', else the
     * connection's application_name.
     */
    private String applicationName;

    /** The journal: one row per guard run, which also lets the guard tell a first boot from a known primary. */
    private final Journal journal = new Journal();

    /**
     * Settings for one DataSource bean, by bean name, overriding the ones above; for example
     * 'seqguard.datasources.reportingDataSource.enabled=false'. Every name must be a DataSource bean.
     */
    private Map<String, DataSourceGuard> datasources = new LinkedHashMap<>();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public GuardMode getMode() {
        return mode;
    }

    public void setMode(GuardMode mode) {
        this.mode = mode;
    }

    public List<String> getSchemas() {
        return schemas;
    }

    public void setSchemas(List<String> schemas) {
        this.schemas = schemas;
    }

    public List<String> getExcludeSchemas() {
        return excludeSchemas;
    }

    public void setExcludeSchemas(List<String> excludeSchemas) {
        this.excludeSchemas = excludeSchemas;
    }

    public List<String> getExcludeSequences() {
        return excludeSequences;
    }

    public void setExcludeSequences(List<String> excludeSequences) {
        this.excludeSequences = excludeSequences;
    }

    public List<String> getExcludeTables() {
        return excludeTables;
    }

    public void setExcludeTables(List<String> excludeTables) {
        this.excludeTables = excludeTables;
    }

    public List<String> getMappings() {
        return mappings;
    }

    public void setMappings(List<String> mappings) {
        this.mappings = mappings;
    }

    public String getAllocation() {
        return allocation;
    }

    public void setAllocation(String allocation) {
        this.allocation = allocation;
    }

    public long getMargin() {
        return margin;
    }

    public void setMargin(long margin) {
        this.margin = margin;
    }

    public Duration getStatementTimeout() {
        return statementTimeout;
    }

    public void setStatementTimeout(Duration statementTimeout) {
        this.statementTimeout = statementTimeout;
    }

    public Duration getLockTimeout() {
        return lockTimeout;
    }

    public void setLockTimeout(Duration lockTimeout) {
        this.lockTimeout = lockTimeout;
    }

    public Duration getLockWaitTimeout() {
        return lockWaitTimeout;
    }

    public void setLockWaitTimeout(Duration lockWaitTimeout) {
        this.lockWaitTimeout = lockWaitTimeout;
    }

    public Duration getTimeLimit() {
        return timeLimit;
    }

    public void setTimeLimit(Duration timeLimit) {
        this.timeLimit = timeLimit;
    }

    public int getJobs() {
        return jobs;
    }

    public void setJobs(int jobs) {
        this.jobs = jobs;
    }

    public double getCapacityWarning() {
        return capacityWarning;
    }

    public void setCapacityWarning(double capacityWarning) {
        this.capacityWarning = capacityWarning;
    }

    public StandbyAction getOnStandby() {
        return onStandby;
    }

    public void setOnStandby(StandbyAction onStandby) {
        this.onStandby = onStandby;
    }

    public SubscriptionAction getOnEnabledSubscription() {
        return onEnabledSubscription;
    }

    public void setOnEnabledSubscription(SubscriptionAction onEnabledSubscription) {
        this.onEnabledSubscription = onEnabledSubscription;
    }

    public boolean isBlockWritersDuringRepair() {
        return blockWritersDuringRepair;
    }

    public void setBlockWritersDuringRepair(boolean blockWritersDuringRepair) {
        this.blockWritersDuringRepair = blockWritersDuringRepair;
    }

    public String getApplicationName() {
        return applicationName;
    }

    public void setApplicationName(String applicationName) {
        this.applicationName = applicationName;
    }

    public Journal getJournal() {
        return journal;
    }

    public Map<String, DataSourceGuard> getDatasources() {
        return datasources;
    }

    public void setDatasources(Map<String, DataSourceGuard> datasources) {
        this.datasources = datasources;
    }

    /** The journal table, {@code seqguard.journal.*}. */
    public static class Journal {

        /**
         * Whether each guard run is recorded in the journal table (created when missing): when, which primary,
         * which application, what mode, what outcome, which sequences moved.
         */
        private boolean enabled;

        /**
         * The journal table, NAME or SCHEMA.NAME in SQL syntax ("Quoted" parts keep their case). The schema must
         * exist.
         */
        private String table = "public.seqguard_journal";

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getTable() {
            return table;
        }

        public void setTable(String table) {
            this.table = table;
        }
    }

    /**
     * Settings for one DataSource bean, {@code seqguard.datasources.<bean name>.*}. Each value that is set replaces
     * the global one (lists replace, they do not add); each value left unset keeps it.
     */
    public static class DataSourceGuard {

        /**
         * Whether this DataSource is guarded. Routing DataSources (AbstractRoutingDataSource) are not guarded unless
         * this is true: their target DataSources are, when they are beans.
         */
        private Boolean enabled;

        /** What the guard does for this DataSource: 'repair', 'verify' or 'off'. */
        private GuardMode mode;

        /** Schemas to check. */
        private List<String> schemas;

        /** Schemas to leave out. */
        private List<String> excludeSchemas;

        /** Sequences never to check or touch. */
        private List<String> excludeSequences;

        /** Tables whose data is not compared. */
        private List<String> excludeTables;

        /** Columns a sequence feeds that the catalog cannot show, as 'SEQUENCE=TABLE.COLUMN'. */
        private List<String> mappings;

        /** How the application turns sequence values into ids. */
        private String allocation;

        /** Extra sequence values a repair skips beyond what the data needs. */
        private Long margin;

        /** Upper bound for each statement the guard runs. */
        private Duration statementTimeout;

        /** Upper bound for each lock wait. */
        private Duration lockTimeout;

        /** How long an instance waits for the seqguard advisory lock. */
        private Duration lockWaitTimeout;

        /** The most the guard may take for this DataSource in all. */
        private Duration timeLimit;

        /** Connections used in parallel to read the data. */
        private Integer jobs;

        /** Share of its range from which a sequence is reported as nearly used up. */
        private Double capacityWarning;

        /** What to do when the server is a standby. */
        private StandbyAction onStandby;

        /** What to do when an enabled subscription still feeds the database. */
        private SubscriptionAction onEnabledSubscription;

        /** Whether a repair blocks writers of the tables a lagging sequence feeds while it moves the sequence. */
        private Boolean blockWritersDuringRepair;

        /** The application's name in the guard's log and journal. */
        private String applicationName;

        /** The journal for this DataSource. */
        private final JournalOverride journal = new JournalOverride();

        public Boolean getEnabled() {
            return enabled;
        }

        public void setEnabled(Boolean enabled) {
            this.enabled = enabled;
        }

        public GuardMode getMode() {
            return mode;
        }

        public void setMode(GuardMode mode) {
            this.mode = mode;
        }

        public List<String> getSchemas() {
            return schemas;
        }

        public void setSchemas(List<String> schemas) {
            this.schemas = schemas;
        }

        public List<String> getExcludeSchemas() {
            return excludeSchemas;
        }

        public void setExcludeSchemas(List<String> excludeSchemas) {
            this.excludeSchemas = excludeSchemas;
        }

        public List<String> getExcludeSequences() {
            return excludeSequences;
        }

        public void setExcludeSequences(List<String> excludeSequences) {
            this.excludeSequences = excludeSequences;
        }

        public List<String> getExcludeTables() {
            return excludeTables;
        }

        public void setExcludeTables(List<String> excludeTables) {
            this.excludeTables = excludeTables;
        }

        public List<String> getMappings() {
            return mappings;
        }

        public void setMappings(List<String> mappings) {
            this.mappings = mappings;
        }

        public String getAllocation() {
            return allocation;
        }

        public void setAllocation(String allocation) {
            this.allocation = allocation;
        }

        public Long getMargin() {
            return margin;
        }

        public void setMargin(Long margin) {
            this.margin = margin;
        }

        public Duration getStatementTimeout() {
            return statementTimeout;
        }

        public void setStatementTimeout(Duration statementTimeout) {
            this.statementTimeout = statementTimeout;
        }

        public Duration getLockTimeout() {
            return lockTimeout;
        }

        public void setLockTimeout(Duration lockTimeout) {
            this.lockTimeout = lockTimeout;
        }

        public Duration getLockWaitTimeout() {
            return lockWaitTimeout;
        }

        public void setLockWaitTimeout(Duration lockWaitTimeout) {
            this.lockWaitTimeout = lockWaitTimeout;
        }

        public Duration getTimeLimit() {
            return timeLimit;
        }

        public void setTimeLimit(Duration timeLimit) {
            this.timeLimit = timeLimit;
        }

        public Integer getJobs() {
            return jobs;
        }

        public void setJobs(Integer jobs) {
            this.jobs = jobs;
        }

        public Double getCapacityWarning() {
            return capacityWarning;
        }

        public void setCapacityWarning(Double capacityWarning) {
            this.capacityWarning = capacityWarning;
        }

        public StandbyAction getOnStandby() {
            return onStandby;
        }

        public void setOnStandby(StandbyAction onStandby) {
            this.onStandby = onStandby;
        }

        public SubscriptionAction getOnEnabledSubscription() {
            return onEnabledSubscription;
        }

        public void setOnEnabledSubscription(SubscriptionAction onEnabledSubscription) {
            this.onEnabledSubscription = onEnabledSubscription;
        }

        public Boolean getBlockWritersDuringRepair() {
            return blockWritersDuringRepair;
        }

        public void setBlockWritersDuringRepair(Boolean blockWritersDuringRepair) {
            this.blockWritersDuringRepair = blockWritersDuringRepair;
        }

        public String getApplicationName() {
            return applicationName;
        }

        public void setApplicationName(String applicationName) {
            this.applicationName = applicationName;
        }

        public JournalOverride getJournal() {
            return journal;
        }
    }

    /** The journal settings of one DataSource; unset values keep the global ones. */
    public static class JournalOverride {

        /** Whether guard runs on this DataSource are recorded in the journal table. */
        private Boolean enabled;

        /** The journal table for this DataSource. */
        private String table;

        public Boolean getEnabled() {
            return enabled;
        }

        public void setEnabled(Boolean enabled) {
            this.enabled = enabled;
        }

        public String getTable() {
            return table;
        }

        public void setTable(String table) {
            this.table = table;
        }
    }
}
