package io.seqguard.cli;

/** The documented exit codes; runbooks branch on them. */
public final class ExitCode {

    /** Everything aligned (after a repair: everything now aligned). */
    public static final int ALIGNED = 0;
    /** A failure: connection, permission, timeout. */
    public static final int FAILURE = 1;
    /** A usage error: bad option, malformed URL or mapping, unknown schema. */
    public static final int USAGE = 2;
    /** Drift found by verify or plan, or something a repair could not fix (exhausted, refused, failed). */
    public static final int DRIFT = 3;

    private ExitCode() {
    }
}
