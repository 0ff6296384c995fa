package io.seqguard.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.QuarkusUnitTest;
import io.seqguard.micrometer.SeqguardMeters;
import io.seqguard.quarkus.runtime.SeqguardGuards;
import io.seqguard.quarkus.runtime.SeqguardHealthCheck;

import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Flyway migrates (schema as Hibernate writes it, rows with explicit ids), the guard repairs with no seqguard
 * property (the entities' sequences come from Hibernate ORM's metamodel), and the start-up writes through a JPA
 * entity, a Panache entity and the raw datasource all succeed.
 */
class RepairAtStartTest {

    @RegisterExtension
    static final QuarkusUnitTest APP = new QuarkusUnitTest()
            .setArchiveProducer(() -> TestApps.shop(""));

    @Inject
    AgroalDataSource dataSource;

    @Inject
    SeqguardGuards guards;

    @Inject
    @Readiness
    SeqguardHealthCheck health;

    @Inject
    MeterRegistry registry;

    @Test
    void theStartUpWritesGotIdsPastTheImportedRows() throws SQLException {
        assertThat(query("select id from invoice where number = 'written at start-up'")).isGreaterThan(120);
        assertThat(query("select id from \"Order Lines; DROP TABLE x\" where note = 'written at start-up'"))
                .isGreaterThan(75);
        assertThat(query("select id from \"Audit \"\"log\"\"\" where what = 'written at start-up'")).isGreaterThan(30);
        // pooled ids of 50: the next block Hibernate takes may not reach into the imported ones either
        assertThat(query("select last_value from invoice_seq")).isGreaterThanOrEqualTo(120 + 50);
    }

    @Test
    void theRunIsRecordedWithTheEntitiesSequences() {
        var run = guards.runs().latest("<default>").orElseThrow();
        assertThat(run.passed()).isTrue();
        assertThat(run.result().repaired()).extracting(s -> s.displayName())
                .contains("public.invoice_seq", "public.Order Lines; DROP TABLE x_SEQ");
        assertThat(guards.runs().unguarded()).isEmpty();
    }

    @Test
    void readinessShowsTheRun() {
        HealthCheckResponse response = health.call();
        assertThat(response.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        Map<String, Object> data = response.getData().orElseThrow();
        assertThat(data).containsEntry("<default>.mode", "repair").containsEntry("<default>.outcome", "repaired")
                .containsEntry("<default>.counts.behind", 0L).containsKey("<default>.primary.id");
        assertThat((String) data.get("<default>.repaired")).contains("public.invoice_seq");
    }

    @Test
    void metricsUnderTheNamesOfTheOtherAdapters() {
        assertThat(registry.get(SeqguardMeters.SEQUENCES).tag("datasource", "<default>").tag("status", "aligned")
                .gauge().value()).isEqualTo(3.0);
        assertThat(registry.get(SeqguardMeters.SEQUENCES).tag("status", "behind").gauge().value()).isZero();
        assertThat(registry.get(SeqguardMeters.UNVERIFIED).tag("datasource", "<default>").gauge().value()).isZero();
        assertThat(registry.get(SeqguardMeters.RANGE_USED_MAX).gauge().value()).isBetween(0.0, 1.0);
        assertThat(registry.get(SeqguardMeters.GUARD_DURATION).timeGauge().value()).isPositive();
    }

    private long query(String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            assertThat(rows.next()).as(sql).isTrue();
            return rows.getLong(1);
        }
    }
}
