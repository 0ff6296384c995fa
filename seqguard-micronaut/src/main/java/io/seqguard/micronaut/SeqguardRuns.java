package io.seqguard.micronaut;

import jakarta.inject.Singleton;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The latest startup guard run of each data source in this application context. Inject it to read what the guard did
 * at start-up ({@link GuardRun#result()}: the repaired sequences, the report, the primary's identity).
 *
 * <p>Thread-safe.
 */
@Singleton
public class SeqguardRuns {

    private final Map<String, GuardRun> latest = new TreeMap<>();
    private final Map<String, String> unguarded = new TreeMap<>();
    private final List<Consumer<GuardRun>> observers = new CopyOnWriteArrayList<>();

    /** {@return the latest run of each guarded data source, by data source name} */
    public synchronized Map<String, GuardRun> latest() {
        return Collections.unmodifiableMap(new TreeMap<>(latest));
    }

    /**
     * The latest run on one data source.
     *
     * @param dataSource the data source's name, for example {@code default}
     * @return the run; empty when the guard has not run on it (not created yet, {@link #unguarded()}, or seqguard
     *     disabled)
     */
    public synchronized Optional<GuardRun> latest(String dataSource) {
        return Optional.ofNullable(latest.get(dataSource));
    }

    /**
     * The data sources the guard does not run on, with the reason: {@code seqguard.datasources.<name>.enabled=false},
     * or a database other than PostgreSQL.
     *
     * @return the reason, by data source name
     */
    public synchronized Map<String, String> unguarded() {
        return Collections.unmodifiableMap(new TreeMap<>(unguarded));
    }

    /** {@return whether no run has been recorded yet} */
    public synchronized boolean isEmpty() {
        return latest.isEmpty();
    }

    /** Records a data source the guard does not run on. */
    synchronized void recordUnguarded(String dataSource, String reason) {
        latest.remove(dataSource);
        unguarded.put(dataSource, reason);
    }

    /** Records a run and tells the observers, in order: each observer sees each run once. */
    synchronized void record(GuardRun run) {
        unguarded.remove(run.dataSource());
        latest.put(run.dataSource(), run);
        observers.forEach(observer -> observer.accept(run));
    }

    /** Calls the observer with every run recorded so far, then with every later one. */
    synchronized void observe(Consumer<GuardRun> observer) {
        observers.add(observer);
        latest.values().forEach(observer);
    }
}
