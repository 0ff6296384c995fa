package io.seqguard.spring.boot.autoconfigure;

import io.seqguard.GuardResult;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * What the startup guard did for each DataSource bean of this application: the {@link GuardResult} of every guarded
 * bean, and why the others were not guarded. The health contributor and the metrics read it; applications may inject
 * it too. Thread-safe.
 */
public final class SeqguardResults {

    private final Map<String, GuardResult> results = new LinkedHashMap<>();
    private final Map<String, String> unguarded = new LinkedHashMap<>();
    private final List<BiConsumer<String, GuardResult>> listeners = new CopyOnWriteArrayList<>();

    /** Creates an empty holder; {@link SeqguardInitializer} fills it. */
    public SeqguardResults() {
    }

    /** {@return the result of each guarded DataSource bean, by bean name, in the order they were guarded} */
    public synchronized Map<String, GuardResult> getResults() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(results));
    }

    /**
     * The result for one DataSource bean; empty when it was not guarded (yet).
     *
     * @param dataSourceName the bean name
     * @return its result, if it was guarded
     */
    public synchronized Optional<GuardResult> get(String dataSourceName) {
        return Optional.ofNullable(results.get(dataSourceName));
    }

    /** {@return dataSource beans that were deliberately not guarded, by bean name, each with the reason} */
    public synchronized Map<String, String> getUnguarded() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(unguarded));
    }

    /** {@return whether the guard has run (or decided not to run) for at least one DataSource bean} */
    public synchronized boolean isEmpty() {
        return results.isEmpty() && unguarded.isEmpty();
    }

    /**
     * Calls the listener for every result recorded so far and for every one recorded later (a guard that is run
     * again replaces the earlier result and is reported again).
     *
     * @param listener receives the DataSource bean name and its result
     */
    public void onResult(BiConsumer<String, GuardResult> listener) {
        Objects.requireNonNull(listener, "listener");
        Map<String, GuardResult> existing;
        synchronized (this) {
            listeners.add(listener);
            existing = new LinkedHashMap<>(results);
        }
        existing.forEach(listener);
    }

    /**
     * Records the result of a guard run.
     *
     * @param dataSourceName the DataSource bean
     * @param result what the guard did
     */
    public void record(String dataSourceName, GuardResult result) {
        Objects.requireNonNull(dataSourceName, "dataSourceName");
        Objects.requireNonNull(result, "result");
        synchronized (this) {
            unguarded.remove(dataSourceName);
            results.put(dataSourceName, result);
        }
        for (BiConsumer<String, GuardResult> listener : listeners) {
            listener.accept(dataSourceName, result);
        }
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
        unguarded.put(dataSourceName, reason);
    }
}
