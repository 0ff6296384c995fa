package io.seqguard.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.seqguard.GuardMode;
import io.seqguard.GuardOutcome;
import io.seqguard.GuardResult;
import io.seqguard.StartupGuardException;
import io.seqguard.spring.boot.autoconfigure.SeqguardAutoConfiguration;
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
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
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
            SeqguardStartupException failure = SeqguardAutoConfigurationTests.findCause(context.getStartupFailure(),
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
