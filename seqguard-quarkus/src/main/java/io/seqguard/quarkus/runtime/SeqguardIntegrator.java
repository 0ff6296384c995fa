package io.seqguard.quarkus.runtime;

import io.quarkus.arc.Arc;
import io.quarkus.arc.InstanceHandle;
import io.seqguard.hibernate.HibernateSequences;

import javax.sql.DataSource;
import org.hibernate.SessionFactory;
import org.hibernate.SessionFactoryObserver;
import org.hibernate.boot.Metadata;
import org.hibernate.boot.spi.BootstrapContext;
import org.hibernate.cfg.AvailableSettings;
import org.hibernate.engine.jdbc.connections.spi.ConnectionProvider;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.integrator.spi.Integrator;

/**
 * Guards the datasource of a Hibernate ORM persistence unit while Hibernate builds the unit's session factory: the
 * observer this integrator adds is called after the observers Quarkus registers in the options (its schema
 * management and {@code import.sql} among them), and before the session factory is handed to anyone, so that the
 * guard sees every row the start-up wrote and no entity is written before it. It passes the sequences of the unit's
 * entities ({@link HibernateSequences}), with Hibernate's physical names and each entity's optimizer. Hibernate ORM
 * finds it through {@code META-INF/services/org.hibernate.integrator.spi.Integrator} at build time; a guard that
 * refuses start-up makes building the session factory fail, and with it start-up.
 */
public final class SeqguardIntegrator implements Integrator {

    /** Hibernate ORM instantiates it. */
    public SeqguardIntegrator() {
    }

    @Override
    public void integrate(Metadata metadata, BootstrapContext bootstrapContext,
            SessionFactoryImplementor sessionFactory) {
        sessionFactory.addObserver(new SessionFactoryObserver() {
            @Override
            public void sessionFactoryCreated(SessionFactory factory) {
                built((SessionFactoryImplementor) factory);
            }
        });
    }

    private static void built(SessionFactoryImplementor factory) {
        InstanceHandle<SeqguardGuards> guards = Arc.container().instance(SeqguardGuards.class);
        if (!guards.isAvailable()) {
            return;
        }
        Object unit = factory.getProperties().get(AvailableSettings.PERSISTENCE_UNIT_NAME);
        guards.get().unitReady(String.valueOf(unit), pool(factory), HibernateSequences.from(factory));
    }

    /** The datasource the session factory takes connections from; null for database multi-tenancy. */
    private static DataSource pool(SessionFactoryImplementor factory) {
        ConnectionProvider provider = factory.getServiceRegistry().getService(ConnectionProvider.class);
        if (provider != null && provider.isUnwrappableAs(DataSource.class)) {
            return provider.unwrap(DataSource.class);
        }
        return null;
    }
}
