package io.seqguard.micronaut;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.inject.qualifiers.Qualifiers;
import io.seqguard.AlignerConfiguration;
import io.seqguard.AllocationRule;
import io.seqguard.GuardConfiguration;
import io.seqguard.GuardMode;
import io.seqguard.SequenceMapping;
import io.seqguard.StandbyAction;
import io.seqguard.StartupGuard;
import io.seqguard.SubscriptionAction;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** {@code seqguard.*} keys reach the core configuration; no database needed. */
class ConfigurationTest {

    /** A data source that is never asked for a connection. */
    private static final DataSource NO_DATABASE = fakeDataSource("none");

    private static ApplicationContext start(Map<String, Object> properties) {
        return TestApps.start(properties);
    }

    private static SeqguardDataSourceConfiguration configuration(ApplicationContext context, String name) {
        return context.getBean(SeqguardDataSourceConfiguration.class, Qualifiers.byName(name));
    }

    @Test
    void everyKeyReachesTheCore() {
        Map<String, Object> p = new HashMap<>();
        String prefix = "seqguard.datasources.main.";
        p.put(prefix + "mode", "verify");
        p.put(prefix + "schemas", List.of("public", "billing"));
        p.put(prefix + "exclude-schemas", "audit");
        p.put(prefix + "exclude-sequences", List.of("billing.legacy_seq"));
        p.put(prefix + "exclude-tables", List.of("public.staging"));
        p.put(prefix + "mappings", List.of("billing.invoice_number_seq=billing.invoice.number"));
        p.put(prefix + "allocation", "hilo:50");
        p.put(prefix + "margin", 100);
        p.put(prefix + "statement-timeout", "30s");
        p.put(prefix + "lock-timeout", "5s");
        p.put(prefix + "lock-wait-timeout", "20s");
        p.put(prefix + "time-limit", "90s");
        p.put(prefix + "jobs", 3);
        p.put(prefix + "capacity-warning", 0.5);
        p.put(prefix + "on-standby", "warn");
        p.put(prefix + "on-enabled-subscription", "proceed");
        p.put(prefix + "block-writers-during-repair", true);
        p.put(prefix + "application-name", "billing");
        p.put(prefix + "journal", true);
        p.put(prefix + "journal-table", "ops.seqguard_runs");
        try (ApplicationContext context = start(p)) {
            StartupGuard guard = configuration(context, "main").load(NO_DATABASE, "ignored");

            GuardConfiguration g = guard.configuration();
            assertThat(g.getDataSource()).isSameAs(NO_DATABASE);
            assertThat(g.getMode()).isEqualTo(GuardMode.VERIFY);
            assertThat(g.getLockWaitTimeout()).isEqualTo(Duration.ofSeconds(20));
            assertThat(g.getTimeLimit()).isEqualTo(Duration.ofSeconds(90));
            assertThat(g.getOnStandby()).isEqualTo(StandbyAction.WARN);
            assertThat(g.getOnEnabledSubscription()).isEqualTo(SubscriptionAction.PROCEED);
            assertThat(g.getApplicationName()).isEqualTo("billing");
            assertThat(g.isJournal()).isTrue();
            assertThat(g.getJournalTable()).isEqualTo("ops.seqguard_runs");

            AlignerConfiguration a = guard.aligner().configuration();
            assertThat(a.getSchemas()).containsExactly("public", "billing");
            assertThat(a.getExcludedSchemas()).containsExactly("audit");
            assertThat(a.getExcludedSequences()).containsExactly("billing.legacy_seq");
            assertThat(a.getExcludedTables()).containsExactly("public.staging");
            assertThat(a.getMappings()).containsExactly(
                    SequenceMapping.parse("billing.invoice_number_seq=billing.invoice.number"));
            assertThat(a.getAllocation()).isEqualTo(AllocationRule.hilo(50));
            assertThat(a.getMargin()).isEqualTo(100);
            assertThat(a.getStatementTimeout()).isEqualTo(Duration.ofSeconds(30));
            assertThat(a.getLockTimeout()).isEqualTo(Duration.ofSeconds(5));
            assertThat(a.getJobs()).isEqualTo(3);
            assertThat(a.getCapacityWarning()).isEqualTo(0.5);
            assertThat(a.isBlockWritersDuringRepair()).isTrue();
        }
    }

    @Test
    void aDataSourceWithoutASectionGetsTheCoresDefaultsAndTheApplicationName() {
        StartupGuard guard = new SeqguardDataSourceConfiguration("default").load(NO_DATABASE, "books-service");
        GuardConfiguration g = guard.configuration();
        assertThat(g.getMode()).isEqualTo(GuardMode.REPAIR);
        assertThat(g.getApplicationName()).isEqualTo("books-service");
        assertThat(g.getTimeLimit()).isEqualTo(GuardConfiguration.DEFAULT_TIME_LIMIT);
        assertThat(g.isJournal()).isFalse();
        assertThat(guard.aligner().configuration().getAllocation()).isEqualTo(AllocationRule.pooled());
    }

