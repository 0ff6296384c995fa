package io.seqguard;

/**
 * Hears how far a verb has got, for a progress bar on long runs. Called from seqguard's worker threads, possibly
 * concurrently, and often: keep it cheap and thread-safe.
 */
@FunctionalInterface
public interface ProgressListener {

    /** Ignores everything; the default. */
    ProgressListener NONE = (phase, done, total) -> { };

    /** The first phase: the sequences' details and the columns they feed. */
    String READING_CATALOG = "reading catalog";
    /** Then the data; a repair without a source or blocked writers also moves each sequence in this phase. */
    String READING_DATA = "reading data";
    /** Last, in a repair that has a source or blocks writers: the moves. */
    String REPAIRING = "repairing";

    /**
     * @param phase what is being done: {@value #READING_CATALOG}, then {@value #READING_DATA}, then
     *     {@value #REPAIRING} when a repair has a source or blocks writers
     * @param done items finished in this phase: 0 once when the phase starts, then after each part
     * @param total items in this phase
     */
    void progress(String phase, int done, int total);
}
