package io.seqguard.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.seqguard.AlignerConfiguration;
import io.seqguard.AllocationRule;
import io.seqguard.GuardConfiguration;
import io.seqguard.GuardMode;
import io.seqguard.GuardOutcome;
import io.seqguard.GuardResult;
import io.seqguard.RepairAction;
import io.seqguard.SequenceReport;
import io.seqguard.SequenceStatus;
import io.seqguard.StandbyAction;
import io.seqguard.StartupGuard;
import io.seqguard.StartupGuardException;
import io.seqguard.SubscriptionAction;
import io.seqguard.spring.boot.autoconfigure.SeqguardAutoConfiguration;
import io.seqguard.spring.boot.autoconfigure.SeqguardConfigurationCustomizer;
import io.seqguard.spring.boot.autoconfigure.SeqguardConfigurationException;
import io.seqguard.spring.boot.autoconfigure.SeqguardInitializer;
import io.seqguard.spring.boot.autoconfigure.SeqguardProperties;
import io.seqguard.spring.boot.autoconfigure.SeqguardResults;
import io.seqguard.spring.boot.autoconfigure.SeqguardStartupException;
import io.seqguard.test.TestDatabase;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.LazyInitializationBeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/** Conditions, properties and customization of {@link SeqguardAutoConfiguration}, against real PostgreSQL. */
class SeqguardAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                    SeqguardAutoConfiguration.class));

    @Test
    void backsOffWithoutDataSource() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(SeqguardAutoConfiguration.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(SeqguardInitializer.class)
                        .doesNotHaveBean(SeqguardResults.class).doesNotHaveBean(SeqguardProperties.class));
    }

    @Test
    void backsOffWhenDisabled() {
        // a DataSource that cannot connect: with the guard disabled nothing may try
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(SeqguardAutoConfiguration.class))
                .withUserConfiguration(UnreachableDataSource.class).withPropertyValues("seqguard.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(SeqguardInitializer.class)
                        .doesNotHaveBean(SeqguardResults.class));
    }

    @Test
    void backsOffWithoutTheCore() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(SeqguardAutoConfiguration.class))
                .withUserConfiguration(UnreachableDataSource.class)
                .withClassLoader(new FilteredClassLoader(StartupGuard.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(SeqguardInitializer.class));
    }

    @Test
    void guardsTheAutoConfiguredDataSourceWithDefaults() {
        try (TestDatabase db = TestDatabase.create("defaults")) {
            Databases.laggingTable(db, "orders", 120);
            runner.withPropertyValues(Databases.springDataSource(db)).run(context -> {
                assertThat(context).hasNotFailed().hasSingleBean(SeqguardInitializer.class);
                GuardResult result = context.getBean(SeqguardResults.class).get("dataSource").orElseThrow();
                assertThat(result.mode()).isEqualTo(GuardMode.REPAIR);
                assertThat(result.outcome()).isEqualTo(GuardOutcome.REPAIRED);
                assertThat(result.report().allocation()).isEqualTo(AllocationRule.pooled());
                assertThat(result.repaired()).extracting(SequenceReport::displayName)
                        .containsExactly("public.orders_id_seq");
            });
            assertThat(db.queryForLong("SELECT nextval('orders_id_seq')")).isEqualTo(121);
        }
    }

    /**
     * An AOT-processed application evaluated the auto-configuration's conditions at build time: the guard's beans
     * exist whatever {@code seqguard.enabled} says at run time. The initializer reads it again when it runs.
     */
    @Test
    void seqguardEnabledFalseAtRunTimeGuardsNothingEvenWhereTheBeansExist() {
        try (TestDatabase db = TestDatabase.create("aotoff")) {
            runner.withPropertyValues(Databases.springDataSource(db))
                    .run(context -> {
                        // the cutover's rows arrive after this context's own guard ran
                        Databases.laggingTable(db, "orders", 120);
                        org.springframework.mock.env.MockEnvironment runTime = new org.springframework.mock.env
                                .MockEnvironment().withProperty("seqguard.enabled", "false");
                        SeqguardResults results = new SeqguardResults();
                        new SeqguardInitializer(java.util.Map.of("dataSource",
                                context.getBean(javax.sql.DataSource.class)),
                                context.getBean(SeqguardProperties.class), List.of(), runTime, results).run();
                        assertThat(results.get("dataSource")).isEmpty();
                    });
            assertThat(db.queryForLong("SELECT nextval('orders_id_seq')")).as("nothing moved").isEqualTo(1);
        }
    }

    @Test
    void propertiesReachTheGuard() {
        try (TestDatabase db = TestDatabase.create("properties")) {
            Databases.laggingTable(db, "orders", 100);
            Databases.laggingTable(db, "legacy", 100);
            // a sequence that only application code uses: visible to seqguard through a mapping alone
            db.execute("CREATE SEQUENCE invoice_number_seq", "CREATE TABLE invoice (id int PRIMARY KEY, number bigint)",
                    "INSERT INTO invoice SELECT g, 5000 + g FROM generate_series(1, 10) g");
            runner.withPropertyValues(Databases.springDataSource(db))
                    .withPropertyValues("seqguard.allocation=plain", "seqguard.margin=10",
                            "seqguard.exclude-sequences=legacy_id_seq",
                            "seqguard.mappings=invoice_number_seq=invoice.number", "seqguard.jobs=1",
                            "seqguard.statement-timeout=5s", "seqguard.lock-timeout=2s", "seqguard.time-limit=30s",
                            "seqguard.lock-wait-timeout=20s", "seqguard.on-standby=warn",
                            "seqguard.on-enabled-subscription=verify", "seqguard.block-writers-during-repair=true",
                            "seqguard.journal=true", "seqguard.journal-table=public.guard_runs",
                            "spring.application.name=shop")
                    .withBean(Recorder.class).withUserConfiguration(RecordingCustomizer.class)
                    .run(context -> {
                        assertThat(context).hasNotFailed();
                        GuardResult result = context.getBean(SeqguardResults.class).get("dataSource").orElseThrow();
                        assertThat(result.report().allocation()).isEqualTo(AllocationRule.plain());
                        assertThat(result.report().margin()).isEqualTo(10);
                        Map<String, SequenceReport> byName = byName(result);
                        assertThat(byName.get("public.legacy_id_seq").status()).isEqualTo(SequenceStatus.SKIPPED);
                        assertThat(byName.get("public.orders_id_seq").action()).isEqualTo(RepairAction.REPAIRED);
                        assertThat(byName.get("public.invoice_number_seq").action()).isEqualTo(RepairAction.REPAIRED);
                        // the customizer saw the configuration the properties made
                        GuardConfiguration seen = context.getBean(Recorder.class).configurations.get(0);
                        assertThat(seen.getMode()).isEqualTo(GuardMode.REPAIR);
                        assertThat(seen.getTimeLimit()).isEqualTo(Duration.ofSeconds(30));
                        assertThat(seen.getLockWaitTimeout()).isEqualTo(Duration.ofSeconds(20));
                        assertThat(seen.getOnStandby()).isEqualTo(StandbyAction.WARN);
                        assertThat(seen.getOnEnabledSubscription()).isEqualTo(SubscriptionAction.VERIFY);
                        assertThat(seen.isJournal()).isTrue();
                        assertThat(seen.getJournalTable()).isEqualTo("public.guard_runs");
                        assertThat(seen.getApplicationName()).isEqualTo("shop");
                        AlignerConfiguration aligner = seen.load().aligner().configuration();
                        assertThat(aligner.getJobs()).isEqualTo(1);
                        assertThat(aligner.getStatementTimeout()).isEqualTo(Duration.ofSeconds(5));
                        assertThat(aligner.getLockTimeout()).isEqualTo(Duration.ofSeconds(2));
                        assertThat(aligner.isBlockWritersDuringRepair()).isTrue();
                        assertThat(aligner.getExcludedSequences()).containsExactly("legacy_id_seq");
                    });
            assertThat(db.queryForLong("SELECT nextval('orders_id_seq')")).isEqualTo(111);
            assertThat(db.queryForLong("SELECT nextval('legacy_id_seq')")).isEqualTo(1);
            assertThat(db.queryForLong("SELECT nextval('invoice_number_seq')")).isEqualTo(5021);
            assertThat(db.queryForString("SELECT application FROM public.guard_runs")).isEqualTo("shop");
        }
    }

    @Test
    void verifyModeRefusesStartOnDrift() {
        try (TestDatabase db = TestDatabase.create("verify")) {
            Databases.laggingTable(db, "orders", 50);
            runner.withPropertyValues(Databases.springDataSource(db)).withPropertyValues("seqguard.mode=verify")
                    .run(context -> {
                        assertThat(context).hasFailed();
                        SeqguardStartupException failure = Causes.find(context.getStartupFailure(),
                                SeqguardStartupException.class);
                        assertThat(failure.getDataSourceName()).isEqualTo("dataSource");
                        assertThat(failure.getJdbcUrl()).isEqualTo(db.jdbcUrl());
                        assertThat(failure.getGuardException().reason()).isEqualTo(StartupGuardException.Reason.DRIFT);
                        // Spring logs this message twice before the failure analysis: one line, the list in the
                        // cause
                        assertThat(failure.getMessage()).doesNotContain("\n").contains("DataSource 'dataSource'")
                                .contains("1 sequence(s) in database " + db.name() + " would hand out ids")
                                .doesNotContain("public.orders_id_seq").endsWith("in this exception's cause)");
                        assertThat(failure.getGuardException().getMessage()).contains("public.orders_id_seq")
                                .contains("seqguard.mode=repair");
                    });
            assertThat(db.queryForLong("SELECT nextval('orders_id_seq')")).isEqualTo(1);
        }
    }

    @Test
    void modeOffAlsoReadsFalseAsYamlWritesABareOff() {
        try (TestDatabase db = TestDatabase.create("off")) {
            Databases.laggingTable(db, "orders", 50);
            runner.withPropertyValues(Databases.springDataSource(db)).withPropertyValues("seqguard.mode=false")
                    .run(context -> {
                        assertThat(context).hasNotFailed();
                        GuardResult result = context.getBean(SeqguardResults.class).get("dataSource").orElseThrow();
                        assertThat(result.applied()).isEqualTo(GuardMode.OFF);
                        assertThat(result.outcome()).isEqualTo(GuardOutcome.SKIPPED);
                    });
            assertThat(db.queryForLong("SELECT nextval('orders_id_seq')")).isEqualTo(1);
        }
    }

    @Test
    void invalidValuesNameTheirProperty() {
        runner.withUserConfiguration(UnreachableDataSource.class).withPropertyValues("seqguard.allocation=banana")
                .run(context -> assertInvalid(context.getStartupFailure(), "seqguard.allocation",
                        "seqguard.allocation: 'banana' is not an allocation rule"));
        runner.withUserConfiguration(UnreachableDataSource.class)
                .withPropertyValues("seqguard.mappings[0]=orders_seq=orders.id", "seqguard.mappings[1]=nonsense")
                .run(context -> assertInvalid(context.getStartupFailure(), "seqguard.mappings",
                        "seqguard.mappings: mapping: 'nonsense' has no '='"));
        runner.withUserConfiguration(UnreachableDataSource.class)
                .withPropertyValues("seqguard.time-limit=10s", "seqguard.lock-wait-timeout=1m")
                .run(context -> assertInvalid(context.getStartupFailure(), null,
                        "seqguard.lock-wait-timeout (60000 ms) must not exceed seqguard.time-limit (10000 ms)"));
        runner.withUserConfiguration(UnreachableDataSource.class).withPropertyValues("seqguard.jobs=0")
                .run(context -> assertInvalid(context.getStartupFailure(), "seqguard.jobs",
                        "seqguard.jobs: must be between 1 and 64, was 0"));
        runner.withUserConfiguration(UnreachableDataSource.class)
                .withPropertyValues("seqguard.datasources.dataSource.margin=-1")
                .run(context -> assertInvalid(context.getStartupFailure(), "seqguard.datasources.dataSource.margin",
                        "seqguard.datasources.dataSource.margin: must be 0 or more, was -1"));
    }

    @Test
    void unknownDataSourceNamesAreRefused() {
        runner.withUserConfiguration(UnreachableDataSource.class)
                .withPropertyValues("seqguard.datasources.reporting.enabled=false").run(context -> {
                    assertThat(context).hasFailed();
                    SeqguardConfigurationException failure = Causes.find(context.getStartupFailure(),
                            SeqguardConfigurationException.class);
                    assertThat(failure.getProperty()).isEqualTo("seqguard.datasources.reporting");
                    assertThat(failure.getDescription()).startsWith("seqguard.datasources.reporting (property "
                            + "source 'test'): there is no DataSource bean named 'reporting'.");
                    assertThat(failure.getAction()).contains("[dataSource]");
                });
    }

    @Test
    void aDataSourceCanBeLeftOutByName() {
        runner.withUserConfiguration(UnreachableDataSource.class)
                .withPropertyValues("seqguard.datasources.data-source.enabled=false").run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(SeqguardResults.class).getUnguarded())
                            .containsEntry("dataSource", "seqguard.datasources.data-source.enabled=false");
                });
    }

    @Test
    void customizersRunInOrderAfterTheProperties() {
        try (TestDatabase db = TestDatabase.create("customizer")) {
            Databases.laggingTable(db, "orders", 10);
            runner.withPropertyValues(Databases.springDataSource(db)).withPropertyValues("seqguard.mode=verify")
                    .withBean(Recorder.class).withUserConfiguration(RepairingCustomizers.class).run(context -> {
                        // the customizers switched verify to repair for this bean
                        assertThat(context).hasNotFailed();
                        assertThat(context.getBean(Recorder.class).names).containsExactly("first:dataSource",
                                "second:dataSource");
                        assertThat(context.getBean(SeqguardResults.class).get("dataSource").orElseThrow().outcome())
                                .isEqualTo(GuardOutcome.REPAIRED);
                    });
        }
    }

    @Test
    void anApplicationsOwnInitializerReplacesTheAutoConfiguredOne() {
        runner.withUserConfiguration(UnreachableDataSource.class, OwnInitializer.class).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(SeqguardInitializer.class);
            assertThat(context).getBean("ownInitializer").isSameAs(context.getBean(SeqguardInitializer.class));
        });
    }

    @Test
    void theGuardRunsEvenWhenBeansAreLazy() {
        try (TestDatabase db = TestDatabase.create("lazy")) {
            Databases.laggingTable(db, "orders", 10);
            runner.withPropertyValues(Databases.springDataSource(db))
                    .withInitializer(context -> context.addBeanFactoryPostProcessor(
                            new LazyInitializationBeanFactoryPostProcessor()))
                    .run(context -> assertThat(context).hasNotFailed());
            assertThat(db.queryForLong("SELECT nextval('orders_id_seq')")).isEqualTo(11);
        }
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void aSmallHikariPoolReadsWithFewerJobsOrIsRefused(CapturedOutput output) {
        try (TestDatabase db = TestDatabase.create("pool")) {
            Databases.laggingTable(db, "orders", 10);
            runner.withPropertyValues(Databases.springDataSource(db))
                    .withPropertyValues("spring.datasource.hikari.maximum-pool-size=2", "seqguard.jobs=4")
                    .run(context -> assertThat(context).hasNotFailed());
            assertThat(output).contains("seqguard: DataSource 'dataSource' lends at most 2 connections; reading with 1 "
                    + "job(s) instead of 4 (seqguard.jobs)");
            assertThat(db.queryForLong("SELECT nextval('orders_id_seq')")).isEqualTo(11);
            runner.withPropertyValues(Databases.springDataSource(db))
                    .withPropertyValues("spring.datasource.hikari.maximum-pool-size=1").run(context -> {
                        assertThat(context).hasFailed();
                        assertThat(context.getStartupFailure()).rootCause()
                                .hasMessageContaining("a Hikari pool of at most 1 connection,")
                                .hasMessageContaining("spring.datasource.hikari.maximum-pool-size");
                    });
        }
    }

    private static Map<String, SequenceReport> byName(GuardResult result) {
        return result.report().sequences().stream()
                .collect(java.util.stream.Collectors.toMap(SequenceReport::displayName, s -> s));
    }

    private static void assertInvalid(Throwable failure, String property, String message) {
        assertThat(failure).as("start-up failure").isNotNull();
        SeqguardConfigurationException invalid = Causes.find(failure, SeqguardConfigurationException.class);
        assertThat(invalid.getProperty()).isEqualTo(property);
        assertThat(invalid.getDescription()).startsWith(message);
    }

    /** A DataSource no guard may ever connect to (port 1): tests that must fail or back off before connecting. */
    @Configuration(proxyBeanMethods = false)
    static class UnreachableDataSource {
        @Bean
        DataSource dataSource() {
            SimpleDriverDataSource dataSource = new SimpleDriverDataSource();
            dataSource.setDriverClass(org.postgresql.Driver.class);
            dataSource.setUrl("jdbc:postgresql://127.0.0.1:1/nowhere?connectTimeout=1");
            return dataSource;
        }
    }

    /** What customizers saw. */
    static class Recorder {
        final List<GuardConfiguration> configurations = new CopyOnWriteArrayList<>();
        final List<String> names = new CopyOnWriteArrayList<>();
    }

    @Configuration(proxyBeanMethods = false)
    static class RecordingCustomizer {
        @Bean
        SeqguardConfigurationCustomizer recordingCustomizer(Recorder recorder) {
            return (name, configuration) -> recorder.configurations.add(configuration);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class RepairingCustomizers {
        @Bean
        @Order(2)
        SeqguardConfigurationCustomizer second(Recorder recorder) {
            return (name, configuration) -> {
                recorder.names.add("second:" + name);
                configuration.mode(GuardMode.REPAIR);
            };
        }

        @Bean
        @Order(1)
        SeqguardConfigurationCustomizer first(Recorder recorder) {
            return (name, configuration) -> recorder.names.add("first:" + name);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnInitializer {
        @Bean
        SeqguardInitializer ownInitializer(SeqguardProperties properties) {
            return new SeqguardInitializer(Map.of(), properties, List.of(), null, new SeqguardResults());
        }
    }
}
