package io.seqguard.micronaut;

import io.seqguard.GuardConfiguration;

/**
 * Customizes the core {@link GuardConfiguration} of one data source after the {@code seqguard.datasources.<name>.*}
 * properties have been applied and before the guard runs: for what properties cannot say, such as the old primary as
 * a second witness ({@code aligner(a -> a.source(oldPrimary))}) or another pool for the guard. Declare it as a bean;
 * several run by ascending {@code @Order} (or {@link io.micronaut.core.order.Ordered}).
 *
 * <pre>{@code
 * @Singleton
 * class OldPrimaryWitness implements SeqguardConfigurationCustomizer {
 *     public void customize(String dataSourceName, GuardConfiguration guard) {
 *         if (dataSourceName.equals("default")) {
 *             guard.aligner(aligner -> aligner.source(oldPrimary));
 *         }
 *     }
 * }
 * }</pre>
 *
 * <p>{@link GuardConfiguration#aligner(java.util.function.Consumer)} adds to what the properties configured, it does
 * not replace it. A customizer runs while Micronaut creates the data source, so it must not inject that data source
 * (nor anything that needs it): that would be a circular dependency.
 */
@FunctionalInterface
public interface SeqguardConfigurationCustomizer {

    /**
     * Customizes the guard of one data source.
     *
     * @param dataSourceName the data source's name, {@code default} for {@code datasources.default}
     * @param configuration the guard's configuration, with the properties applied
     */
    void customize(String dataSourceName, GuardConfiguration configuration);
}
