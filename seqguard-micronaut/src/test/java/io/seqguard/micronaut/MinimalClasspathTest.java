package io.seqguard.micronaut;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.micronaut.context.ApplicationContext;
import io.micronaut.core.reflect.ClassUtils;
import io.seqguard.GuardOutcome;
import io.seqguard.test.TestDatabase;

import org.junit.jupiter.api.Test;

/**
 * Without micronaut-management and Micrometer on the classpath (the surefire execution {@code minimal-classpath}
 * removes them) the guard works and the health indicator and metrics are simply not there.
 */
class MinimalClasspathTest {

    @Test
    void theGuardNeedsNeitherManagementNorMicrometer() {
        assumeTrue(Boolean.getBoolean("test.minimal-classpath"), "runs in the minimal-classpath execution only");
        assertThat(ClassUtils.isPresent("io.micronaut.management.health.indicator.HealthIndicator", null)).isFalse();
        assertThat(ClassUtils.isPresent("io.micrometer.core.instrument.MeterRegistry", null)).isFalse();
        assertThat(ClassUtils.isPresent("io.micronaut.configuration.metrics.micrometer.MeterRegistryFactory", null))
                .isFalse();
        try (TestDatabase database = TestDatabase.create("micronaut_minimal");
                ApplicationContext context = TestApps.start(TestApps.dataSource("default", database, "books"))) {
            SeqguardRuns runs = context.getBean(SeqguardRuns.class);
            assertThat(runs.latest("default").orElseThrow().result().outcome()).isEqualTo(GuardOutcome.REPAIRED);
            // their definitions are not even loaded (loading them would fail: their interfaces are missing)
            assertThat(context.getAllBeanDefinitions()).extracting(d -> d.getBeanType().getName())
                    .contains(SeqguardDataSourceListener.class.getName())
                    .doesNotContain("io.seqguard.micronaut.SeqguardHealthIndicator",
                            "io.seqguard.micronaut.SeqguardMetrics");
            assertThat(TestApps.nextValue(database, "book_id_seq")).isEqualTo(4);
        }
    }
}
