package io.seqguard.spring.boot.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.seqguard.spring.boot.actuate.SeqguardMetrics;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the startup guard's Micrometer meters ({@link SeqguardMetrics}), when Micrometer is present.
 * Spring Boot's metrics support binds the {@link MeterBinder} to every auto-configured registry.
 */
@AutoConfiguration(after = SeqguardAutoConfiguration.class)
@ConditionalOnClass({MeterRegistry.class, MeterBinder.class})
@ConditionalOnBean(SeqguardResults.class)
public final class SeqguardMetricsAutoConfiguration {

    SeqguardMetricsAutoConfiguration() {
    }

    @Bean
    @ConditionalOnMissingBean
    SeqguardMetrics seqguardMetrics(SeqguardResults results) {
        return new SeqguardMetrics(results);
    }
}
