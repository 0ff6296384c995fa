package io.seqguard.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** What the benchmark measured on one PostgreSQL major: every workload's timings, its workloads and its facts. */
final class MajorRun {

    /** The major, as {@code pg.version} names it (18, 12). */
    final String major;
    /** Whether the workloads run on the first major only (async commits, the network, the unindexed table) ran. */
    final boolean extras;
    final Map<String, Map<String, Stats>> results = new LinkedHashMap<>();
    final Map<String, Workload> workloads = new LinkedHashMap<>();
    final Map<String, String> facts = new LinkedHashMap<>();
    WikiRecipe wiki;

    MajorRun(String major, boolean extras) {
        this.major = major;
        this.extras = extras;
    }

    Stats stats(String workload, String contender) {
        Map<String, Stats> byContender = results.get(workload);
        return byContender == null ? null : byContender.get(contender);
    }

    /** The median in milliseconds; NaN when not measured. */
    double median(String workload, String contender) {
        Stats s = stats(workload, contender);
        return s == null || s.nanos.isEmpty() ? Double.NaN : s.medianMillis();
    }
}
