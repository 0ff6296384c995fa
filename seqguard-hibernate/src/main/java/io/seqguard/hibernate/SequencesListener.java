package io.seqguard.hibernate;

import io.seqguard.SequenceMapping;

import java.util.List;
import org.hibernate.SessionFactory;

/**
 * What runs once Hibernate has built a session factory and before anyone can use it: the place for the ORM step of a
 * framework module (the startup guard with the entities' mappings). Set an instance as the Hibernate setting
 * {@value HibernateSequences#LISTENER_SETTING} (Spring Boot: a {@code HibernatePropertiesCustomizer}; plain JPA: the
 * properties given to {@code Persistence.createEntityManagerFactory}); {@link SeqguardIntegrator}, which Hibernate
 * finds on its own, calls it.
 *
 * <p>It runs on the thread that builds the session factory, inside that build, so nothing it waits for may wait for
 * the session factory. An exception it throws fails the build: Hibernate closes the session factory and rethrows, so
 * the application does not start.
 */
@FunctionalInterface
public interface SequencesListener {

    /**
     * Called once per session factory, after its metamodel and generators are complete.
     *
     * @param sessionFactory the session factory, built but not yet handed out
     * @param mappings what {@link HibernateSequences#from} finds in it
     */
    void sessionFactoryBuilt(SessionFactory sessionFactory, List<SequenceMapping> mappings);
}
