package io.seqguard.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.seqguard.GuardResult;
import io.seqguard.RepairAction;
import io.seqguard.SequenceReport;
import io.seqguard.spring.boot.autoconfigure.SeqguardAutoConfiguration;
import io.seqguard.spring.boot.autoconfigure.SeqguardResults;
import io.seqguard.test.TestDatabase;

import jakarta.persistence.EntityManagerFactory;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.jdbc.autoconfigure.DataJdbcRepositoriesAutoConfiguration;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceInitializationAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcClientAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.jooq.autoconfigure.JooqAutoConfiguration;
import org.springframework.boot.liquibase.autoconfigure.LiquibaseAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;
import org.springframework.data.annotation.Id;
import org.springframework.data.jdbc.core.JdbcAggregateTemplate;
import org.springframework.data.relational.core.mapping.Table;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcOperations;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The guard runs after Flyway, Liquibase and SQL init scripts, and before JdbcTemplate, JdbcClient, JPA, Spring Data
 * JDBC and jOOQ get the database: checked on the bean definitions ({@code dependsOn}), on the order beans were
 * initialized, and by what happened: each initializer loads rows with explicit ids (as replication does), the guard
 * repairs all three sequences, and beans that insert while they are created (through JdbcTemplate, JdbcClient, jOOQ
 * and Spring Data JDBC) all succeed.
 */
class DatabaseInitializationOrderTests {

