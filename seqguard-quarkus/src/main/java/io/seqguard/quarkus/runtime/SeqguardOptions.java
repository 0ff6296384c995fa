package io.seqguard.quarkus.runtime;

import io.quarkus.runtime.annotations.ConfigGroup;

import java.util.Optional;

/**
 * The startup guard's options, one for each {@link io.seqguard.GuardOption}, under the same names as in every other
 * seqguard adapter: globally {@code quarkus.seqguard.<option>}, for one datasource
 * {@code quarkus.seqguard."<datasource>".<option>}, which wins. Each value is the option's text, read by
 * {@link io.seqguard.GuardOption#parse}, so that it means the same here as in Spring Boot, Micronaut and the command
 * line (a plain number of a duration is milliseconds, lists are comma-separated). Left out: the core's default.
 */
@ConfigGroup
public interface SeqguardOptions {

    /**
     * Whether seqguard guards the datasource at start-up; {@code false} checks nothing, as mode {@code off} does.
     * Default {@code true}.
     *
     * @return the text
     */
    Optional<String> enabled();

    /**
     * What the guard does at start-up: {@code repair} (the default) moves every sequence that lags its data forward,
     * never backwards; {@code verify} changes nothing and stops start-up when a sequence lags; {@code off} checks
     * nothing.
     *
     * @return the text
     */
    Optional<String> mode();

    /**
     * Schemas to check, comma-separated. When empty, every schema but PostgreSQL's own. Each must exist.
     *
     * @return the text
     */
    Optional<String> schemas();

    /**
     * Schemas to leave out, comma-separated.
     *
     * @return the text
     */
    Optional<String> excludeSchemas();

    /**
     * Sequences never to check or touch (reported as skipped), comma-separated, for example
     * {@code billing.legacy_seq}.
     *
     * @return the text
     */
    Optional<String> excludeSequences();

    /**
     * Tables whose data is not compared (a partitioned table or parent with its partitions and children),
     * comma-separated; a sequence that feeds only these is skipped.
     *
     * @return the text
     */
    Optional<String> excludeTables();

    /**
     * Columns a sequence feeds that neither the catalog nor Hibernate ORM's entities show, comma-separated, each
     * {@code SEQUENCE=TABLE.COLUMN}, for example {@code billing.invoice_number_seq=billing.invoice.number}.
     *
     * @return the text
     */
    Optional<String> mappings();

    /**
     * Sequences knowingly not verified, comma-separated, which then no longer make the run incomplete; {@code all}
     * for every sequence no read can verify (no column uses it), not one a missing GRANT, row-level security or a
     * timeout kept unread: that one by its name.
     *
     * @return the text
     */
    Optional<String> allowUnverified();

    /**
     * How the application turns sequence values into ids where no entity says: {@code plain}, {@code pooled} (the
     * default, Hibernate's optimizer for an allocation size above 1), {@code pooled-lo}, {@code pooled:SIZE},
     * {@code pooled-lo:SIZE} or {@code hilo:SIZE}.
     *
     * @return the text
     */
    Optional<String> allocation();

    /**
     * Extra sequence values a repair skips beyond what the data needs, for rows still in flight. Default 0.
     *
     * @return the text
     */
    Optional<String> margin();

    /**
     * Upper bound for each statement the guard runs, for example {@code 30s}. Default 60 seconds.
     *
     * @return the text
     */
    Optional<String> statementTimeout();

    /**
     * Upper bound for each wait on a table or sequence lock held by another session. Default 10 seconds.
     *
     * @return the text
     */
    Optional<String> lockTimeout();

    /**
     * How long an instance waits for the seqguard advisory lock while another instance repairs. Default 60 seconds,
     * or the time limit when that is shorter; at most the time limit.
     *
     * @return the text
     */
    Optional<String> lockWaitTimeout();

    /**
     * The most the guard may take for one datasource in all, lock wait included; start-up fails when it passes.
     * Default 120 seconds.
     *
     * @return the text
     */
    Optional<String> timeLimit();

    /**
     * Connections used in parallel to read the data, at most; the guard takes up to jobs + 1 connections of the pool
     * at once. Default 2.
     *
     * @return the text
     */
    Optional<String> jobs();

    /**
     * Share of its range (above 0, at most 1) from which a sequence is reported as nearly used up. Default 0.8.
     *
     * @return the text
     */
    Optional<String> capacityWarning();

    /**
     * What to do on a standby, which can never be repaired: {@code verify} (the default), {@code warn}, {@code skip}
     * or {@code fail}.
     *
     * @return the text
     */
    Optional<String> onStandby();

    /**
     * What to do while an enabled logical replication subscription still feeds the database: {@code refuse} (the
     * default: stop start-up, naming it), {@code proceed}, {@code verify} or {@code skip}.
     *
     * @return the text
     */
    Optional<String> onEnabledSubscription();

    /**
     * PostgreSQL 19+: what to do while a subscription still holds sequences waiting for their first synchronization:
     * {@code refuse} (the default), {@code proceed}, {@code verify} or {@code skip}.
     *
     * @return the text
     */
    Optional<String> onPendingSequenceSync();

    /**
     * What to do when some sequence could not be verified and is not acknowledged with {@code allow-unverified}:
     * {@code fail} start-up (the default), naming each, or {@code warn} and start.
     *
     * @return the text
     */
    Optional<String> onIncomplete();

    /**
     * Whether a repair holds the tables a lagging sequence feeds in SHARE mode while it moves the sequence, for
     * rolling deploys where running instances write explicit ids. Default {@code false}.
     *
     * @return the text
     */
    Optional<String> blockWritersDuringRepair();

    /**
     * The application's name in the guard's log and journal. Default {@code quarkus.application.name}.
     *
     * @return the text
     */
    Optional<String> applicationName();

    /**
     * Whether each guard run is recorded in the journal table (created when missing). Default {@code false}.
     *
     * @return the text
     */
    Optional<String> journal();

    /**
     * The journal table, {@code NAME} or {@code SCHEMA.NAME} in SQL syntax. Default {@code public.seqguard_journal}.
     *
     * @return the text
     */
    Optional<String> journalTable();
}
