package io.seqguard.quarkus.runtime;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The latest guard run of each datasource, and the datasources the guard does not run on with the reason; what the
 * readiness check and the metrics show. Thread-safe: persistence units start on threads of their own.
 */
public final class SeqguardRuns {

    private final Map<String, GuardRun> latest = new TreeMap<>();
    private final Map<String, String> unguarded = new TreeMap<>();
    private final List<Consumer<GuardRun>> observers = new ArrayList<>();

    /**
     * Records a run and tells the observers.
     *
     * @param run the run
     */
    public void record(GuardRun run) {
        List<Consumer<GuardRun>> toTell;
        synchronized (this) {
            latest.put(run.dataSource(), run);
            unguarded.remove(run.dataSource());
            toTell = new ArrayList<>(observers);
        }
        toTell.forEach(observer -> observer.accept(run));
    }

    /**
     * Records a datasource the guard does not run on.
     *
     * @param dataSource its name
     * @param reason why, for example {@code quarkus.seqguard."orders".enabled=false}
     */
    public synchronized void recordUnguarded(String dataSource, String reason) {
        unguarded.put(dataSource, reason);
    }

    /**
     * Calls {@code observer} for every run recorded so far and for every later one.
     *
     * @param observer what to call
     */
    public void observe(Consumer<GuardRun> observer) {
        List<GuardRun> sofar;
        synchronized (this) {
            observers.add(observer);
            sofar = new ArrayList<>(latest.values());
        }
        sofar.forEach(observer);
    }

    /** {@return the latest run of each datasource, by name} */
    public synchronized Map<String, GuardRun> latest() {
        return Collections.unmodifiableMap(new TreeMap<>(latest));
    }

    /**
     * {@return the latest run of one datasource}
     *
     * @param dataSource its name
     */
    public synchronized Optional<GuardRun> latest(String dataSource) {
        return Optional.ofNullable(latest.get(dataSource));
    }

    /** {@return the datasources not guarded, with the reason} */
    public synchronized Map<String, String> unguarded() {
        return Collections.unmodifiableMap(new TreeMap<>(unguarded));
    }
}
