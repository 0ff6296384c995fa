package io.seqguard.cli;

import io.seqguard.Verdict;

/** The documented exit codes; runbooks branch on them. */
public final class ExitCode {

    /** Every sequence in scope was read and is aligned (after a repair: is now aligned). */
    public static final int ALIGNED = 0;
    /**
     * A failure: the run could not be done or broke off (connection lost or refused, authentication, the server gone,
     * the lock connection lost). Never a verdict.
     */
    public static final int FAILURE = 1;
    /** A usage error: bad option, malformed URL or mapping, unknown schema. */
    public static final int USAGE = 2;
    /**
     * Drift: a sequence is behind, exhausted or mismatched (after a repair: still is, or its repair failed), or a
     * repair was refused (a standby, replication still feeding the database).
     */
    public static final int DRIFT = 3;
    /**
     * Incomplete: nothing read is behind, but some sequence could not be verified and was not acknowledged
     * ({@code --allow-unverified}).
     */
    public static final int INCOMPLETE = 4;

    private ExitCode() {
    }

    /** The exit code for a run's verdict. */
    static int of(Verdict verdict) {
        switch (verdict) {
            case ALIGNED:
                return ALIGNED;
            case INCOMPLETE:
                return INCOMPLETE;
            default:
                return DRIFT;
        }
    }

    /** The worse of two exit codes: failure over drift (or a refusal) over incomplete over aligned. */
    static int worse(int a, int b) {
        return rank(a) >= rank(b) ? a : b;
    }

    private static int rank(int code) {
        switch (code) {
            case FAILURE:
                return 3;
            case DRIFT:
                return 2;
            case INCOMPLETE:
                return 1;
            default:
                return 0;
        }
    }
}
