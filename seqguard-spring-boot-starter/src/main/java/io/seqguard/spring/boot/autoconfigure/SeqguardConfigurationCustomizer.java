package io.seqguard.spring.boot.autoconfigure;

import io.seqguard.GuardConfiguration;

/**
 * Customizes the core {@link GuardConfiguration} of one DataSource bean after the {@code seqguard.*} properties have
 * been applied and before the guard is loaded. Declare it as a bean; several run in {@code @Order} order.
 *
 * <pre>{@code
 * @Bean
 * SeqguardConfigurationCustomizer billingSequences() {
 *     return (dataSourceName, guard) -> guard
 *             .aligner(aligner -> aligner.map("billing.invoice_number_seq", "billing.invoice", "number"));
 * }
 * }</pre>
 *
 * <p>{@link GuardConfiguration#aligner(java.util.function.Consumer)} adds to what the properties configured, it does
 * not replace it. A customizer may also give the guard another pool ({@link GuardConfiguration#dataSource}), for
 * example one whose role may move sequences when the application's role may not.
 */
@FunctionalInterface
public interface SeqguardConfigurationCustomizer {

    /**
     * Customizes the guard of one DataSource bean.
     *
     * @param dataSourceName the DataSource bean's name
     * @param configuration the guard's configuration, with the properties applied
     */
    void customize(String dataSourceName, GuardConfiguration configuration);
}
