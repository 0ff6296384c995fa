package io.seqguard.spring.boot.autoconfigure;

import io.seqguard.spring.boot.actuate.SeqguardHealthIndicator;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code seqguard} health contributor ({@link SeqguardHealthIndicator}), when Spring Boot's
 * health support ({@code spring-boot-health}, brought by the actuator) is present. Disable it with
 * {@code management.health.seqguard.enabled=false}.
 */
@AutoConfiguration(after = SeqguardAutoConfiguration.class)
@ConditionalOnClass({HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class})
@ConditionalOnBean(SeqguardResults.class)
@ConditionalOnEnabledHealthIndicator("seqguard")
public final class SeqguardHealthContributorAutoConfiguration {

    SeqguardHealthContributorAutoConfiguration() {
    }

    @Bean
    @ConditionalOnMissingBean(name = "seqguardHealthIndicator")
    SeqguardHealthIndicator seqguardHealthIndicator(SeqguardResults results) {
        return new SeqguardHealthIndicator(results);
    }
}
