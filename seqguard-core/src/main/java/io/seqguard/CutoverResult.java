package io.seqguard;

import java.util.List;

/**
 * What a {@link Cutover} did: each step with its outcome, the repair, and the final verify. A cutover that stopped
 * before the repair (the subscription still enabled and not to be disabled) has no repair and no report.
 *
 * <p>Built by seqguard; not for implementation by users (methods may be added).
 */
public interface CutoverResult {

    /** {@return each step that ran, in order, as a line for a person: what it did and what it saw} */
    List<String> steps();

    /** {@return whether the cutover stopped before the repair, leaving the subscription enabled} */
    boolean stoppedBeforeRepair();

    /** {@return the statement that finishes the cutover by hand when it stopped before the repair; null otherwise} */
    String nextStatement();

    /** {@return the startup guard's repair, the change record; null when the cutover stopped before it} */
    GuardResult repair();

    /** {@return the final verify with the old primary as witness; null when the cutover stopped before the repair} */
    AlignmentReport report();
}
