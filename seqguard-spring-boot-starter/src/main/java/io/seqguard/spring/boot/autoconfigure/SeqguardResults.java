package io.seqguard.spring.boot.autoconfigure;

import io.seqguard.AlignmentReport;
import io.seqguard.GuardResult;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * What the startup guard did for each DataSource bean of this application: the {@link GuardResult} of every guarded
 * bean whose guard let start-up go on, the refusal of one whose guard did not, and why the others were not guarded.
 * The health contributor and the metrics read it; applications may inject it too. Thread-safe.
 *
 * <p>A refusal stops start-up, so a running application shows one only when its {@link SeqguardInitializer} was run
 * again ({@link SeqguardInitializer#run()}) and refused.
 */
public final class SeqguardResults {

    private final Map<String, GuardResult> results = new LinkedHashMap<>();
    private final Map<String, SeqguardStartupException> failures = new LinkedHashMap<>();
    private final Map<String, Duration> failureDurations = new LinkedHashMap<>();
    private final Map<String, String> unguarded = new LinkedHashMap<>();
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

    /** Creates an empty holder; {@link SeqguardInitializer} fills it. */
    public SeqguardResults() {
    }

    /**
     * {@return the result of each DataSource bean whose latest run let start-up go on, by bean name, in the order run}
     */
    public synchronized Map<String, GuardResult> getResults() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(results));
    }

    /**
     * The result for one DataSource bean; empty when it was not guarded (yet), or its latest run refused.
     *
     * @param dataSourceName the bean name
     * @return its result, if its latest run let start-up go on
     */
    public synchronized Optional<GuardResult> get(String dataSourceName) {
        return Optional.ofNullable(results.get(dataSourceName));
    }

    /** {@return the refusal of each DataSource bean whose latest run refused start-up, by bean name} */
    public synchronized Map<String, SeqguardStartupException> getFailures() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(failures));
    }

    /** {@return dataSource beans that were deliberately not guarded, by bean name, each with the reason} */
    public synchronized Map<String, String> getUnguarded() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(unguarded));
    }

    /** {@return whether the guard has not run (nor decided not to run) for any DataSource bean yet} */
    public synchronized boolean isEmpty() {
        return results.isEmpty() && failures.isEmpty() && unguarded.isEmpty();
    }

    /**
     * The aligner's report of a DataSource bean's latest run: its result's, or the one behind its refusal; empty when
     * nothing was checked.
     *
     * @param dataSourceName the bean name
     * @return the report, if there is one
     */
    public synchronized Optional<AlignmentReport> report(String dataSourceName) {
        GuardResult result = results.get(dataSourceName);
        if (result != null) {
            return Optional.ofNullable(result.report());
        }
        SeqguardStartupException failure = failures.get(dataSourceName);
        return failure == null ? Optional.empty() : Optional.ofNullable(failure.getGuardException().report());
    }

    /**
     * How long a DataSource bean's latest run took; empty when it has not run.
     *
     * @param dataSourceName the bean name
     * @return the duration, if it has run
     */
    public synchronized Optional<Duration> duration(String dataSourceName) {
        GuardResult result = results.get(dataSourceName);
        return result != null ? Optional.of(result.duration()) : Optional.ofNullable(failureDurations.get(
                dataSourceName));
    }

    /**
     * Calls the listener with the name of every DataSource bean that has run so far and of every one that runs later
     * (a guard that runs again is reported again).
     *
     * @param listener receives the DataSource bean name
     */
    public void onRun(Consumer<String> listener) {
        Objects.requireNonNull(listener, "listener");
        Set<String> existing;
        synchronized (this) {
            listeners.add(listener);
            existing = new LinkedHashSet<>(results.keySet());
            existing.addAll(failures.keySet());
        }
        existing.forEach(listener);
    }

    /**
     * Records the result of a guard run that let start-up go on.
     *
     * @param dataSourceName the DataSource bean
     * @param result what the guard did
     */
    public void record(String dataSourceName, GuardResult result) {
        Objects.requireNonNull(dataSourceName, "dataSourceName");
        Objects.requireNonNull(result, "result");
        synchronized (this) {
            unguarded.remove(dataSourceName);
            failures.remove(dataSourceName);
            failureDurations.remove(dataSourceName);
            results.put(dataSourceName, result);
        }
        listeners.forEach(listener -> listener.accept(dataSourceName));
    }

    /**
     * Records a guard run that refused start-up.
     *
     * @param dataSourceName the DataSource bean
     * @param failure the refusal
     * @param duration how long the run took
     */
    public void recordFailure(String dataSourceName, SeqguardStartupException failure, Duration duration) {
        Objects.requireNonNull(dataSourceName, "dataSourceName");
        Objects.requireNonNull(failure, "failure");
        synchronized (this) {
            unguarded.remove(dataSourceName);
            results.remove(dataSourceName);
            failures.put(dataSourceName, failure);
            failureDurations.put(dataSourceName, Objects.requireNonNull(duration, "duration"));
        }
        listeners.forEach(listener -> listener.accept(dataSourceName));
    }

    /**
     * Records that a DataSource bean is not guarded.
     *
     * @param dataSourceName the DataSource bean
     * @param reason why, for example the property that disabled it
     */
    public synchronized void recordUnguarded(String dataSourceName, String reason) {
        Objects.requireNonNull(dataSourceName, "dataSourceName");
        results.remove(dataSourceName);
        failures.remove(dataSourceName);
        failureDurations.remove(dataSourceName);
        unguarded.put(dataSourceName, reason);
    }
}
