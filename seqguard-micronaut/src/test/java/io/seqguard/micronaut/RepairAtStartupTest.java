package io.seqguard.micronaut;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.BeanRegistration;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import io.micronaut.flyway.DataSourceMigrationRunner;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.seqguard.GuardMode;
import io.seqguard.GuardOutcome;
import io.seqguard.GuardResult;
import io.seqguard.SequenceReport;
import io.seqguard.micrometer.SeqguardMeters;
import io.seqguard.test.TestDatabase;
import jakarta.inject.Inject;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The application: Micronaut Flyway creates the schema and loads rows with explicit ids, and a Micronaut Data
 * JDBC repository inserts at start-up. No seqguard configuration at all: the dependency alone guards the data source.
 */
@MicronautTest(startApplication = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RepairAtStartupTest implements TestPropertyProvider {

    private TestDatabase database;

    @Inject
    ApplicationContext context;
    @Inject
    StartupInsert startupInsert;
    @Inject
    SeqguardRuns runs;

    @Override
    public Map<String, String> getProperties() {
        database = TestDatabase.create("micronaut_repair");
        Map<String, String> properties = new HashMap<>();
        TestApps.dataSource("default", database, "books").forEach((k, v) -> properties.put(k, String.valueOf(v)));
        properties.put(StartupInsert.ENABLED, "true");
        properties.put("micronaut.application.name", "books-service");
        return properties;
    }

    @AfterAll
    void dropDatabase() {
        context.close();
        database.close();
    }

    @Test
    void theRepositoryInsertAtStartUpGetsTheNextFreeId() {
        assertThat(startupInsert.saved()).isNotNull();
        assertThat(startupInsert.saved().id()).isEqualTo(4L);
        assertThat(database.queryForLong("SELECT count(*) FROM book")).isEqualTo(4);
    }

    @Test
    void theGuardRanAfterFlywayAndRepairedTheSequenceOfTheRowsFlywayLoaded() {
        GuardRun run = runs.latest("default").orElseThrow();
        assertThat(run.passed()).isTrue();
        GuardResult result = run.result();
        assertThat(result.mode()).isEqualTo(GuardMode.REPAIR);
        assertThat(result.outcome()).isEqualTo(GuardOutcome.REPAIRED);
        // Only Flyway's V2 migration wrote ids 1..3: the guard can have seen them only after Flyway had run.
        List<SequenceReport> repaired = result.repaired();
        assertThat(repaired).extracting(SequenceReport::displayName).containsExactly("public.book_id_seq");
        assertThat(repaired.get(0).previousNextValue()).isEqualTo(1L);
        assertThat(repaired.get(0).dataBound()).isEqualTo(3L);
        assertThat(repaired.get(0).nextValue()).isEqualTo(4L);
    }

    @Test
    void theGuardIsOrderedAfterFlywaysListener() {
        BeanRegistration<DataSourceMigrationRunner> flyway = context.getBeanRegistration(
                DataSourceMigrationRunner.class, null);
        BeanRegistration<SeqguardDataSourceListener> seqguard = context.getBeanRegistration(
                SeqguardDataSourceListener.class, null);
        assertThat(flyway.getOrder()).isLessThan(seqguard.getOrder());
        assertThat(seqguard.getOrder()).isEqualTo(SeqguardDataSourceListener.ORDER);
    }

    @Test
    void theGuardUnwrappedMicronautDatasTransactionAwareProxy() {
        // the bean everyone gets is Micronaut Data's proxy, which lends no connection outside a transaction
        DataSource bean = context.getBean(DataSource.class);
        assertThat(bean).isInstanceOf(DelegatingDataSource.class);
        assertThat(runs.latest("default").orElseThrow().result().database()).isEqualTo(database.name());
    }

    @Test
    void healthIndicatorReportsTheRun() {
        SeqguardHealthIndicator indicator = context.getBean(SeqguardHealthIndicator.class);
        HealthResult health = indicator.result();
        assertThat(health.getName()).isEqualTo("seqguard");
        assertThat(health.getStatus()).isEqualTo(HealthStatus.UP);
        @SuppressWarnings("unchecked")
        Map<String, Object> details = (Map<String, Object>) ((Map<String, Object>) health.getDetails()).get("default");
        assertThat(details).containsEntry("mode", "repair").containsEntry("applied", "repair")
                .containsEntry("outcome", "repaired").containsEntry("database", database.name())
                .containsEntry("verdict", "aligned")
                .containsKeys("lastRun", "durationMillis", "allocation", "maxRangeUsed");
        @SuppressWarnings("unchecked")
        Map<String, Object> primary = (Map<String, Object>) details.get("primary");
        assertThat(primary).containsEntry("recognition", "unknown").containsKey("id");
        assertThat(details.get("repaired")).isEqualTo(List.of("public.book_id_seq"));
        @SuppressWarnings("unchecked")
        Map<String, Integer> counts = (Map<String, Integer>) details.get("counts");
        assertThat(counts).containsOnlyKeys("aligned", "behind", "exhausted", "not_verifiable", "no_privilege",
                "skipped", "empty", "not_used_on_node", "outside_node_range", "mismatched");
        assertThat(counts.get("behind")).isZero();
    }

    @Test
    void metricsHaveTheStartersNames() {
        MeterRegistry registry = context.getBean(MeterRegistry.class);
        double sequences = registry.get(SeqguardMeters.SEQUENCES).tag("datasource", "default").gauges().stream()
                .mapToDouble(g -> g.value()).sum();
        assertThat(sequences).isEqualTo(1.0);
        assertThat(registry.get(SeqguardMeters.SEQUENCES).tag("datasource", "default").tag("status", "behind")
                .gauge().value()).isZero();
        assertThat(registry.get(SeqguardMeters.RANGE_USED_MAX).tag("datasource", "default").gauge().value())
                .isBetween(0.0, 0.01);
        double millis = runs.latest("default").orElseThrow().duration().toNanos() / 1e6;
        assertThat(registry.get(SeqguardMeters.GUARD_DURATION).tag("datasource", "default").timeGauge()
                .value(TimeUnit.MILLISECONDS)).isPositive().isCloseTo(millis, within(0.001));
    }
}
