package io.seqguard.micronaut.jpa.shop;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.seqguard.micronaut.GuardRun;
import io.seqguard.micronaut.SeqguardRuns;
import jakarta.inject.Singleton;

import org.hibernate.SessionFactory;

/**
 * The first to get the session factory from Micronaut: what had the guard done by then? Active only where a test sets
 * {@value #ENABLED}.
 */
@Singleton
@Requires(property = SessionFactoryProbe.ENABLED, value = "true")
public class SessionFactoryProbe implements BeanCreatedEventListener<SessionFactory> {

    /** The property that turns the probe on. */
    public static final String ENABLED = "test.session-factory-probe";

    private final SeqguardRuns runs;
    private volatile GuardRun seen;

    SessionFactoryProbe(SeqguardRuns runs) {
        this.runs = runs;
    }

    @Override
    public SessionFactory onCreated(BeanCreatedEvent<SessionFactory> event) {
        seen = runs.latest("default").orElse(null);
        return event.getBean();
    }

    /** {@return the guard run recorded when the session factory was created; null when there was none} */
    public GuardRun seen() {
        return seen;
    }
}
