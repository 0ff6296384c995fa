package io.seqguard.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.seqguard.SequenceStatus;
import io.seqguard.micrometer.SeqguardMeters;
import io.seqguard.spring.boot.actuate.SeqguardHealthIndicator;
import io.seqguard.spring.boot.actuate.SeqguardMetrics;
import io.seqguard.spring.boot.autoconfigure.SeqguardAutoConfiguration;
import io.seqguard.spring.boot.autoconfigure.SeqguardHealthContributorAutoConfiguration;
import io.seqguard.spring.boot.autoconfigure.SeqguardMetricsAutoConfiguration;
import io.seqguard.test.TestDatabase;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The {@code seqguard} health contributor and the Micrometer meters, present only when their libraries are. */
class SeqguardActuatorTests {

    private static TestDatabase db;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, SeqguardAutoConfiguration.class,
                    SeqguardHealthContributorAutoConfiguration.class, SeqguardMetricsAutoConfiguration.class,
                    MetricsAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class));

    @BeforeAll
    static void database() {
        db = TestDatabase.create("actuator");
        Databases.laggingTable(db, "orders", 80);
        Databases.laggingTable(db, "customers", 5);
        db.execute("CREATE TABLE unused (id serial PRIMARY KEY)");
    }

    @AfterAll
    static void drop() {
        db.close();
    }

    @Test
    void healthShowsTheLastRunOfEachDataSource() {
        runner.withPropertyValues(Databases.springDataSource(db)).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(SeqguardHealthIndicator.class);
            assertThat(context).hasBean("seqguardHealthIndicator");
            Health health = context.getBean(SeqguardHealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            @SuppressWarnings("unchecked")
            Map<String, Object> details = (Map<String, Object>) health.getDetails().get("dataSource");
            assertThat(details).containsEntry("mode", "repair").containsEntry("database", db.name())
                    .containsKeys("lastRun", "durationMillis", "primary", "counts", "maxRangeUsed");
            assertThat(details.get("outcome")).isIn("repaired", "aligned");
            assertThat(details.get("counts")).asInstanceOf(
                    org.assertj.core.api.InstanceOfAssertFactories.map(String.class, Integer.class))
                    .containsEntry("aligned", 2).containsEntry("empty", 1).containsEntry("behind", 0);
            assertThat(details.get("primary")).asInstanceOf(
                    org.assertj.core.api.InstanceOfAssertFactories.map(String.class, Object.class))
                    .containsKeys("id", "recognition");
        });
    }

    @Test
    void metersShowCountsRangeAndDuration() {
        runner.withPropertyValues(Databases.springDataSource(db)).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(SeqguardMetrics.class);
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.get(SeqguardMeters.SEQUENCES).tag("datasource", "dataSource").tag("status", "aligned")
                    .gauge().value()).isEqualTo(2);
            assertThat(registry.get(SeqguardMeters.SEQUENCES).tag("status", "empty").gauge().value()).isEqualTo(1);
            assertThat(registry.get(SeqguardMeters.SEQUENCES).tag("status", "behind").gauge().value()).isZero();
            assertThat(registry.get(SeqguardMeters.SEQUENCES).gauges()).hasSize(SequenceStatus.values().length);
            assertThat(registry.get(SeqguardMeters.RANGE_USED_MAX).gauge().value()).isBetween(0.0, 0.001);
            TimeGauge duration = registry.get(SeqguardMeters.GUARD_DURATION).tag("datasource", "dataSource")
                    .timeGauge();
            assertThat(duration.value(TimeUnit.MILLISECONDS)).isPositive();
        });
    }

    @Test
    void healthCanBeDisabledLikeAnyIndicator() {
        runner.withPropertyValues(Databases.springDataSource(db))
                .withPropertyValues("management.health.seqguard.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(SeqguardHealthIndicator.class));
    }

    @Test
    void withoutActuatorLibrariesThereIsNoHealthAndNoMeters() {
        runner.withPropertyValues(Databases.springDataSource(db))
                .withClassLoader(new FilteredClassLoader(HealthIndicator.class, MeterRegistry.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(SeqguardHealthIndicator.class)
                        .doesNotHaveBean(SeqguardMetrics.class));
    }

    @Test
    void withoutTheGuardThereIsNoHealthAndNoMeters() {
        runner.withPropertyValues(Databases.springDataSource(db)).withPropertyValues("seqguard.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(SeqguardHealthIndicator.class)
                        .doesNotHaveBean(SeqguardMetrics.class));
    }
}
