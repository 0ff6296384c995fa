package io.seqguard;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Objects;

/** Checks for the time limits of both configurations, which the server takes in whole milliseconds. */
final class Durations {

    private Durations() {
    }

    /**
     * Checks a time limit. Below 1 ms it would reach PostgreSQL as 0, which means "no limit", and above
     * {@code Integer.MAX_VALUE} ms the server refuses it.
     *
     * @param value the configured limit
     * @param property the property name, for the message
     * @return the value
     * @throws IllegalArgumentException when it is outside 1 ms to 24 days
     */
    static Duration requireMillis(Duration value, String property) {
        Objects.requireNonNull(value, property + " must not be null");
        if (value.compareTo(Duration.ofMillis(1)) < 0 || value.compareTo(Duration.ofMillis(Integer.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException(property + ": must be between 1 ms and 24 days, was " + text(value));
        }
        return value;
    }

    /**
     * A duration as people write it ({@code 0 ms}, {@code 0.5 ms}, {@code 30 s}, {@code 720 h}): in the largest unit
     * that states it exactly, since {@code PT720H} reads as a code to a user who wrote {@code 30d}.
     */
    static String text(Duration value) {
        if (value.isNegative()) {
            return "-" + text(value.negated());
        }
        long[] unitNanos = {86_400_000_000_000L, 3_600_000_000_000L, 60_000_000_000L, 1_000_000_000L, 1_000_000L};
        String[] units = {"d", "h", "min", "s", "ms"};
        long nanos;
        try {
            nanos = value.toNanos();
        } catch (ArithmeticException e) {
            return value.toString(); // beyond 292 years: no one types that, so no one needs it readable
        }
        for (int i = 0; i < units.length && nanos != 0; i++) {
            if (nanos % unitNanos[i] == 0) {
                return nanos / unitNanos[i] + " " + units[i];
            }
        }
        return BigDecimal.valueOf(nanos, 6).stripTrailingZeros().toPlainString() + " ms";
    }
}
