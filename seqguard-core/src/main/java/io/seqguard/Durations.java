package io.seqguard;

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
            throw new IllegalArgumentException(property + ": must be between 1 ms and 24 days, was " + value);
        }
        return value;
    }
}
