package io.seqguard.bench;

/** One way of doing the job, run against a workload; times itself (what it counts is documented per contender). */
interface Contender {

    /** The name in the results table. */
    String name();

    /** Whether it changes sequences (then the workload is reset before each run and checked after it). */
    boolean mutates();

    /**
     * One run.
     *
     * @return the elapsed time in nanoseconds, measured with {@link System#nanoTime()}
     */
    long run(Workload workload) throws Exception;

    /** What the last run reported, for the results (null when nothing to say). */
    default String lastOutcome() {
        return null;
    }
}
