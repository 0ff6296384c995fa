package io.seqguard.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.seqguard.GuardMode;
import io.seqguard.GuardOutcome;
import io.seqguard.GuardResult;
import io.seqguard.StartupGuardException;
import io.seqguard.UnknownObjectException;
import io.seqguard.spring.boot.autoconfigure.SeqguardAutoConfiguration;
import io.seqguard.spring.boot.autoconfigure.SeqguardConfigurationException;
import io.seqguard.spring.boot.autoconfigure.SeqguardResults;
import io.seqguard.spring.boot.autoconfigure.SeqguardStartupException;
import io.seqguard.test.TestDatabase;

import java.util.Map;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.lookup.AbstractRoutingDataSource;

/** Every DataSource bean is guarded, each with its own settings under {@code seqguard.datasources.<bean name>}. */
class MultipleDataSourcesTests {

    private static TestDatabase orders;
    private static TestDatabase reporting;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SeqguardAutoConfiguration.class))
            .withUserConfiguration(TwoDataSources.class);

    @BeforeAll
    static void databases() {
        orders = TestDatabase.create("orders");
        reporting = TestDatabase.create("reporting");
    }

    @AfterAll
    static void drop() {
        orders.close();
        reporting.close();
    }

    @BeforeEach
    void lagging() {
        for (TestDatabase db : new TestDatabase[] {orders, reporting}) {
            db.execute("DROP TABLE IF EXISTS item");
            Databases.laggingTable(db, "item", 70);
        }
    }

    private ApplicationContextRunner withUrls() {
        return runner.withPropertyValues("test.orders-url=" + orders.jdbcUrl(),
                "test.reporting-url=" + reporting.jdbcUrl(), "test.user=" + orders.server().superuser());
    }

    @Test
    void everyDataSourceBeanIsGuarded() {
        withUrls().run(context -> {
            assertThat(context).hasNotFailed();
            Map<String, GuardResult> results = context.getBean(SeqguardResults.class).getResults();
            assertThat(results).containsOnlyKeys("ordersDataSource", "reportingDataSource");
            assertThat(results.values()).extracting(GuardResult::outcome).containsOnly(GuardOutcome.REPAIRED);
            // the routing DataSource routes to these two: guarding it would guard one of them twice
            assertThat(context.getBean(SeqguardResults.class).getUnguarded()).containsOnlyKeys("routingDataSource");
        });
        assertThat(orders.queryForLong("SELECT nextval('item_id_seq')")).isEqualTo(71);
        assertThat(reporting.queryForLong("SELECT nextval('item_id_seq')")).isEqualTo(71);
    }

    @Test
    void aBeanCanHaveItsOwnMode() {
        withUrls().withPropertyValues("seqguard.datasources.reportingDataSource.mode=verify").run(context -> {
            assertThat(context).hasFailed();
            SeqguardStartupException failure = Causes.find(context.getStartupFailure(),
                    SeqguardStartupException.class);
            assertThat(failure.getDataSourceName()).isEqualTo("reportingDataSource");
            assertThat(failure.getMode()).isEqualTo(GuardMode.VERIFY);
            assertThat(failure.getGuardException().reason()).isEqualTo(StartupGuardException.Reason.DRIFT);
        });
        // beans are guarded in definition order: the orders database was repaired before the refusal
        assertThat(orders.queryForLong("SELECT nextval('item_id_seq')")).isEqualTo(71);
        assertThat(reporting.queryForLong("SELECT nextval('item_id_seq')")).isEqualTo(1);
    }

    @Test
    void aBeanCanBeLeftOutAndKeysMayBeKebabCase() {
        withUrls().withPropertyValues("seqguard.mode=verify", "seqguard.datasources.orders-data-source.mode=repair",
                "seqguard.datasources.reporting-data-source.enabled=false").run(context -> {
                    assertThat(context).hasNotFailed();
                    SeqguardResults results = context.getBean(SeqguardResults.class);
                    assertThat(results.getResults()).containsOnlyKeys("ordersDataSource");
                    assertThat(results.getUnguarded()).containsEntry("reportingDataSource",
                            "seqguard.datasources.reporting-data-source.enabled=false");
                });
        assertThat(reporting.queryForLong("SELECT nextval('item_id_seq')")).isEqualTo(1);
    }

    @Test
    void keysFromEnvironmentVariablesFindTheirBean() {
        withUrls().withInitializer(context -> context.getEnvironment().getPropertySources().addFirst(
                new SystemEnvironmentPropertySource("test-systemEnvironment",
                        Map.of("SEQGUARD_DATASOURCES_REPORTINGDATASOURCE_ENABLED", "false")))).run(context -> {
                            assertThat(context).hasNotFailed();
                            assertThat(context.getBean(SeqguardResults.class).getUnguarded())
                                    .containsKey("reportingDataSource");
                        });
    }

    @Test
    void aRoutingDataSourceIsGuardedWhenEnabledExplicitly() {
        withUrls().withPropertyValues("seqguard.datasources.ordersDataSource.enabled=false",
                "seqguard.datasources.routingDataSource.enabled=true").run(context -> {
                    assertThat(context).hasNotFailed();
                    // it routes to the orders database by default
                    assertThat(context.getBean(SeqguardResults.class).getResults()).containsOnlyKeys(
                            "reportingDataSource", "routingDataSource");
                });
        assertThat(orders.queryForLong("SELECT nextval('item_id_seq')")).isEqualTo(71);
    }

    /**
     * Global settings apply to every DataSource: a mapping to a sequence the second database does not have stops
     * start-up naming the property, and the advice is to give that DataSource its own value, not to check its URL.
     */
    @Test
    void aGlobalMappingThatASecondDatabaseLacksIsNamedAndCanBeClearedForIt() {
        orders.execute("DROP TABLE IF EXISTS invoice", "DROP SEQUENCE IF EXISTS invoice_number_seq",
                "CREATE SEQUENCE invoice_number_seq", "CREATE TABLE invoice (id int PRIMARY KEY, number bigint)",
                "INSERT INTO invoice VALUES (1, 900)");
        try {
            withUrls().withPropertyValues("seqguard.mappings=invoice_number_seq=invoice.number").run(context -> {
                assertThat(context).hasFailed();
                SeqguardStartupException failure = Causes.find(
                        context.getStartupFailure(), SeqguardStartupException.class);
                assertThat(failure.getDataSourceName()).isEqualTo("reportingDataSource");
                assertThat(failure.getGuardException().reason())
                        .isEqualTo(StartupGuardException.Reason.DATABASE_ERROR);
                assertThat(Causes.find(failure, UnknownObjectException.class))
                        .hasMessageStartingWith("seqguard.mappings: 'invoice_number_seq=\"invoice\".\"number\"': "
                                + "sequence public.invoice_number_seq does not exist");
                FailureAnalysis analysis = new FailureAnalyzers().analyze(context.getStartupFailure());
                assertThat(failure.getGuardException().getMessage()).as("a setting, not a failure while running")
                        .contains("seqguard startup guard (mode repair) did not run on database ")
                        .contains(", since a setting names what it does not have: seqguard.mappings: ")
                        .doesNotContain("failed while");
                assertThat(analysis.getAction()).startsWith("Correct the name in the setting above")
                        .contains("give DataSource 'reportingDataSource' its own value under "
                        + "seqguard.datasources.reportingDataSource.*").doesNotContain("URL");
            });
            withUrls().withPropertyValues("seqguard.mappings=invoice_number_seq=invoice.number",
                    "seqguard.datasources.reportingDataSource.mappings=").run(context -> {
                        assertThat(context).hasNotFailed();
                        assertThat(context.getBean(SeqguardResults.class).getResults()).containsOnlyKeys(
                                "ordersDataSource", "reportingDataSource");
                    });
            assertThat(orders.queryForLong("SELECT nextval('invoice_number_seq')")).isEqualTo(901);
        } finally {
            orders.execute("DROP TABLE invoice", "DROP SEQUENCE invoice_number_seq");
        }
    }

    /** Only PostgreSQL is guarded; a block for another database is a mistake, found before any guard runs. */
    @Test
    void aDatabaseOtherThanPostgresqlIsLeftAloneUnlessConfigured() {
        withUrls().withUserConfiguration(H2DataSource.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(SeqguardResults.class).getUnguarded())
                    .containsEntry("h2DataSource", "not PostgreSQL (H2)");
        });
        lagging();
        withUrls().withUserConfiguration(H2DataSource.class)
                .withPropertyValues("seqguard.datasources.h2DataSource.mode=verify").run(context -> {
                    assertThat(context).hasFailed();
                    SeqguardConfigurationException failure = Causes.find(
                            context.getStartupFailure(), SeqguardConfigurationException.class);
                    assertThat(failure.getDescription()).isEqualTo("seqguard.datasources.h2DataSource is configured, "
                            + "but DataSource 'h2DataSource' is H2, not PostgreSQL: seqguard guards PostgreSQL only.");
                });
        assertThat(orders.queryForLong("SELECT last_value FROM item_id_seq")).as("nothing guarded yet").isEqualTo(1);
    }

    @Test
    void aMisspeltDataSourceNameStopsStartUpBeforeAnyDataSourceIsGuarded() {
        withUrls().withPropertyValues("seqguard.datasources.defualt.mode=verify").run(context -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = new FailureAnalyzers().analyze(context.getStartupFailure());
            assertThat(analysis.getDescription()).startsWith("seqguard.datasources.defualt (property source "
                    + "'test'): there is no DataSource bean named 'defualt'.");
            assertThat(analysis.getAction()).isEqualTo("Use one of this application's DataSource beans: "
                    + "[ordersDataSource, reportingDataSource, routingDataSource].");
        });
        assertThat(orders.queryForLong("SELECT last_value FROM item_id_seq")).isEqualTo(1);
        assertThat(reporting.queryForLong("SELECT last_value FROM item_id_seq")).isEqualTo(1);
    }

    /** Spring Boot's own analyzers with seqguard's, in their order. */
    private static final class FailureAnalyzers {
        FailureAnalysis analyze(Throwable failure) {
            for (FailureAnalyzer analyzer : SpringFactoriesLoader.forDefaultResourceLocation(
                    MultipleDataSourcesTests.class.getClassLoader()).load(FailureAnalyzer.class, null,
                            (type, name, error) -> { })) {
                FailureAnalysis analysis = analyzer.analyze(failure);
                if (analysis != null) {
                    return analysis;
                }
            }
            throw new AssertionError("no analysis of " + failure, failure);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class H2DataSource {

        @Bean
        DataSource h2DataSource() {
            return new DriverManagerDataSource("jdbc:h2:mem:seqguard_h2;DB_CLOSE_DELAY=-1", "sa", "");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class TwoDataSources {

        @Bean
        DataSource ordersDataSource(Environment environment) {
            return new DriverManagerDataSource(environment.getRequiredProperty("test.orders-url"),
                    environment.getRequiredProperty("test.user"), "");
        }

        @Bean
        DataSource reportingDataSource(Environment environment) {
            return new DriverManagerDataSource(environment.getRequiredProperty("test.reporting-url"),
                    environment.getRequiredProperty("test.user"), "");
        }

        @Bean
        DataSource routingDataSource(Environment environment) {
            AbstractRoutingDataSource routing = new AbstractRoutingDataSource() {
                @Override
                protected Object determineCurrentLookupKey() {
                    return null;
                }
            };
            routing.setTargetDataSources(Map.of("orders", ordersDataSource(environment), "reporting",
                    reportingDataSource(environment)));
            routing.setDefaultTargetDataSource(ordersDataSource(environment));
            routing.afterPropertiesSet();
            return routing;
        }
    }
}
