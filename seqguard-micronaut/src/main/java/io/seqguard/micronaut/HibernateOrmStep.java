package io.seqguard.micronaut;

import io.micronaut.configuration.hibernate.jpa.JpaConfiguration;
import io.micronaut.configuration.hibernate.jpa.conf.settings.SettingsSupplier;
import io.micronaut.context.BeanContext;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.naming.NameResolver;
import io.micronaut.core.util.StringUtils;
import io.micronaut.inject.BeanDefinition;
import io.seqguard.hibernate.HibernateSequences;
import io.seqguard.hibernate.SequencesListener;
import jakarta.inject.Singleton;

import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.hibernate.SessionFactory;
import org.hibernate.engine.jdbc.connections.spi.ConnectionProvider;
import org.hibernate.engine.spi.SessionFactoryImplementor;

/**
 * The ORM step for Micronaut Data JPA (micronaut-hibernate-jpa): every session factory Micronaut builds gets a
 * {@link SequencesListener} as the Hibernate setting {@value HibernateSequences#LISTENER_SETTING}, so that once
 * Hibernate's metamodel is complete, and before the factory is returned to Micronaut (and so before any repository,
 * {@code EntityManager} or other bean gets it), its data source is guarded again with the entities' sequences. It runs
 * on the thread that builds the factory and waits for nothing that waits for the factory: the data source was created,
 * and guarded, before Hibernate asked for it.
 */
@Singleton
@Requires(property = SeqguardDataSourceListener.ENABLED, notEquals = StringUtils.FALSE)
@Requires(classes = {SettingsSupplier.class, HibernateSequences.class, SessionFactory.class})
final class HibernateOrmStep implements SettingsSupplier {

    private final SeqguardDataSourceListener guard;

    HibernateOrmStep(SeqguardDataSourceListener guard) {
        this.guard = guard;
    }

    @Override
    public Map<String, Object> supply(JpaConfiguration jpaConfiguration) {
        String name = jpaConfiguration.getName();
        SequencesListener listener = (sessionFactory, mappings) -> guard.guardOrm(name, dataSourceOf(sessionFactory),
                mappings);
        return Map.of(HibernateSequences.LISTENER_SETTING, listener);
    }

    /**
     * {@return whether Micronaut builds a session factory for the data source} It then gets an ORM step, so a run
     * incomplete for want of the entities' mappings waits for it.
     */
    static boolean followsFor(BeanContext context, String dataSource) {
        for (BeanDefinition<SessionFactory> definition : context.getBeanDefinitions(SessionFactory.class)) {
            Optional<String> name = definition instanceof NameResolver resolver ? resolver.resolveName()
                    : Optional.empty();
            if (name.orElse("default").equals(dataSource)) {
                return true;
            }
        }
        return false;
    }

    /** The data source a session factory takes its connections from; null when it has none of its own. */
    private static DataSource dataSourceOf(SessionFactory sessionFactory) {
        ConnectionProvider provider = sessionFactory.unwrap(SessionFactoryImplementor.class).getServiceRegistry()
                .getService(ConnectionProvider.class);
        return provider != null && provider.isUnwrappableAs(DataSource.class) ? provider.unwrap(DataSource.class)
                : null;
    }
}