    private static final String[] INITIALIZERS = {"flyway", "flywayInitializer", "liquibase",
        "dataSourceScriptDatabaseInitializer"};

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                    FlywayAutoConfiguration.class, LiquibaseAutoConfiguration.class,
                    DataSourceInitializationAutoConfiguration.class, JdbcTemplateAutoConfiguration.class,
                    JdbcClientAutoConfiguration.class, HibernateJpaAutoConfiguration.class,
                    JooqAutoConfiguration.class, DataJdbcRepositoriesAutoConfiguration.class,
                    SeqguardAutoConfiguration.class))
            .withUserConfiguration(InitializationOrder.class, WritersAtStartUp.class)
            // Spring Data needs base packages; one without repositories or entities
            .withInitializer(context -> AutoConfigurationPackages.register(
                    (BeanDefinitionRegistry) context.getBeanFactory(), "io.seqguard.spring.boot.none"))
            // Boot runs Liquibase before Flyway's migration: let Flyway start on a schema that is not empty
            .withPropertyValues("spring.flyway.locations=classpath:order/flyway",
                    "spring.flyway.baseline-on-migrate=true", "spring.flyway.baseline-version=0",
                    "spring.liquibase.change-log=classpath:order/liquibase/changelog.sql",
                    "spring.sql.init.mode=always", "spring.sql.init.schema-locations=classpath:order/sql/schema.sql",
                    "spring.sql.init.data-locations=classpath:order/sql/data.sql");

    @Test
    void theGuardRunsAfterEveryInitializerAndBeforeEveryUserOfTheDatabase() {
        try (TestDatabase db = TestDatabase.create("order")) {
            runner.withPropertyValues(Databases.springDataSource(db)).run(context -> {
                assertThat(context).hasNotFailed();
                ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();

                // 1. bean definitions: the guard depends on every initializer (Boot chains them by detector order) ...
                for (String initializer : INITIALIZERS) {
                    assertThat(dependsOnTransitively(beanFactory, "seqguardInitializer", initializer))
                            .as(initializer).isTrue();
                }
                // ... and every bean that depends on database initialization depends on the guard
                List<String> users = usersOfTheDatabase(context);
                assertThat(users).contains("jdbcTemplate", "namedParameterJdbcTemplate", "jdbcClient",
                        "entityManagerFactory", "dslContext", "jdbcAggregateTemplate");
                for (String user : users) {
                    assertThat(initializedAfterTheGuard(beanFactory, user)).as(user).isTrue();
                }

                // 2. the order beans were initialized in
                List<String> order = context.getBean(OrderRecorder.class).names;
                int guard = order.indexOf("seqguardInitializer");
                assertThat(guard).isPositive();
                for (String initializer : INITIALIZERS) {
                    assertThat(order.indexOf(initializer)).as(initializer).isBetween(0, guard - 1);
                }
                for (String user : users) {
                    if (order.contains(user)) {
                        assertThat(order.indexOf(user)).as(user).isGreaterThan(guard);
                    }
                }

                // 3. what happened: the guard saw the rows of all three initializers and moved their sequences
                GuardResult result = context.getBean(SeqguardResults.class).get("dataSource").orElseThrow();
                assertThat(result.repaired()).extracting(SequenceReport::displayName).containsExactlyInAnyOrder(
                        "public.flyway_item_id_seq", "public.liquibase_item_id_seq", "public.script_item_id_seq");
                assertThat(context.getBean(WritersAtStartUp.class).ids).containsExactlyInAnyOrder(
                        "jdbcTemplate:flyway_item:12", "jdbcClient:liquibase_item:23", "jooq:script_item:34",
                        "dataJdbc:script_item:35");
            });
        }
    }

    @Test
    void deferredJpaInitializationStillPutsTheGuardLast() {
        try (TestDatabase db = TestDatabase.create("deferred")) {
            runner.withPropertyValues(Databases.springDataSource(db))
                    .withPropertyValues("spring.jpa.defer-datasource-initialization=true").run(context -> {
                        // JPA is an initializer here (data.sql may fill what Hibernate created): no cycle, and the
                        // guard still comes after all of them
                        assertThat(context).hasNotFailed();
                        for (String initializer : new String[] {"flywayInitializer", "liquibase",
                            "dataSourceScriptDatabaseInitializer", "entityManagerFactory"}) {
                            assertThat(dependsOnTransitively(context.getBeanFactory(), "seqguardInitializer",
                                    initializer)).as(initializer).isTrue();
                        }
                        GuardResult result = context.getBean(SeqguardResults.class).get("dataSource").orElseThrow();
                        assertThat(result.report().withAction(RepairAction.REPAIRED)).hasSize(3);
                    });
        }
    }

    private static List<String> usersOfTheDatabase(AssertableApplicationContext context) {
        return Arrays.stream(new Class<?>[] {JdbcOperations.class, NamedParameterJdbcOperations.class,
            JdbcClient.class, EntityManagerFactory.class, DSLContext.class, JdbcAggregateTemplate.class})
                .flatMap(type -> Arrays.stream(context.getBeanNamesForType(type)))
                .map(name -> name.startsWith("&") ? name.substring(1) : name).distinct().collect(Collectors.toList());
    }

    /** Whether the bean depends on the guard, directly or through beans it depends on. */
    private static boolean initializedAfterTheGuard(ConfigurableListableBeanFactory beanFactory, String name) {
        if (dependsOn(beanFactory, name).contains("seqguardInitializer")) {
            return true;
        }
        for (String dependency : beanFactory.getDependenciesForBean(name)) {
            if (beanFactory.containsBeanDefinition(dependency) && initializedAfterTheGuard(beanFactory, dependency)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code from} depends on {@code to} through {@code dependsOn} declarations. */
    private static boolean dependsOnTransitively(ConfigurableListableBeanFactory beanFactory, String from, String to) {
        for (String dependency : dependsOn(beanFactory, from)) {
            if (dependency.equals(to) || dependsOnTransitively(beanFactory, dependency, to)) {
                return true;
            }
        }
        return false;
    }

    private static List<String> dependsOn(ConfigurableListableBeanFactory beanFactory, String name) {
        String[] dependsOn = beanFactory.getBeanDefinition(name).getDependsOn();
        return dependsOn == null ? List.of() : Arrays.asList(dependsOn);
    }

    /** Records the order in which beans finish initializing. */
    @Configuration(proxyBeanMethods = false)
    static class InitializationOrder {

        @Bean
        static OrderRecorder orderRecorder() {
            return new OrderRecorder();
        }
    }

    static class OrderRecorder implements BeanPostProcessor {

        final List<String> names = new CopyOnWriteArrayList<>();

        @Override
        public Object postProcessAfterInitialization(Object bean, String beanName) {
            names.add(beanName);
            return bean;
        }
    }

    /** Spring Data JDBC's view of script_item. */
    @Table("script_item")
    static class ScriptItem {
        @Id
        Long id;
        String source = "dataJdbc";
    }

    /** Beans that insert while they are being created: they can only succeed after the guard. */
    @Configuration(proxyBeanMethods = false)
    static class WritersAtStartUp {

        final List<String> ids = new CopyOnWriteArrayList<>();

        @Bean
        Object jdbcTemplateWriter(JdbcOperations jdbc) {
            ids.add("jdbcTemplate:flyway_item:" + jdbc.queryForObject(
                    "INSERT INTO flyway_item (source) VALUES ('jdbcTemplate') RETURNING id", Long.class));
            return "written";
        }

        @Bean
        Object jdbcClientWriter(JdbcClient jdbc) {
            ids.add("jdbcClient:liquibase_item:" + jdbc.sql(
                    "INSERT INTO liquibase_item (source) VALUES ('jdbcClient') RETURNING id").query(Long.class)
                    .single());
            return "written";
        }

        @Bean
        Object jooqWriter(DSLContext dsl) {
            Map<String, Object> row = dsl.fetch("INSERT INTO script_item (source) VALUES ('jooq') RETURNING id")
                    .get(0).intoMap();
            ids.add("jooq:script_item:" + row.get("id"));
            return "written";
        }

        @Bean
        @DependsOn("jooqWriter")
        Object dataJdbcWriter(JdbcAggregateTemplate aggregates) {
            ids.add("dataJdbc:script_item:" + aggregates.insert(new ScriptItem()).id);
            return "written";
        }
    }
}
