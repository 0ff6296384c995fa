package io.seqguard.micronaut;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.core.order.Ordered;
import io.micronaut.core.util.StringUtils;
import jakarta.inject.Singleton;

/**
 * When the application context has started (every eager bean, Micronaut's session factories among them, created),
 * stops start-up for a data source whose guard run waited for an ORM step that never came: its unverified sequences
 * stay unverified, and an incomplete run fails closed. First among the start-up listeners.
 */
@Singleton
@Requires(property = SeqguardDataSourceListener.ENABLED, notEquals = StringUtils.FALSE)
final class OrmStepCheck implements ApplicationEventListener<StartupEvent>, Ordered {

    private final SeqguardDataSourceListener guard;

    OrmStepCheck(SeqguardDataSourceListener guard) {
        this.guard = guard;
    }

    @Override
    public void onApplicationEvent(StartupEvent event) {
        guard.checkOrmSteps();
    }

    @Override
    public int getOrder() {
        return HIGHEST_PRECEDENCE;
    }
}
