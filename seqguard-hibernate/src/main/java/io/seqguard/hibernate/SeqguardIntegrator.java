package io.seqguard.hibernate;

import org.hibernate.SessionFactory;
import org.hibernate.SessionFactoryObserver;
import org.hibernate.boot.Metadata;
import org.hibernate.boot.spi.BootstrapContext;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.integrator.spi.Integrator;
import org.hibernate.service.spi.SessionFactoryServiceRegistry;

/**
 * Calls the {@link SequencesListener} set as {@value HibernateSequences#LISTENER_SETTING} once the session factory is
 * built, before it is handed out; does nothing without one. Hibernate finds it through
 * {@code META-INF/services/org.hibernate.integrator.spi.Integrator}; not for direct use.
 */
public final class SeqguardIntegrator implements Integrator {

    /** Called by Hibernate's service loading. */
    public SeqguardIntegrator() {
    }

    @Override
    public void integrate(Metadata metadata, BootstrapContext bootstrapContext,
            SessionFactoryImplementor sessionFactory) {
        Object setting = sessionFactory.getProperties().get(HibernateSequences.LISTENER_SETTING);
        if (setting == null) {
            return;
        }
        if (!(setting instanceof SequencesListener)) {
            throw new IllegalArgumentException(HibernateSequences.LISTENER_SETTING + ": must be a "
                    + SequencesListener.class.getName() + " instance, was " + setting.getClass().getName());
        }
        SequencesListener listener = (SequencesListener) setting;
        // the metamodel and the generators are complete only once the factory is: observe its creation
        sessionFactory.addObserver(new SessionFactoryObserver() {
            @Override
            public void sessionFactoryCreated(SessionFactory factory) {
                listener.sessionFactoryBuilt(factory, HibernateSequences.from(factory));
            }
        });
    }

    @Override
    public void disintegrate(SessionFactoryImplementor sessionFactory, SessionFactoryServiceRegistry serviceRegistry) {
        // nothing was registered that outlives the session factory
    }
}
