package io.seqguard.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Timed runs of one contender on one workload, in nanoseconds, and what the last run left behind. */
final class Stats {

    final String workload;
    final String contender;
    final List<Long> nanos = new ArrayList<>();
    /** Free text about the outcome of the last run (correctness check, report counts); null when none. */
    String outcome;
    /** Sequences still behind after the last run, or -1 when not checked. */
    int stillBehind = -1;
    /** Sequences moved below where they were (ahead of their data) by the last run, or -1 when not checked. */
    int movedBackwards = -1;

    Stats(String workload, String contender) {
        this.workload = workload;
        this.contender = contender;
    }

    void add(long elapsedNanos) {
        nanos.add(elapsedNanos);
    }

    /** Median in milliseconds; the mean of the two middle values for an even count. */
    double medianMillis() {
        return median(nanos) / 1e6;
    }

    double minMillis() {
        return Collections.min(nanos) / 1e6;
    }

    double maxMillis() {
        return Collections.max(nanos) / 1e6;
    }

    static double median(List<Long> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no values");
        }
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
    }

    /** Every run in milliseconds, in the order they ran. */
    String runsText() {
        List<String> parts = new ArrayList<>();
        for (long n : nanos) {
            parts.add(ms(n / 1e6));
        }
        return String.join(", ", parts);
    }

    /** Milliseconds with a precision that suits the magnitude. */
    static String ms(double millis) {
        if (millis >= 100) {
            return String.format(Locale.ROOT, "%,.0f", millis);
        }
        if (millis >= 10) {
            return String.format(Locale.ROOT, "%.1f", millis);
        }
        return String.format(Locale.ROOT, "%.2f", millis);
    }

    static String ratio(double value) {
        return String.format(Locale.ROOT, "%.2f×", value);
    }
}
