package io.seqguard;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * Fluent configuration of a {@link Cutover}; obtain it from {@link Cutover#configure()}, finish with {@link #load()}.
 * Setters validate at once and name the property in their message. Not thread-safe.
 */
public final class CutoverConfiguration {

    /** Default for {@link #catchUpTimeout(Duration)}. */
    public static final Duration DEFAULT_CATCH_UP_TIMEOUT = Duration.ofMinutes(10);

    private DataSource newPrimary;
    private DataSource oldPrimary;
    private String subscription;
    private boolean disableSubscription;
    private Duration catchUpTimeout = DEFAULT_CATCH_UP_TIMEOUT;
    private Consumer<GuardConfiguration> guard = g -> { };
    private Consumer<String> listener = line -> { };

    CutoverConfiguration() {
    }

    /**
     * The new primary: the database the subscription replicates into, and that the application will write to.
     *
     * @param newPrimary its data source
     * @return this configuration
     */
    public CutoverConfiguration newPrimary(DataSource newPrimary) {
        this.newPrimary = Objects.requireNonNull(newPrimary, "newPrimary must not be null");
        return this;
    }

    /**
     * The old primary: the publisher itself (not a standby of it: the cutover reads its WAL position and its
     * replication slot), read only, and the repair's second witness.
     *
     * @param oldPrimary its data source
     * @return this configuration
     */
    public CutoverConfiguration oldPrimary(DataSource oldPrimary) {
        this.oldPrimary = Objects.requireNonNull(oldPrimary, "oldPrimary must not be null");
        return this;
    }

    /**
     * The new primary's subscription to the old primary, as the catalog spells it ({@code pg_subscription.subname}).
     *
     * @param subscription its name
     * @return this configuration
     */
    public CutoverConfiguration subscription(String subscription) {
        Objects.requireNonNull(subscription, "subscription must not be null");
        if (subscription.isBlank()) {
            throw new IllegalArgumentException("subscription: must not be blank");
        }
        this.subscription = subscription;
        return this;
    }

    /**
     * Whether the cutover disables the subscription once everything has arrived; default false, and then it stops
     * before the repair, naming the statement to run (a repair refuses a database an enabled subscription feeds).
     *
     * @param disableSubscription whether to disable it
     * @return this configuration
     */
    public CutoverConfiguration disableSubscription(boolean disableSubscription) {
        this.disableSubscription = disableSubscription;
        return this;
    }

    /**
     * How long the cutover waits for the subscription to catch up with the old primary (and, on PostgreSQL 19, for
     * its sequences to be synchronized); default 10 minutes.
     *
     * @param catchUpTimeout the longest wait
     * @return this configuration
     */
    public CutoverConfiguration catchUpTimeout(Duration catchUpTimeout) {
        this.catchUpTimeout = Durations.requireMillis(catchUpTimeout, "catchUpTimeout");
        return this;
    }

    /**
     * Configures the startup guard that repairs: its aligner (schemas, mappings, allocation rule...), time limits,
     * vocabulary. The cutover sets the data source, mode repair, the old primary as source, and refuses a standby.
     *
     * @param customizer adjusts the guard's configuration; called again, the customizers run in order
     * @return this configuration
     */
    public CutoverConfiguration guard(Consumer<GuardConfiguration> customizer) {
        Objects.requireNonNull(customizer, "guard must not be null");
        Consumer<GuardConfiguration> before = this.guard;
        this.guard = g -> {
            before.accept(g);
            customizer.accept(g);
        };
        return this;
    }

    /**
     * Hears each step's state, as a line for a person (a runbook prints them as they come).
     *
     * @param listener told of every step and of the progress of each wait
     * @return this configuration
     */
    public CutoverConfiguration listener(Consumer<String> listener) {
        this.listener = Objects.requireNonNull(listener, "listener must not be null");
        return this;
    }

    /**
     * Checks the configuration and builds the cutover.
     *
     * @return the cutover, ready to run
     * @throws IllegalStateException naming what is missing
     */
    public Cutover load() {
        if (newPrimary == null) {
            throw new IllegalStateException("newPrimary is required: call newPrimary(...) before load()");
        }
        if (oldPrimary == null) {
            throw new IllegalStateException("oldPrimary is required: call oldPrimary(...) before load()");
        }
        if (subscription == null) {
            throw new IllegalStateException("subscription is required: call subscription(...) before load()");
        }
        return new Cutover(copy());
    }

    private CutoverConfiguration copy() {
        CutoverConfiguration copy = new CutoverConfiguration();
        copy.newPrimary = newPrimary;
        copy.oldPrimary = oldPrimary;
        copy.subscription = subscription;
        copy.disableSubscription = disableSubscription;
        copy.catchUpTimeout = catchUpTimeout;
        copy.guard = guard;
        copy.listener = listener;
        return copy;
    }

    /** {@return the new primary} */
    public DataSource getNewPrimary() {
        return newPrimary;
    }

    /** {@return the old primary} */
    public DataSource getOldPrimary() {
        return oldPrimary;
    }

    /** {@return the subscription's name} */
    public String getSubscription() {
        return subscription;
    }

    /** {@return whether the cutover disables the subscription} */
    public boolean isDisableSubscription() {
        return disableSubscription;
    }

    /** {@return the longest wait for the subscription to catch up} */
    public Duration getCatchUpTimeout() {
        return catchUpTimeout;
    }

    /** {@return the guard's customizers, in order} */
    public Consumer<GuardConfiguration> getGuard() {
        return guard;
    }

    /** {@return who hears each step} */
    public Consumer<String> getListener() {
        return listener;
    }
}
