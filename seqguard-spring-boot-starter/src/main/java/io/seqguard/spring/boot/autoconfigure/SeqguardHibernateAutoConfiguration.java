package io.seqguard.spring.boot.autoconfigure;

import io.seqguard.hibernate.HibernateSequences;
import io.seqguard.hibernate.SequencesListener;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

import javax.sql.DataSource;

import jakarta.persistence.EntityManagerFactory;

import org.hibernate.SessionFactory;
import org.hibernate.engine.jdbc.connections.spi.ConnectionProvider;
import org.hibernate.engine.spi.SessionFactoryImplementor;

import org.springframework.aot.AotDetector;
import org.springframework.beans.factory.BeanFactoryUtils;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.hibernate.autoconfigure.HibernatePropertiesCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;
import org.springframework.orm.jpa.AbstractEntityManagerFactoryBean;

/**
 * The ORM step of the startup guard, for applications with Hibernate: once Hibernate has built an
 * EntityManagerFactory's metamodel, and before any bean can use it, the DataSource it uses is guarded again with the
 * sequences its entities take their ids from ({@link HibernateSequences}), each with its entity's allocation rule. No
 * property is needed: Hibernate's own DDL ({@code create sequence invoice_seq start with 1 increment by 50}, no
 * {@code OWNED BY}) is verified and repaired like any owned sequence.
 *
 * <ul>
 *   <li>The guard before JPA ({@link SeqguardInitializer}) runs as before; a run incomplete only for want of those
 *       mappings waits for the ORM step instead of stopping start-up.</li>
 *   <li>The ORM step runs inside the EntityManagerFactory's build ({@link SequencesListener}, through a
 *       {@link HibernatePropertiesCustomizer}): repositories and every other user of the factory get it only after.
 *       Its refusal fails the build, and start-up.</li>
 *   <li>The beans that wait for database initialization (JdbcTemplate, JdbcClient, jOOQ, Spring Data JDBC,
 *       {@code @DependsOnDatabaseInitialization}) wait for the EntityManagerFactories too, so they never reach a
 *       sequence the ORM step has not verified; a DataSource whose run stayed incomplete without an ORM step stops
 *       start-up before them.</li>
 *   <li>With {@code spring.jpa.defer-datasource-initialization=true}, Spring Boot builds the EntityManagerFactories
 *       before SQL init and seqguard's initializer: their mappings are kept, and the initializer's one run, after SQL
 *       init, uses them. Spring Data repositories then wait for that run too.</li>
 * </ul>
 */
@AutoConfiguration(after = SeqguardAutoConfiguration.class,
        afterName = "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration")
@ConditionalOnClass({HibernateSequences.class, SessionFactory.class, HibernatePropertiesCustomizer.class,
        AbstractEntityManagerFactoryBean.class})
@ConditionalOnBean(SeqguardInitializer.class)
@ConditionalOnBooleanProperty(name = "seqguard.enabled", matchIfMissing = true)
public final class SeqguardHibernateAutoConfiguration {

    /** The bean the users of database initialization wait for, after every EntityManagerFactory. */
    static final String BARRIER = "seqguardOrmStepsDone";

    SeqguardHibernateAutoConfiguration() {
    }

    @Bean
    OrmMappings seqguardOrmMappings() {
        return new OrmMappings();
    }

    @Bean
    HibernatePropertiesCustomizer seqguardOrmStep(ObjectProvider<SeqguardInitializer> initializer,
            OrmMappings found, Environment environment) {
        boolean deferred = OrmMappings.deferred(environment);
        SequencesListener listener = (sessionFactory, mappings) -> {
            DataSource pool = dataSourceOf(sessionFactory);
            if (deferred) {
                // SQL init and seqguard's initializer come after this factory: the guard runs there, once, with these
                found.put(pool, mappings);
            } else {
                initializer.getObject().guardOrm(pool, mappings);
            }
        };
        return properties -> properties.put(HibernateSequences.LISTENER_SETTING, listener);
    }

    @Bean(BARRIER)
    OrmStepsDone seqguardOrmStepsDone(SeqguardInitializer initializer) {
        return new OrmStepsDone(initializer);
    }

    @Bean
    static BeanFactoryPostProcessor seqguardOrmStepOrdering() {
        return new OrmStepOrdering();
    }

