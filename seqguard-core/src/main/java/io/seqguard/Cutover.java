package io.seqguard;

import io.seqguard.internal.CutoverRunner;

/**
 * The end of a cutover by native logical replication, as one step for a runbook or migration code: wait until the
 * new primary's subscription has applied everything the old primary had written when the cutover started (refusing
 * when the old primary keeps writing), on PostgreSQL 19 synchronize the sequences one last time, disable the
 * subscription when told to, repair with the old primary as a second witness, and verify.
 *
 * <pre>{@code
 * CutoverResult result = Cutover.configure()
 *         .newPrimary(newPrimary)              // the subscriber
 *         .oldPrimary(oldPrimary)              // the publisher itself, not a standby of it
 *         .subscription("from_old")
 *         .disableSubscription(true)           // without it the cutover stops before the repair
 *         .listener(System.err::println)       // each step's state
 *         .load()
 *         .run();
 * result.report().requireAligned();
 * }</pre>
 *
 * <p>Every step is safe to repeat: the waiting only reads, disabling an already disabled subscription changes
 * nothing, and the repair is the startup guard's (forward only, serialized with the other instances by its lock).
 */
public final class Cutover {

    private final CutoverConfiguration configuration;

    Cutover(CutoverConfiguration configuration) {
        this.configuration = configuration;
    }

    /** {@return a new configuration; finish it with {@link CutoverConfiguration#load()}} */
    public static CutoverConfiguration configure() {
        return new CutoverConfiguration();
    }

    /**
     * Runs the cutover's steps in order. Before the first, the guard's configuration is checked against the new
     * primary (its schemas exist, its mappings resolve), so that an option the repair would refuse fails before the
     * subscription is disabled.
     *
     * @return what each step did, and the final verify's report
     * @throws UnknownObjectException before any step, when a schema or a mapped object the guard's configuration
     *     names does not exist on the new primary
     * @throws CutoverException when a step refuses (the old primary keeps writing, is a standby, the subscription
     *     is not disabled and may not be) or does not finish in time, naming the step, what it saw and what to do
     * @throws StartupGuardException when the repair refuses or fails, as the startup guard does
     * @throws SeqguardException when a database cannot be reached or read
     */
    public CutoverResult run() {
        return new CutoverRunner(configuration).run();
    }
}
