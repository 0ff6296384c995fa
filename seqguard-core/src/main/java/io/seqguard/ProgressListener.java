package io.seqguard;

/**
 * Hears how far a verb has got, for a progress bar on long runs. Called from seqguard's worker threads, possibly
 * concurrently, and often: keep it cheap and thread-safe.
 */
@FunctionalInterface
public interface ProgressListener {

    /** Ignores everything; the default. */
    ProgressListener NONE = (phase, done, total) -> { };

    /**
     * @param phase what is being done: {@code "reading catalog"} (the sequences' details and columns), then
     *     {@code "reading data"}, then {@code "repairing"} when a repair has a source or blocks writers (otherwise a
     *     repair moves each sequence while reading, in {@code "reading data"})
     * @param done items finished in this phase: 0 once when the phase starts, then after each part
     * @param total items in this phase
     */
    void progress(String phase, int done, int total);
}
