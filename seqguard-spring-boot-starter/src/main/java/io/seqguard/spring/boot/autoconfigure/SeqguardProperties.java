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

    /** {@return whether seqguard guards the application's DataSources at start-up} */
    public boolean isEnabled() {
        return enabled;
    }

    /** @param enabled whether seqguard guards the application's DataSources at start-up */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** {@return what the guard does at start-up} */
    public GuardMode getMode() {
        return mode;
    }

    /** @param mode what the guard does at start-up */
    public void setMode(GuardMode mode) {
        this.mode = mode;
    }

    /** {@return schemas to check} */
    public List<String> getSchemas() {
        return schemas;
    }

    /** @param schemas schemas to check */
    public void setSchemas(List<String> schemas) {
        this.schemas = schemas;
    }

    /** {@return schemas to leave out} */
    public List<String> getExcludeSchemas() {
        return excludeSchemas;
    }

    /** @param excludeSchemas schemas to leave out */
    public void setExcludeSchemas(List<String> excludeSchemas) {
        this.excludeSchemas = excludeSchemas;
    }

    /** {@return sequences never to check or touch} */
    public List<String> getExcludeSequences() {
        return excludeSequences;
    }

    /** @param excludeSequences sequences never to check or touch */
    public void setExcludeSequences(List<String> excludeSequences) {
        this.excludeSequences = excludeSequences;
    }

    /** {@return tables whose data is not compared} */
    public List<String> getExcludeTables() {
        return excludeTables;
    }

    /** @param excludeTables tables whose data is not compared */
    public void setExcludeTables(List<String> excludeTables) {
        this.excludeTables = excludeTables;
    }

    /** {@return columns a sequence feeds that the catalog cannot show} */
    public List<String> getMappings() {
        return mappings;
    }

    /** @param mappings columns a sequence feeds that the catalog cannot show */
    public void setMappings(List<String> mappings) {
        this.mappings = mappings;
    }

    /** {@return how the application turns sequence values into ids} */
    public String getAllocation() {
        return allocation;
    }

    /** @param allocation how the application turns sequence values into ids */
    public void setAllocation(String allocation) {
        this.allocation = allocation;
    }

    /** {@return extra sequence values a repair skips beyond what the data needs, for rows still in flight} */
    public long getMargin() {
        return margin;
    }

    /** @param margin extra sequence values a repair skips beyond what the data needs, for rows still in flight */
    public void setMargin(long margin) {
        this.margin = margin;
    }

    /** {@return upper bound for each statement the guard runs} */
    public Duration getStatementTimeout() {
        return statementTimeout;
    }

    /** @param statementTimeout upper bound for each statement the guard runs */
    public void setStatementTimeout(Duration statementTimeout) {
        this.statementTimeout = statementTimeout;
    }

    /** {@return upper bound for each wait on a table or sequence lock held by another session} */
    public Duration getLockTimeout() {
        return lockTimeout;
    }

    /** @param lockTimeout upper bound for each wait on a table or sequence lock held by another session */
    public void setLockTimeout(Duration lockTimeout) {
        this.lockTimeout = lockTimeout;
    }

    /** {@return how long an instance waits for the seqguard advisory lock while another instance holds it} */
    public Duration getLockWaitTimeout() {
        return lockWaitTimeout;
    }

    /**
     * @param lockWaitTimeout how long an instance waits for the seqguard advisory lock while another instance holds it
     */
    public void setLockWaitTimeout(Duration lockWaitTimeout) {
        this.lockWaitTimeout = lockWaitTimeout;
    }

    /** {@return the most the guard may take for one DataSource in all, lock wait included} */
    public Duration getTimeLimit() {
        return timeLimit;
    }

    /** @param timeLimit the most the guard may take for one DataSource in all, lock wait included */
    public void setTimeLimit(Duration timeLimit) {
        this.timeLimit = timeLimit;
    }

    /** {@return connections used in parallel to read the data, at most} */
    public int getJobs() {
        return jobs;
    }

    /** @param jobs connections used in parallel to read the data, at most */
    public void setJobs(int jobs) {
        this.jobs = jobs;
    }

    /** {@return share of its range from which a sequence is reported as nearly used up} */
    public double getCapacityWarning() {
        return capacityWarning;
    }

    /** @param capacityWarning share of its range from which a sequence is reported as nearly used up */
    public void setCapacityWarning(double capacityWarning) {
        this.capacityWarning = capacityWarning;
    }

    /** {@return what to do when the server is a standby, which can never be repaired} */
    public StandbyAction getOnStandby() {
        return onStandby;
    }

    /** @param onStandby what to do when the server is a standby, which can never be repaired */
    public void setOnStandby(StandbyAction onStandby) {
        this.onStandby = onStandby;
    }

    /**
     * {@return what to do when an enabled logical replication subscription still feeds the database, so the cutover is
     * not finished}
     */
    public SubscriptionAction getOnEnabledSubscription() {
        return onEnabledSubscription;
    }

    /**
     * @param onEnabledSubscription what to do when an enabled logical replication subscription still feeds the
     *     database, so the cutover is not finished
     */
    public void setOnEnabledSubscription(SubscriptionAction onEnabledSubscription) {
        this.onEnabledSubscription = onEnabledSubscription;
    }

    /** {@return whether a repair holds the tables a lagging sequence feeds in SHARE mode} */
    public boolean isBlockWritersDuringRepair() {
        return blockWritersDuringRepair;
    }

    /** @param blockWritersDuringRepair whether a repair holds the tables a lagging sequence feeds in SHARE mode */
    public void setBlockWritersDuringRepair(boolean blockWritersDuringRepair) {
        this.blockWritersDuringRepair = blockWritersDuringRepair;
    }

    /** {@return the application's name in the guard's log and journal} */
    public String getApplicationName() {
        return applicationName;
    }

    /** @param applicationName the application's name in the guard's log and journal */
    public void setApplicationName(String applicationName) {
        this.applicationName = applicationName;
    }

    /** {@return the journal} */
    public Journal getJournal() {
        return journal;
    }

    /** {@return settings for one DataSource bean, by bean name, overriding the ones above} */
    public Map<String, DataSourceGuard> getDatasources() {
        return datasources;
    }

    /** @param datasources settings for one DataSource bean, by bean name, overriding the ones above */
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

        /** {@return whether each guard run is recorded in the journal table} */
        public boolean isEnabled() {
            return enabled;
        }

        /** @param enabled whether each guard run is recorded in the journal table */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /** {@return the journal table, NAME or SCHEMA.NAME in SQL syntax} */
        public String getTable() {
            return table;
        }

        /** @param table the journal table, NAME or SCHEMA.NAME in SQL syntax */
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

        /** {@return whether this DataSource is guarded} */
        public Boolean getEnabled() {
            return enabled;
        }

        /** @param enabled whether this DataSource is guarded */
        public void setEnabled(Boolean enabled) {
            this.enabled = enabled;
        }

        /** {@return what the guard does for this DataSource} */
        public GuardMode getMode() {
            return mode;
        }

        /** @param mode what the guard does for this DataSource */
        public void setMode(GuardMode mode) {
            this.mode = mode;
        }

        /** {@return schemas to check} */
        public List<String> getSchemas() {
            return schemas;
        }

        /** @param schemas schemas to check */
        public void setSchemas(List<String> schemas) {
            this.schemas = schemas;
        }

        /** {@return schemas to leave out} */
        public List<String> getExcludeSchemas() {
            return excludeSchemas;
        }

        /** @param excludeSchemas schemas to leave out */
        public void setExcludeSchemas(List<String> excludeSchemas) {
            this.excludeSchemas = excludeSchemas;
        }

        /** {@return sequences never to check or touch} */
        public List<String> getExcludeSequences() {
            return excludeSequences;
        }

        /** @param excludeSequences sequences never to check or touch */
        public void setExcludeSequences(List<String> excludeSequences) {
            this.excludeSequences = excludeSequences;
        }

        /** {@return tables whose data is not compared} */
        public List<String> getExcludeTables() {
            return excludeTables;
        }

        /** @param excludeTables tables whose data is not compared */
        public void setExcludeTables(List<String> excludeTables) {
            this.excludeTables = excludeTables;
        }

        /** {@return columns a sequence feeds that the catalog cannot show, as 'SEQUENCE=TABLE.COLUMN'} */
        public List<String> getMappings() {
            return mappings;
        }

        /** @param mappings columns a sequence feeds that the catalog cannot show, as 'SEQUENCE=TABLE.COLUMN' */
        public void setMappings(List<String> mappings) {
            this.mappings = mappings;
        }

        /** {@return how the application turns sequence values into ids} */
        public String getAllocation() {
            return allocation;
        }

        /** @param allocation how the application turns sequence values into ids */
        public void setAllocation(String allocation) {
            this.allocation = allocation;
        }

        /** {@return extra sequence values a repair skips beyond what the data needs} */
        public Long getMargin() {
            return margin;
        }

        /** @param margin extra sequence values a repair skips beyond what the data needs */
        public void setMargin(Long margin) {
            this.margin = margin;
        }

        /** {@return upper bound for each statement the guard runs} */
        public Duration getStatementTimeout() {
            return statementTimeout;
        }

        /** @param statementTimeout upper bound for each statement the guard runs */
        public void setStatementTimeout(Duration statementTimeout) {
            this.statementTimeout = statementTimeout;
        }

        /** {@return upper bound for each lock wait} */
        public Duration getLockTimeout() {
            return lockTimeout;
        }

        /** @param lockTimeout upper bound for each lock wait */
        public void setLockTimeout(Duration lockTimeout) {
            this.lockTimeout = lockTimeout;
        }

        /** {@return how long an instance waits for the seqguard advisory lock} */
        public Duration getLockWaitTimeout() {
            return lockWaitTimeout;
        }

        /** @param lockWaitTimeout how long an instance waits for the seqguard advisory lock */
        public void setLockWaitTimeout(Duration lockWaitTimeout) {
            this.lockWaitTimeout = lockWaitTimeout;
        }

        /** {@return the most the guard may take for this DataSource in all} */
        public Duration getTimeLimit() {
            return timeLimit;
        }

        /** @param timeLimit the most the guard may take for this DataSource in all */
        public void setTimeLimit(Duration timeLimit) {
            this.timeLimit = timeLimit;
        }

        /** {@return connections used in parallel to read the data} */
        public Integer getJobs() {
            return jobs;
        }

        /** @param jobs connections used in parallel to read the data */
        public void setJobs(Integer jobs) {
            this.jobs = jobs;
        }

        /** {@return share of its range from which a sequence is reported as nearly used up} */
        public Double getCapacityWarning() {
            return capacityWarning;
        }

        /** @param capacityWarning share of its range from which a sequence is reported as nearly used up */
        public void setCapacityWarning(Double capacityWarning) {
            this.capacityWarning = capacityWarning;
        }

        /** {@return what to do when the server is a standby} */
        public StandbyAction getOnStandby() {
            return onStandby;
        }

        /** @param onStandby what to do when the server is a standby */
        public void setOnStandby(StandbyAction onStandby) {
            this.onStandby = onStandby;
        }

        /** {@return what to do when an enabled subscription still feeds the database} */
        public SubscriptionAction getOnEnabledSubscription() {
            return onEnabledSubscription;
        }

        /** @param onEnabledSubscription what to do when an enabled subscription still feeds the database */
        public void setOnEnabledSubscription(SubscriptionAction onEnabledSubscription) {
            this.onEnabledSubscription = onEnabledSubscription;
        }

        /**
         * {@return whether a repair blocks writers of the tables a lagging sequence feeds while it moves the sequence}
         */
        public Boolean getBlockWritersDuringRepair() {
            return blockWritersDuringRepair;
        }

        /**
         * @param blockWritersDuringRepair whether a repair blocks writers of the tables a lagging sequence feeds while
         *     it moves the sequence
         */
        public void setBlockWritersDuringRepair(Boolean blockWritersDuringRepair) {
            this.blockWritersDuringRepair = blockWritersDuringRepair;
        }

        /** {@return the application's name in the guard's log and journal} */
        public String getApplicationName() {
            return applicationName;
        }

        /** @param applicationName the application's name in the guard's log and journal */
        public void setApplicationName(String applicationName) {
            this.applicationName = applicationName;
        }

        /** {@return the journal for this DataSource} */
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

        /** {@return whether guard runs on this DataSource are recorded in the journal table} */
        public Boolean getEnabled() {
            return enabled;
        }

        /** @param enabled whether guard runs on this DataSource are recorded in the journal table */
        public void setEnabled(Boolean enabled) {
            this.enabled = enabled;
        }

        /** {@return the journal table for this DataSource} */
        public String getTable() {
            return table;
        }

        /** @param table the journal table for this DataSource */
        public void setTable(String table) {
            this.table = table;
        }
    }
}
