package io.seqguard.micrometer;

import io.seqguard.AlignmentReport;
import java.time.Duration;
import java.util.Optional;

/**
 * The latest startup guard run of each guarded data source, as a framework module keeps them: what the meters read
 * each time they are read.
 */
public interface GuardRuns {

    /**
     * @param dataSource the data source's name in the application, for example {@code default}
     * @return how long its latest run took, lock wait included; empty before its first run
     */
    Optional<Duration> duration(String dataSource);

    /**
     * @param dataSource the data source's name in the application
     * @return the report of its latest run; empty when that run has none (mode off, or it failed before its report)
     */
    Optional<AlignmentReport> report(String dataSource);
}
