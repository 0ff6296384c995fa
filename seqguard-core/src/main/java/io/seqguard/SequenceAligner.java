package io.seqguard;

import io.seqguard.internal.Engine;

/**
 * Discovers every sequence in a PostgreSQL database and every column it feeds, verifies each against the data, and
 * moves the lagging ones forward — never backwards.
 *
 * <pre>{@code
 * SequenceAligner aligner = SequenceAligner.configure()
 *         .dataSource(dataSource)
 *         .schemas("public", "billing")
 *         .map("billing.invoice_number_seq", "billing.invoice", "number")
 *         .load();
 * AlignmentReport report = aligner.repair();
 * System.out.println(report.toText());
 * }</pre>
 *
 * <p>An aligner is immutable and thread-safe; every verb borrows connections from the data source for its own
 * duration and returns them with their settings unchanged.
 */
public final class SequenceAligner {

    private final AlignerConfiguration configuration;
    private final Engine engine;

    SequenceAligner(AlignerConfiguration configuration) {
        this.configuration = configuration;
        this.engine = new Engine(configuration);
    }

    /**
     * Starts a configuration; finish it with {@link AlignerConfiguration#load()}.
     *
     * @return a new configuration
     */
    public static AlignerConfiguration configure() {
        return new AlignerConfiguration();
    }

    /**
     * Compares every sequence with its data in read-only transactions; changes nothing.
     *
     * @return one entry per sequence; {@link AlignmentReport#requireAligned()} turns drift into an exception
     * @throws SeqguardException when the database cannot be reached or read, or the configuration names something
     *     that does not exist
     */
    public AlignmentReport verify() {
        return engine.run(Operation.VERIFY);
    }

    /**
     * Like {@link #verify()}, and lists for each lagging sequence the exact statement {@link #repair()} would run
     * ({@link SequenceReport#sql()}, or all of them with {@link AlignmentReport#toSql()}). The statements are
     * forward-only: run later, by hand, they still never move a sequence backwards.
     *
     * @return the report, lagging sequences marked {@link RepairAction#PLANNED}
     * @throws SeqguardException as {@link #verify()}
     */
    public AlignmentReport plan() {
        return engine.run(Operation.PLAN);
    }

    /**
     * Moves every lagging sequence forward so that its next value is safe under the allocation rule, plus the
     * margin. Never lowers a sequence, never touches empty, exhausted, skipped or unverifiable ones, and is safe to
     * run again at any time.
     *
     * @return the report; repaired sequences show {@link SequenceReport#previousNextValue()} and the new
     *     {@link SequenceReport#nextValue()}, failures {@link RepairAction#FAILED} with the reason
     * @throws SeqguardException as {@link #verify()}
     */
    public AlignmentReport repair() {
        return engine.run(Operation.REPAIR);
    }

    /**
     * Reads which Citus cluster the database belongs to, from its catalog alone (no table is read): this node's group
     * and the nodes that hand out ids, to run on each of them in turn.
     *
     * @return the cluster as this node sees it; null when the database is no Citus node (no citus extension)
     * @throws SeqguardException when the database cannot be reached or read
     */
    public CitusCluster citus() {
        return engine.citus();
    }

    /** {@return a copy of the configuration this aligner was loaded with} */
    public AlignerConfiguration configuration() {
        return new AlignerConfiguration(configuration);
    }
}