    /** The DataSource a session factory takes its connections from; null when it has none of its own. */
    private static DataSource dataSourceOf(SessionFactory sessionFactory) {
        ConnectionProvider provider = sessionFactory.unwrap(SessionFactoryImplementor.class).getServiceRegistry()
                .getService(ConnectionProvider.class);
        return provider != null && provider.isUnwrappableAs(DataSource.class) ? provider.unwrap(DataSource.class)
                : null;
    }

    /** Created after every EntityManagerFactory: stops start-up for an incomplete run no ORM step completed. */
    static final class OrmStepsDone implements InitializingBean {

        private final SeqguardInitializer initializer;

        OrmStepsDone(SeqguardInitializer initializer) {
            this.initializer = initializer;
        }

        @Override
        public void afterPropertiesSet() {
            initializer.checkOrmSteps();
        }
    }

    /**
     * Makes the barrier wait for every EntityManagerFactory, and every bean that waits for seqguard's initializer
     * (Spring Boot's database-initialization ordering put it there) wait for the barrier too. Runs after Spring Boot's
     * own ordering; with AOT, the ordering is in the generated bean definitions already.
     */
    static final class OrmStepOrdering implements BeanFactoryPostProcessor, Ordered, EnvironmentAware {

        private static final String REPOSITORY = "org.springframework.data.repository.Repository";

        private Environment environment;

        @Override
        public int getOrder() {
            // after DatabaseInitializationDependencyConfigurer's post-processor (order 0)
            return 1;
        }

        @Override
        public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
            if (AotDetector.useGeneratedArtifacts() || !beanFactory.containsBeanDefinition(BARRIER)) {
                return;
            }
            Set<String> factories = new LinkedHashSet<>();
            for (String name : beanFactory.getBeanNamesForType(EntityManagerFactory.class, true, false)) {
                factories.add(BeanFactoryUtils.transformedBeanName(name));
            }
            for (String name : beanFactory.getBeanNamesForType(AbstractEntityManagerFactoryBean.class, true, false)) {
                factories.add(BeanFactoryUtils.transformedBeanName(name));
            }
            Set<String> initializers = Set.of(beanFactory.getBeanNamesForType(SeqguardInitializer.class, true, false));
            for (String name : beanFactory.getBeanDefinitionNames()) {
                if (name.equals(BARRIER) || factories.contains(name)) {
                    continue;
                }
                BeanDefinition definition = beanFactory.getBeanDefinition(name);
                String[] dependsOn = definition.getDependsOn();
                if (dependsOn != null && Arrays.stream(dependsOn).anyMatch(initializers::contains)) {
                    definition.setDependsOn(add(dependsOn, BARRIER));
                }
            }
            BeanDefinition barrier = beanFactory.getBeanDefinition(BARRIER);
            barrier.setDependsOn(add(barrier.getDependsOn(), factories.toArray(String[]::new)));
            if (environment != null && OrmMappings.deferred(environment) && ClassUtils.isPresent(REPOSITORY,
                    beanFactory.getBeanClassLoader())) {
                // the guard runs after the EntityManagerFactory and SQL init: repositories, which need only the
                // factory, wait for it too
                for (String name : repositories(beanFactory)) {
                    BeanDefinition definition = beanFactory.getBeanDefinition(name);
                    definition.setDependsOn(add(definition.getDependsOn(), initializers.toArray(String[]::new)));
                }
            }
        }

        private static Set<String> repositories(ConfigurableListableBeanFactory beanFactory) {
            Set<String> names = new LinkedHashSet<>();
            try {
                Class<?> repository = ClassUtils.forName(REPOSITORY, beanFactory.getBeanClassLoader());
                for (String name : beanFactory.getBeanNamesForType(repository, true, false)) {
                    String bean = BeanFactoryUtils.transformedBeanName(name);
                    if (beanFactory.containsBeanDefinition(bean)) {
                        names.add(bean);
                    }
                }
            } catch (ClassNotFoundException e) {
                // no Spring Data on the classpath after all
            }
            return names;
        }

        @Override
        public void setEnvironment(Environment environment) {
            this.environment = environment;
        }

        private static String[] add(String[] dependsOn, String... more) {
            Set<String> all = new LinkedHashSet<>(dependsOn == null ? Set.of() : Arrays.asList(dependsOn));
            all.addAll(Arrays.asList(more));
            return all.toArray(String[]::new);
        }
    }
}
