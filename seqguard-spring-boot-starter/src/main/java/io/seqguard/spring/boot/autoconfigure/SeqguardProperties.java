package io.seqguard.spring.boot.autoconfigure;

import io.seqguard.GuardMode;
import io.seqguard.GuardOption;
import io.seqguard.IncompleteAction;
import io.seqguard.StandbyAction;
import io.seqguard.SubscriptionAction;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Configuration of seqguard's startup guard, under {@code seqguard.*}: one property for each {@link GuardOption}, the
 * same key beneath the prefix as in every seqguard module. The values apply to every {@code DataSource} bean;
 * {@code seqguard.datasources.<bean name>.*} sets them for one bean.
 *
 * <pre>
 * seqguard.mode=verify
 * seqguard.exclude-schemas=audit
 * seqguard.mappings=billing.invoice_number_seq=billing.invoice.number
 * seqguard.datasources.reportingDataSource.enabled=false
 * </pre>
 *
 * <p>The descriptions and defaults are {@link GuardOption}'s, written out here because the configuration metadata is
 * read from this source; a test fails when a key, a type, a default or a description drifts from it.
 *
 * @param enabled Whether seqguard guards the data source at start-up; false checks nothing, as mode 'off' does.
 * @param mode What the guard does at start-up: 'repair' moves every sequence that lags its data forward (never
 *     backwards), 'verify' changes nothing and fails start-up when a sequence lags, 'off' checks nothing.
 * @param schemas Schemas to check. When empty, every schema but PostgreSQL's own. Each must exist.
 * @param excludeSchemas Schemas to leave out.
 * @param excludeSequences Sequences never to check or touch (reported as skipped), for example 'billing.legacy_seq'.
 * @param excludeTables Tables whose data is not compared (a partitioned table or parent with its partitions and
 *     children); a sequence that feeds only these is skipped.
 * @param mappings Columns a sequence feeds that the catalog cannot show (the sequence is used by application code), as
 *     'SEQUENCE=TABLE.COLUMN', for example 'billing.invoice_number_seq=billing.invoice.number'.
 * @param allowUnverified Sequences knowingly not verified (an invoice number only application code hands out), which
 *     then no longer make the run incomplete; 'all' for every sequence no read can verify (no column uses it), not one
 *     a missing GRANT, row-level security or a timeout kept unread: that one by its name.
 * @param allocation How the application turns sequence values into ids, for sequences whose entity does not say:
 *     'plain', 'pooled' (Hibernate's default optimizer for an allocation size above 1, and the strictest rule),
 *     'pooled-lo', 'pooled:SIZE', 'pooled-lo:SIZE' or 'hilo:SIZE'.
 * @param margin Extra sequence values a repair skips beyond what the data needs, for rows still in flight.
 * @param statementTimeout Upper bound for each statement the guard runs (a max() on an unindexed column is the slow
 *     one).
 * @param lockTimeout Upper bound for each wait on a table or sequence lock held by another session.
 * @param lockWaitTimeout How long an instance waits for the seqguard advisory lock while another instance holds it
 *     (repairing). When not set, 60 seconds, or the time limit when that is shorter. Must not exceed the time limit.
 * @param timeLimit The most the guard may take for one data source in all, lock wait included; start-up fails when
 *     it passes.
 * @param jobs Connections used in parallel to read the data, at most. The guard takes up to jobs + 1 connections of
 *     the pool at once (one holds its lock); 2 are enough.
 * @param capacityWarning Share of its range (above 0, at most 1) from which a sequence is reported as nearly used up.
 * @param onStandby What to do when the server is a standby, which can never be repaired: 'verify' (fail start-up on
 *     drift), 'warn' (log drift and start), 'skip' (check nothing) or 'fail' (refuse every standby).
 * @param onEnabledSubscription What to do when an enabled logical replication subscription still feeds the database,
 *     so the cutover is not finished: 'refuse' (fail start-up, naming it), 'proceed', 'verify' (change nothing, fail
 *     on drift) or 'skip'.
 * @param onPendingSequenceSync PostgreSQL 19+: what to do while a subscription, enabled or not, still holds
 *     sequences waiting for their first synchronization, which would set the publisher's values and undo a repair:
 *     'refuse' (fail start-up, naming it and the way out), 'proceed', 'verify' or 'skip'.
 * @param onIncomplete What to do when some sequence could not be verified (no privilege, a read that failed or timed
 *     out, no column to compare with) and is not acknowledged with allow-unverified: 'fail' start-up, naming each, or
 *     'warn' and start.
 * @param blockWritersDuringRepair Whether a repair holds the tables a lagging sequence feeds in SHARE mode (writers
 *     wait, readers do not) while it moves the sequence. For rolling deploys where running instances already write
 *     with explicit ids.
 * @param applicationName The application's name in the guard's log and journal. When not set, the framework's
 *     application name, else the connection's application_name.
 * @param journal Whether each guard run is recorded in the journal table (created when missing): when, which primary,
 *     which application, what mode, what outcome, which sequences moved.
 * @param journalTable The journal table, NAME or SCHEMA.NAME in SQL syntax ("Quoted" parts keep their case). The
 *     schema must exist.
 * @param datasources Settings for one DataSource bean, by bean name, over the ones above; for example
 *     'seqguard.datasources.reportingDataSource.mode=verify'. Every name must be a DataSource bean.
 */
@ConfigurationProperties(prefix = "seqguard")
public record SeqguardProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("repair") GuardMode mode,
        @DefaultValue List<String> schemas,
        @DefaultValue List<String> excludeSchemas,
        @DefaultValue List<String> excludeSequences,
        @DefaultValue List<String> excludeTables,
        @DefaultValue List<String> mappings,
        @DefaultValue List<String> allowUnverified,
        @DefaultValue("pooled") String allocation,
        @DefaultValue("0") long margin,
        @DefaultValue("60s") Duration statementTimeout,
        @DefaultValue("10s") Duration lockTimeout,
        Duration lockWaitTimeout,
        @DefaultValue("120s") Duration timeLimit,
        @DefaultValue("2") int jobs,
        @DefaultValue("0.8") double capacityWarning,
        @DefaultValue("verify") StandbyAction onStandby,
        @DefaultValue("refuse") SubscriptionAction onEnabledSubscription,
        @DefaultValue("refuse") SubscriptionAction onPendingSequenceSync,
        @DefaultValue("fail") IncompleteAction onIncomplete,
        @DefaultValue("false") boolean blockWritersDuringRepair,
        String applicationName,
        @DefaultValue("false") boolean journal,
        @DefaultValue("public.seqguard_journal") String journalTable,
        @DefaultValue Map<String, DataSourceGuard> datasources) {

    /**
     * Copies the collections, so that the settings cannot change once bound.
     *
     * @param enabled see the record's description of each component
     * @param mode ditto
     * @param schemas ditto
     * @param excludeSchemas ditto
     * @param excludeSequences ditto
     * @param excludeTables ditto
     * @param mappings ditto
     * @param allowUnverified ditto
     * @param allocation ditto
     * @param margin ditto
     * @param statementTimeout ditto
     * @param lockTimeout ditto
     * @param lockWaitTimeout ditto
     * @param timeLimit ditto
     * @param jobs ditto
     * @param capacityWarning ditto
     * @param onStandby ditto
     * @param onEnabledSubscription ditto
     * @param onPendingSequenceSync ditto
     * @param onIncomplete ditto
     * @param blockWritersDuringRepair ditto
     * @param applicationName ditto
     * @param journal ditto
     * @param journalTable ditto
     * @param datasources ditto
     */
    public SeqguardProperties {
        schemas = List.copyOf(schemas);
        excludeSchemas = List.copyOf(excludeSchemas);
        excludeSequences = List.copyOf(excludeSequences);
        excludeTables = List.copyOf(excludeTables);
        mappings = List.copyOf(mappings);
        allowUnverified = List.copyOf(allowUnverified);
        datasources = Map.copyOf(datasources);
    }

    /**
     * Settings for one DataSource bean, {@code seqguard.datasources.<bean name>.*}: the same keys as
     * {@code seqguard.*}, each described there. A value that is set replaces the global one (a list replaces the
     * global list, an empty one included); a value left out keeps it. {@code enabled}: routing DataSources
     * (AbstractRoutingDataSource) are guarded only when it is true; their target DataSources are, when they are
     * beans.
     *
     * @param enabled see {@code seqguard.enabled}
     * @param mode see {@code seqguard.mode}
     * @param schemas see {@code seqguard.schemas}
     * @param excludeSchemas see {@code seqguard.exclude-schemas}
     * @param excludeSequences see {@code seqguard.exclude-sequences}
     * @param excludeTables see {@code seqguard.exclude-tables}
     * @param mappings see {@code seqguard.mappings}
     * @param allowUnverified see {@code seqguard.allow-unverified}
     * @param allocation see {@code seqguard.allocation}
     * @param margin see {@code seqguard.margin}
     * @param statementTimeout see {@code seqguard.statement-timeout}
     * @param lockTimeout see {@code seqguard.lock-timeout}
     * @param lockWaitTimeout see {@code seqguard.lock-wait-timeout}
     * @param timeLimit see {@code seqguard.time-limit}
     * @param jobs see {@code seqguard.jobs}
     * @param capacityWarning see {@code seqguard.capacity-warning}
     * @param onStandby see {@code seqguard.on-standby}
     * @param onEnabledSubscription see {@code seqguard.on-enabled-subscription}
     * @param onPendingSequenceSync see {@code seqguard.on-pending-sequence-sync}
     * @param onIncomplete see {@code seqguard.on-incomplete}
     * @param blockWritersDuringRepair see {@code seqguard.block-writers-during-repair}
     * @param applicationName see {@code seqguard.application-name}
     * @param journal see {@code seqguard.journal}
     * @param journalTable see {@code seqguard.journal-table}
     */
    public record DataSourceGuard(
            Boolean enabled,
            GuardMode mode,
            List<String> schemas,
            List<String> excludeSchemas,
            List<String> excludeSequences,
            List<String> excludeTables,
            List<String> mappings,
            List<String> allowUnverified,
            String allocation,
            Long margin,
            Duration statementTimeout,
            Duration lockTimeout,
            Duration lockWaitTimeout,
            Duration timeLimit,
            Integer jobs,
            Double capacityWarning,
            StandbyAction onStandby,
            SubscriptionAction onEnabledSubscription,
            SubscriptionAction onPendingSequenceSync,
            IncompleteAction onIncomplete,
            Boolean blockWritersDuringRepair,
            String applicationName,
            Boolean journal,
            String journalTable) {
    }
}
