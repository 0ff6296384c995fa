package io.seqguard.micronaut;

import io.micronaut.context.BeanLocator;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.core.util.StringUtils;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At start-up, warns about {@code seqguard.datasources.<name>} sections that no data source used: a misspelt name
 * leaves the real data source on the defaults.
 */
@Singleton
@Requires(property = SeqguardDataSourceListener.ENABLED, notEquals = StringUtils.FALSE)
class UnmatchedConfigurationCheck implements ApplicationEventListener<StartupEvent> {

    private static final Logger log = LoggerFactory.getLogger(SeqguardDataSourceListener.class);

    private final BeanLocator beans;
    private final SeqguardRuns runs;

    UnmatchedConfigurationCheck(BeanLocator beans, SeqguardRuns runs) {
        this.beans = beans;
        this.runs = runs;
    }

    @Override
    public void onApplicationEvent(StartupEvent event) {
        for (String name : unmatched()) {
            log.warn("seqguard: {}.{} is configured, but no data source '{}' was created by start-up; data sources "
                    + "guarded: {}", SeqguardDataSourceConfiguration.PREFIX, name, name, runs.latest().keySet());
        }
    }

    /** The names of the sections no guard run used. */
    List<String> unmatched() {
        return beans.getBeansOfType(SeqguardDataSourceConfiguration.class).stream()
                .map(SeqguardDataSourceConfiguration::getName)
                .filter(name -> runs.latest(name).isEmpty() && !runs.unguarded().containsKey(name))
                .sorted()
                .collect(Collectors.toList());
    }
}
