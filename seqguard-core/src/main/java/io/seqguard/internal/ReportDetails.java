package io.seqguard.internal;

import io.seqguard.AlignmentReport;
import io.seqguard.SequenceReport;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a health endpoint shows of a run's report, for a run that passed ({@code GuardResult.toDetails()}) and for a
 * refusal ({@code StartupGuardException.toDetails()}) alike: one set of keys in every framework module.
 */
public final class ReportDetails {

    private ReportDetails() {
    }

    /**
     * Adds verdict, allocation, counts (by status, keyed as in the JSON report), maxRangeUsed, repaired, unverified
     * (not verified, not acknowledged), acknowledged (not verified, acknowledged by the configuration) and dataUnread
     * (of the unverified and acknowledged ones, those whose data the run could not read, which may be ahead of them);
     * each list only when it names something. A sequence that was not verified is named, whether or not it counts
     * against the run; one whose data was unread is named twice, so that a run that passed still shows it.
     *
     * @param details where they go
     * @param report the run's report
     * @param repaired the names of the sequences the run moved (none for a refusal's details)
     */
    public static void put(Map<String, Object> details, AlignmentReport report, List<String> repaired) {
        details.put("verdict", report.verdict().name().toLowerCase(Locale.ROOT));
        details.put("allocation", report.allocation().toString());
        Map<String, Integer> counts = new LinkedHashMap<>();
        report.countsByStatus().forEach((status, count) -> counts.put(status.name().toLowerCase(Locale.ROOT), count));
        details.put("counts", counts);
        details.put("maxRangeUsed", report.maxRangeUsed());
        List<String> unverified = new ArrayList<>();
        List<String> acknowledged = new ArrayList<>();
        List<String> dataUnread = new ArrayList<>();
        for (SequenceReport s : report.sequences()) {
            if (s.status().isUnverified()) {
                (s.acknowledged() ? acknowledged : unverified).add(s.qualifiedName());
            }
            if (s.dataUnread()) {
                dataUnread.add(s.qualifiedName());
            }
        }
        putIfAny(details, "repaired", repaired);
        putIfAny(details, "unverified", unverified);
        putIfAny(details, "acknowledged", acknowledged);
        putIfAny(details, "dataUnread", dataUnread);
    }

    private static void putIfAny(Map<String, Object> details, String key, List<String> names) {
        if (!names.isEmpty()) {
            details.put(key, List.copyOf(names));
        }
    }
}
