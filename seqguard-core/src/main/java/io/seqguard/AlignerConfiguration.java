package io.seqguard;

import io.seqguard.internal.SqlNames;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * Fluent configuration of a {@link SequenceAligner}; obtain it from {@link SequenceAligner#configure()}, finish with
 * {@link #load()}. Setters validate at once and name the property in their message; {@link #load()} checks what
 * needs the whole picture. Not thread-safe; the loaded aligner keeps its own copy.
 *
 * <p>Names (schemas, sequences, tables) follow SQL rules: unquoted parts fold to lower case, {@code "Quoted"}
 * parts keep their case; a name without a schema means {@code public}.
 */
public final class AlignerConfiguration {

    /** Default for {@link #statementTimeout(Duration)}: long enough for an unindexed table of millions of rows. */
    public static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ofSeconds(60);
    /** Default for {@link #lockTimeout(Duration)}. */
    public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(10);
    /** Default for {@link #capacityWarning(double)}. */
    public static final double DEFAULT_CAPACITY_WARNING = 0.8;
    /** Default for {@link #jobs(int)}. */
    public static final int DEFAULT_JOBS = 2;
    /** Default for {@link #margin(long)}. */
    public static final long DEFAULT_MARGIN = 0;
    /** Default for {@link #allocation(AllocationRule)}: the strictest rule, what Hibernate's pooled optimizer needs. */
    public static final AllocationRule DEFAULT_ALLOCATION = AllocationRule.pooled();

    private DataSource dataSource;
    private DataSource source;
    private final List<String> schemas = new ArrayList<>();
    private final List<String> excludedSchemas = new ArrayList<>();
    private final List<String> excludedSequences = new ArrayList<>();
    private final List<String> excludedTables = new ArrayList<>();
    private final List<SequenceMapping> mappings = new ArrayList<>();
    private AllocationRule allocation = DEFAULT_ALLOCATION;
    private boolean allocationConfigured;
    private long margin = DEFAULT_MARGIN;
    private Duration statementTimeout = DEFAULT_STATEMENT_TIMEOUT;
    private Duration lockTimeout = DEFAULT_LOCK_TIMEOUT;
    private int jobs = DEFAULT_JOBS;
    private double capacityWarning = DEFAULT_CAPACITY_WARNING;
    private boolean blockWritersDuringRepair;
    private ProgressListener progressListener = ProgressListener.NONE;
    private final List<String> allowedUnverified = new ArrayList<>();
    private Vocabulary vocabulary = Vocabulary.API;

    AlignerConfiguration() {
    }

    AlignerConfiguration(AlignerConfiguration other) {
        dataSource = other.dataSource;
        source = other.source;
        schemas.addAll(other.schemas);
        excludedSchemas.addAll(other.excludedSchemas);
        excludedSequences.addAll(other.excludedSequences);
        excludedTables.addAll(other.excludedTables);
        mappings.addAll(other.mappings);
        allocation = other.allocation;
        allocationConfigured = other.allocationConfigured;
        margin = other.margin;
        statementTimeout = other.statementTimeout;
        lockTimeout = other.lockTimeout;
        jobs = other.jobs;
        capacityWarning = other.capacityWarning;
        blockWritersDuringRepair = other.blockWritersDuringRepair;
        progressListener = other.progressListener;
        allowedUnverified.addAll(other.allowedUnverified);
        vocabulary = other.vocabulary;
    }

    /**
     * The database to work on. Connections are borrowed for the duration of a verb and returned with their settings
     * restored.
     *
     * @param dataSource any PostgreSQL data source
     * @return this configuration
     */
    public AlignerConfiguration dataSource(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource must not be null");
        return this;
    }

    /**
     * The old primary (or a replica of it) as a second witness: for each sequence the required next value becomes the
     * furthest of what the data needs and what the source's sequence of the same name had handed out ({@code
     * is_called ? last_value + increment : last_value}), so sequences no column uses and ids handed out but never
     * committed are covered too. The source is only ever read, in read-only transactions: a standby or a role that
     * may only read its sequences will do. Sequences are matched by schema and name, within the same schemas.
     * Default: none (the data is the only witness).
     *
     * @param source the old primary, or a replica of it
     * @return this configuration
     */
    public AlignerConfiguration source(DataSource source) {
        this.source = Objects.requireNonNull(source, "source must not be null");
        return this;
    }

    /**
     * Only these schemas; when none is given, every schema but PostgreSQL's own. Each must exist.
     *
     * @param schemas schema names
     * @return this configuration
     */
    public AlignerConfiguration schemas(String... schemas) {
        return schemas(Arrays.asList(schemas));
    }

    /**
     * Only these schemas; when none is given, every schema but PostgreSQL's own. Each must exist.
     *
     * @param schemas schema names
     * @return this configuration
     */
    public AlignerConfiguration schemas(Collection<String> schemas) {
        this.schemas.clear();
        this.schemas.addAll(nonBlank(schemas, "schemas"));
        return this;
    }

    /**
     * Schemas to leave out.
     *
     * @param schemas schema names
     * @return this configuration
     */
    public AlignerConfiguration excludeSchemas(String... schemas) {
        return excludeSchemas(Arrays.asList(schemas));
    }

    /**
     * Schemas to leave out.
     *
     * @param schemas schema names
     * @return this configuration
     */
    public AlignerConfiguration excludeSchemas(Collection<String> schemas) {
        this.excludedSchemas.clear();
        this.excludedSchemas.addAll(nonBlank(schemas, "excludeSchemas"));
        return this;
    }

    /**
     * Sequences to report as skipped and never touch, for example {@code billing.legacy_seq}.
     *
     * @param sequences each {@code NAME} (in schema public) or {@code SCHEMA.NAME}
     * @return this configuration
     */
    public AlignerConfiguration excludeSequences(String... sequences) {
        return excludeSequences(Arrays.asList(sequences));
    }

    /**
     * Sequences to report as skipped and never touch, for example {@code billing.legacy_seq}.
     *
     * @param sequences each {@code NAME} (in schema public) or {@code SCHEMA.NAME}
     * @return this configuration
     */
    public AlignerConfiguration excludeSequences(Collection<String> sequences) {
        List<String> names = qualifiedNames(sequences, "excludeSequences");
        this.excludedSequences.clear();
        this.excludedSequences.addAll(names);
        return this;
    }

    /**
     * Tables whose data is not compared (a sequence feeding only these is reported as skipped). A partitioned table or
     * inheritance parent is excluded with its partitions and children; a partition or child alone is still counted
     * when its parent is read (a parent's {@code max()} sees every row below it), and its column's note says so.
     *
     * @param tables each {@code NAME} (in schema public) or {@code SCHEMA.NAME}
     * @return this configuration
     */
    public AlignerConfiguration excludeTables(String... tables) {
        return excludeTables(Arrays.asList(tables));
    }

    /**
     * Tables whose data is not compared (a sequence feeding only these is reported as skipped). A partitioned table or
     * inheritance parent is excluded with its partitions and children; a partition or child alone is still counted
     * when its parent is read (a parent's {@code max()} sees every row below it), and its column's note says so.
     *
     * @param tables each {@code NAME} (in schema public) or {@code SCHEMA.NAME}
     * @return this configuration
     */
    public AlignerConfiguration excludeTables(Collection<String> tables) {
        List<String> names = qualifiedNames(tables, "excludeTables");
        this.excludedTables.clear();
        this.excludedTables.addAll(names);
        return this;
    }

    /**
     * Adds a column a sequence feeds that the catalog does not show, for example
     * {@code map("billing.invoice_number_seq", "billing.invoice", "number")}.
     *
     * @param sequence {@code NAME} (in schema public) or {@code SCHEMA.NAME}
     * @param table the table it feeds, named the same way
     * @param column the column in that table
     * @return this configuration
     */
    public AlignerConfiguration map(String sequence, String table, String column) {
        return mappings(List.of(SequenceMapping.of(sequence, table, column)));
    }

    /**
     * Adds mappings: configured ones ({@link SequenceMapping#parse(String)} reads the text form) and ones an ORM module
     * discovered in the application's entity metadata (for example
     * {@code HibernateSequences.from(entityManagerFactory)} of {@code seqguard-hibernate}). A sequence's configured
     * mappings win over its discovered ones; a discovered mapping's allocation rule (the entity's optimizer and
     * {@code allocationSize}) wins over {@link #allocation(AllocationRule)}.
     *
     * @param mappings the columns to add
     * @return this configuration
     */
    public AlignerConfiguration mappings(Collection<SequenceMapping> mappings) {
        for (SequenceMapping mapping : mappings) {
            this.mappings.add(Objects.requireNonNull(mapping, "mappings must not contain null"));
        }
        return this;
    }

    /**
     * How applications turn sequence values into ids, for every sequence whose mappings do not say (an entity's
     * generator, found by an ORM module, says for its sequence); default {@link AllocationRule#pooled()}.
     *
     * @param allocation the rule for every sequence whose mappings do not say
     * @return this configuration
     */
    public AlignerConfiguration allocation(AllocationRule allocation) {
        this.allocation = Objects.requireNonNull(allocation, "allocation must not be null");
        this.allocationConfigured = true;
        return this;
    }

    /**
     * Extra sequence values a repair skips beyond what the data needs, for rows still in flight; default 0. A repair
     * narrows the margin rather than push a sequence past its maximum.
     *
     * @param margin values to skip, 0 or more
     * @return this configuration
     */
    public AlignerConfiguration margin(long margin) {
        if (margin < 0) {
            throw new IllegalArgumentException("margin: must be 0 or more, was " + margin);
        }
        this.margin = margin;
        return this;
    }

    /**
     * Upper bound for each statement that reads data or sequences (a {@code max()} on an unindexed column is the
     * slow one: such a column is then reported as not verifiable, naming the missing index). Catalog queries get at
     * least 60 s, so that a low bound meant for full scans does not fail a large database's catalog read.
     *
     * @param statementTimeout a positive duration
     * @return this configuration
     */
    public AlignerConfiguration statementTimeout(Duration statementTimeout) {
        this.statementTimeout = Durations.requireMillis(statementTimeout, "statementTimeout");
        return this;
    }

    /**
     * Upper bound for each wait on a lock held by someone else. A table another session keeps locked is waited for
     * once: its sequences are then {@linkplain SequenceStatus#NOT_VERIFIABLE not verifiable}, with the lock as their
     * reason, and the rest is judged.
     *
     * @param lockTimeout a positive duration
     * @return this configuration
     */
    public AlignerConfiguration lockTimeout(Duration lockTimeout) {
        this.lockTimeout = Durations.requireMillis(lockTimeout, "lockTimeout");
        return this;
    }

    /**
     * The most connections working in parallel, the first one included, for the catalog on a big database, the data
     * reads and the repair; default 2. A run asks the data source for the others once it has more than one chunk of
     * work and returns them when it ends; one the data source cannot lend (pool exhausted, role connection limit) is
     * logged at WARN and the work goes on with fewer. The work is on the server, so more than its cores gains nothing.
     *
     * @param jobs 1 or more
     * @return this configuration
     */
    public AlignerConfiguration jobs(int jobs) {
        if (jobs < 1 || jobs > 64) {
            throw new IllegalArgumentException("jobs: must be between 1 and 64, was " + jobs);
        }
        this.jobs = jobs;
        return this;
    }

    /**
     * Share of its range (0 to 1) from which a sequence is reported as nearly used up; default 0.8.
     *
     * @param capacityWarning above 0, at most 1
     * @return this configuration
     */
    public AlignerConfiguration capacityWarning(double capacityWarning) {
        if (!(capacityWarning > 0 && capacityWarning <= 1)) {
            throw new IllegalArgumentException("capacityWarning: must be above 0 and at most 1, was "
                    + capacityWarning);
        }
        this.capacityWarning = capacityWarning;
        return this;
    }

    /**
     * Whether a repair holds the tables a lagging sequence feeds in {@code SHARE} mode (writers wait, readers do not)
     * while it reads their maximum again and moves the sequence, one sequence at a time, each wait bounded by the
     * lock timeout. For rolling deploys where instances already write with explicit ids; default false, since
     * writers through the sequence itself never need it.
     *
     * @param blockWritersDuringRepair whether writers wait while a sequence moves
     * @return this configuration
     */
    public AlignerConfiguration blockWritersDuringRepair(boolean blockWritersDuringRepair) {
        this.blockWritersDuringRepair = blockWritersDuringRepair;
        return this;
    }

    /**
     * Acknowledges sequences that are knowingly not verified — an invoice number only application code hands out,
     * say — so that they no longer make a run {@linkplain Verdict#INCOMPLETE incomplete}. They are still read and
     * reported (as acknowledged) and a sequence that turns out behind is still drift. {@code all} acknowledges every
     * sequence no read can verify (no column uses it, none of its columns can be compared, it does not exist), not one
     * that this run could not read (a missing GRANT, row-level security, a lock or statement timeout, a source that
     * could not be read, a Citus node seqguard cannot judge): that one is acknowledged by its name. A sequence
     * literally named {@code all} is written {@code public.all}. Names follow SQL rules; without a schema,
     * {@code public}. Excluded sequences ({@link #excludeSequences(String...)}) are not looked at at all.
     *
     * @param sequences sequence names, or {@code all}
     * @return this configuration
     */
    public AlignerConfiguration allowUnverified(String... sequences) {
        return allowUnverified(Arrays.asList(sequences));
    }

    /**
     * Like {@link #allowUnverified(String...)}.
     *
     * @param sequences sequence names, or {@code all}
     * @return this configuration
     */
    public AlignerConfiguration allowUnverified(Collection<String> sequences) {
        for (String name : sequences) {
            Objects.requireNonNull(name, "allowUnverified must not contain null");
            if (!isAll(name)) {
                SqlNames.parseQualified(name, "allowUnverified");
            }
            allowedUnverified.add(name);
        }
        return this;
    }

    /**
     * How messages name options and the repair, so that the user reads the words of the interface in use; the
     * command line and the framework modules set it. Default {@link Vocabulary#API}.
     *
     * @param vocabulary the interface's words
     * @return this configuration
     */
    public AlignerConfiguration vocabulary(Vocabulary vocabulary) {
        this.vocabulary = Objects.requireNonNull(vocabulary, "vocabulary must not be null");
        return this;
    }

    /**
     * Hears how far a verb has got (for a progress bar); default: nobody.
     *
     * @param progressListener told of every step
     * @return this configuration
     */
    public AlignerConfiguration progressListener(ProgressListener progressListener) {
        this.progressListener = Objects.requireNonNull(progressListener, "progressListener must not be null");
        return this;
    }

    /**
     * Checks the configuration and builds the aligner.
     *
     * @return the aligner, ready for its verbs
     * @throws IllegalStateException naming the property when something required is missing
     */
    public SequenceAligner load() {
        if (dataSource == null) {
            throw new IllegalStateException("dataSource is required: call dataSource(...) before load()");
        }
        return new SequenceAligner(new AlignerConfiguration(this));
    }

    /**
     * {@return the sequences acknowledged by name, as given ({@code all} left out: see {@link
     * #isAllUnverifiedAllowed()}); see {@link #allowUnverified(String...)}}
     */
    public List<String> getAllowedUnverified() {
        return allowedUnverified.stream().filter(name -> !isAll(name)).collect(Collectors.toList());
    }

    /**
     * {@return whether {@code allowUnverified("all")} is given: every sequence no read can verify is acknowledged (see
     * {@link #allowUnverified(String...)})}
     */
    public boolean isAllUnverifiedAllowed() {
        return allowedUnverified.stream().anyMatch(AlignerConfiguration::isAll);
    }

    /** {@return how messages name options; see {@link #vocabulary(Vocabulary)}} */
    public Vocabulary getVocabulary() {
        return vocabulary;
    }

    private static boolean isAll(String name) {
        return name.trim().equals("all");
    }

    /** {@return the database} */
    public DataSource getDataSource() {
        return dataSource;
    }

    /** {@return the source database read as a second witness; null when none is configured} */
    public DataSource getSource() {
        return source;
    }

    /** {@return schemas to include; empty means all but PostgreSQL's own} */
    public List<String> getSchemas() {
        return List.copyOf(schemas);
    }

    /** {@return schemas left out} */
    public List<String> getExcludedSchemas() {
        return List.copyOf(excludedSchemas);
    }

    /** {@return sequences left out} */
    public List<String> getExcludedSequences() {
        return List.copyOf(excludedSequences);
    }

    /** {@return tables whose data is not compared} */
    public List<String> getExcludedTables() {
        return List.copyOf(excludedTables);
    }

    /** {@return extra sequence-to-column mappings} */
    public List<SequenceMapping> getMappings() {
        return List.copyOf(mappings);
    }

    /** {@return the allocation rule for sequences whose mappings do not say} */
    public AllocationRule getAllocation() {
        return allocation;
    }

    /** {@return whether {@link #allocation(AllocationRule)} was called, rather than the default left in place} */
    public boolean isAllocationConfigured() {
        return allocationConfigured;
    }

    /** {@return the safety margin, in sequence values} */
    public long getMargin() {
        return margin;
    }

    /** {@return the statement timeout} */
    public Duration getStatementTimeout() {
        return statementTimeout;
    }

    /** {@return the lock timeout} */
    public Duration getLockTimeout() {
        return lockTimeout;
    }

    /** {@return parallel connections} */
    public int getJobs() {
        return jobs;
    }

    /** {@return the capacity warning threshold} */
    public double getCapacityWarning() {
        return capacityWarning;
    }

    /** {@return whether a repair blocks writers of the tables a sequence feeds while it moves the sequence} */
    public boolean isBlockWritersDuringRepair() {
        return blockWritersDuringRepair;
    }

    /** {@return the progress listener} */
    public ProgressListener getProgressListener() {
        return progressListener;
    }

    /** Names checked as they are set: a typo fails here, not in the middle of a run (or a cutover). */
    private static List<String> qualifiedNames(Collection<String> values, String property) {
        List<String> names = nonBlank(values, property);
        for (String name : names) {
            SqlNames.parseQualified(name, property);
        }
        return names;
    }

    private static List<String> nonBlank(Collection<String> values, String property) {
        Objects.requireNonNull(values, property + " must not be null");
        List<String> result = new ArrayList<>();
        for (String value : values) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(property + ": must not contain a blank name");
            }
            result.add(value.trim());
        }
        return result;
    }
}
