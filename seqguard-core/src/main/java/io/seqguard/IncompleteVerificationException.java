package io.seqguard;

/**
 * Thrown by {@link AlignmentReport#requireAligned()} when nothing read is behind but some sequence could not be
 * verified and was not acknowledged ({@link Verdict#INCOMPLETE}): no privilege, a read that failed or timed out, no
 * column to compare with. The message names each such sequence, why, and the fix; acknowledge a sequence that is
 * knowingly not verified with {@link AlignerConfiguration#allowUnverified(String...)}.
 */
public class IncompleteVerificationException extends NotAlignedException {

    private static final long serialVersionUID = 1L;

    IncompleteVerificationException(AlignmentReport report, String message) {
        super(report, message);
    }
}