    @Test
    void yamlOffMeansModeOff() {
        // YAML 1.1 reads a bare off as the boolean false
        try (ApplicationContext context = start(Map.of("seqguard.datasources.main.mode", false))) {
            assertThat(configuration(context, "main").load(NO_DATABASE, null).configuration().getMode())
                    .isEqualTo(GuardMode.OFF);
        }
    }

    @Test
    void anInvalidValueNamesTheKey() {
        try (ApplicationContext context = start(Map.of("seqguard.datasources.main.mode", "sometimes",
                "seqguard.datasources.other.allocation", "greedy",
                "seqguard.datasources.third.mappings", "no_equals_sign",
                "seqguard.datasources.fourth.jobs", 0,
                "seqguard.datasources.fifth.lock-wait-timeout", "3m"))) {
            assertThatThrownBy(() -> configuration(context, "main").load(NO_DATABASE, null))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageStartingWith("seqguard.datasources.main.mode is invalid: ")
                    .hasMessageContaining("sometimes");
            assertThatThrownBy(() -> configuration(context, "other").load(NO_DATABASE, null))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageStartingWith("seqguard.datasources.other.allocation is invalid: ");
            assertThatThrownBy(() -> configuration(context, "third").load(NO_DATABASE, null))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageStartingWith("seqguard.datasources.third.mappings is invalid: ");
            assertThatThrownBy(() -> configuration(context, "fourth").load(NO_DATABASE, null))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageStartingWith("seqguard.datasources.fourth.jobs is invalid: ");
            assertThatThrownBy(() -> configuration(context, "fifth").load(NO_DATABASE, null))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageStartingWith("seqguard.datasources.fifth: lockWaitTimeout");
        }
    }

    @Test
    void aSectionNoDataSourceUsesIsReported() {
        try (ApplicationContext context = start(Map.of("seqguard.datasources.defualt.mode", "verify"))) {
            assertThat(context.getBean(UnmatchedConfigurationCheck.class).unmatched()).containsExactly("defualt");
        }
    }

    @Test
    void globalSwitchRemovesTheGuard() {
        try (ApplicationContext context = start(Map.of(SeqguardDataSourceListener.ENABLED, false))) {
            assertThat(context.containsBean(SeqguardDataSourceListener.class)).isFalse();
            assertThat(context.containsBean(SeqguardMetrics.class)).isFalse();
            assertThat(context.containsBean(SeqguardHealthIndicator.class)).isFalse();
        }
        try (ApplicationContext context = start(Map.of())) {
            assertThat(context.containsBean(SeqguardDataSourceListener.class)).isTrue();
        }
    }

    @Test
    void aDatabaseOtherThanPostgresqlIsSkippedUnlessConfigured() {
        try (ApplicationContext context = start(Map.of("seqguard.datasources.configured.mode", "repair"))) {
            SeqguardDataSourceListener listener = context.getBean(SeqguardDataSourceListener.class);
            SeqguardRuns runs = context.getBean(SeqguardRuns.class);

            listener.guard("h2", fakeDataSource("H2"));
            assertThat(runs.latest("h2")).isEmpty();
            assertThat(runs.unguarded()).containsExactly(Map.entry("h2", "not PostgreSQL (H2)"));

            assertThatThrownBy(() -> listener.guard("configured", fakeDataSource("H2")))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("seqguard.datasources.configured is configured, but data source "
                            + "'configured' is H2, not PostgreSQL");
            assertThat(runs.latest("configured").orElseThrow().passed()).isFalse();
        }
    }

    @Test
    void healthIsUnknownBeforeAnyRunAndListsUnguardedDataSources() {
        try (ApplicationContext context = start(Map.of("seqguard.datasources.off.enabled", false))) {
            SeqguardHealthIndicator health = context.getBean(SeqguardHealthIndicator.class);
            assertThat(health.result().getStatus()).isEqualTo(HealthStatus.UNKNOWN);

            context.getBean(SeqguardDataSourceListener.class).guard("off", NO_DATABASE);
            HealthResult result = health.result();
            assertThat(result.getStatus()).isEqualTo(HealthStatus.UNKNOWN);
            @SuppressWarnings("unchecked")
            Map<String, Object> details = (Map<String, Object>) result.getDetails();
            assertThat(details).containsEntry("unguarded", Map.of("off", "seqguard.datasources.off.enabled=false"));
        }
    }

    /** A data source whose connections only answer {@code getMetaData().getDatabaseProductName()}. */
    private static DataSource fakeDataSource(String product) {
        DatabaseMetaData metaData = proxy(DatabaseMetaData.class, "getDatabaseProductName", product);
        Connection connection = proxy(Connection.class, "getMetaData", metaData);
        return proxy(DataSource.class, "getConnection", connection);
    }

    private static <T> T proxy(Class<T> type, String method, Object answer) {
        return type.cast(Proxy.newProxyInstance(ConfigurationTest.class.getClassLoader(), new Class<?>[] {type},
                (self, m, args) -> {
                    if (m.getName().equals(method)) {
                        return answer;
                    }
                    if (m.getName().equals("close")) {
                        return null;
                    }
                    if (m.getName().equals("toString")) {
                        return "fake " + type.getSimpleName();
                    }
                    throw new UnsupportedOperationException(m.getName());
                }));
    }
}
