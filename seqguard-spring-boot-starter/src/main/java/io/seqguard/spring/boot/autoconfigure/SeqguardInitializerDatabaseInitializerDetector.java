package io.seqguard.spring.boot.autoconfigure;

import java.util.Collections;
import java.util.Set;

import org.springframework.boot.sql.init.dependency.AbstractBeansOfTypeDatabaseInitializerDetector;
import org.springframework.core.Ordered;

/**
 * Makes {@link SeqguardInitializer} beans database initializers in Spring Boot's sense (registered in
 * {@code META-INF/spring.factories} under
 * {@code org.springframework.boot.sql.init.dependency.DatabaseInitializerDetector}).
 *
 * <p>Both directions of the ordering come from Spring Boot's {@code DatabaseInitializationDependencyConfigurer}:
 * <ul>
 *   <li><em>Before</em> the users of the database: every bean that depends on database initialization
 *       (JdbcTemplate, NamedParameterJdbcTemplate, JdbcClient, the JPA EntityManagerFactory, jOOQ's DSLContext, and
 *       through them Spring Data JDBC and repositories) gets {@code dependsOn} every detected initializer, the guard
 *       included.</li>
 *   <li><em>After</em> the other initializers: Spring Boot groups initializers by detector, sorts the detectors by
 *       order and makes each group depend on the group before. This detector has the lowest precedence, so the guard
 *       depends on the group before it (SQL init scripts, at {@code LOWEST_PRECEDENCE - 100}), which depends on
 *       Flyway's migration initializer, which depends on Liquibase and Flyway: the guard runs after all of them.</li>
 * </ul>
 * Detector order decides only among initializers; with {@code spring.jpa.defer-datasource-initialization=true} the
 * EntityManagerFactory becomes an initializer that every other one, the guard included, waits for.
 */
class SeqguardInitializerDatabaseInitializerDetector extends AbstractBeansOfTypeDatabaseInitializerDetector {

    @Override
    protected Set<Class<?>> getDatabaseInitializerBeanTypes() {
        return Collections.singleton(SeqguardInitializer.class);
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
