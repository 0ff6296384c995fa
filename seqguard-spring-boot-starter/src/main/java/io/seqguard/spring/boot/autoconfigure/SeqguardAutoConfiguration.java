package io.seqguard.spring.boot.autoconfigure;

import io.seqguard.StartupGuard;

import java.util.Map;

import javax.sql.DataSource;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.LazyInitializationExcludeFilter;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.sql.init.dependency.DatabaseInitializationDependencyConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of seqguard's startup guard: a {@link SeqguardInitializer} that guards every DataSource bean
 * after Flyway, Liquibase and SQL init scripts and before JdbcTemplate, JdbcClient, JPA, Spring Data JDBC and jOOQ
 * get the database. Active when there is a DataSource bean and {@code seqguard.enabled} is not false.
 *
 * <p>The ordering is Spring Boot's database-initialization mechanism, not this class's position: the initializer is
 * found by {@code SeqguardInitializerDatabaseInitializerDetector} ({@code META-INF/spring.factories}), and
 * {@link DatabaseInitializationDependencyConfigurer} (imported here, as Flyway's auto-configuration does) adds the
 * {@code dependsOn} relations. The guard is never lazily initialized: a safety check runs at start-up or not at all.
 */
@AutoConfiguration(afterName = {"org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration",
        "org.springframework.boot.liquibase.autoconfigure.LiquibaseAutoConfiguration",
        "org.springframework.boot.jdbc.autoconfigure.DataSourceInitializationAutoConfiguration"})
@ConditionalOnClass(StartupGuard.class)
@ConditionalOnBean(DataSource.class)
@ConditionalOnBooleanProperty(name = "seqguard.enabled", matchIfMissing = true)
@EnableConfigurationProperties(SeqguardProperties.class)
@Import(DatabaseInitializationDependencyConfigurer.class)
public final class SeqguardAutoConfiguration {

    SeqguardAutoConfiguration() {
    }

    @Bean
    @ConditionalOnMissingBean
    SeqguardResults seqguardResults() {
        return new SeqguardResults();
    }

    @Bean
    @ConditionalOnMissingBean
    SeqguardInitializer seqguardInitializer(ConfigurableListableBeanFactory beanFactory,
            SeqguardProperties properties, ObjectProvider<SeqguardConfigurationCustomizer> customizers,
            Environment environment, SeqguardResults results, ObjectProvider<OrmMappings> ormMappings) {
        // every singleton DataSource bean of this context, in definition order (getBeansOfType keeps it)
        Map<String, DataSource> dataSources = beanFactory.getBeansOfType(DataSource.class, false, true);
        SeqguardInitializer initializer = new SeqguardInitializer(dataSources, properties,
                customizers.orderedStream().toList(), environment, results);
        OrmMappings found = ormMappings.getIfAvailable();
        if (found != null && OrmMappings.deferred(environment)) {
            // the EntityManagerFactories were built before this initializer: their mappings are known now
            initializer.useOrmMappings(found);
        } else if (found != null) {
            // Hibernate's metamodel will tie the entities' sequences to their columns, after this run
            initializer.expectOrmSteps();
        }
        return initializer;
    }

    @Bean
    static LazyInitializationExcludeFilter seqguardLazyInitializationExcludeFilter() {
        return LazyInitializationExcludeFilter.forBeanTypes(SeqguardInitializer.class);
    }
}
