package io.seqguard.quarkus;

import io.seqguard.GuardConfiguration;

/**
 * A CDI bean of this type adjusts the startup guard's configuration of each datasource after the
 * {@code quarkus.seqguard.*} options are applied and before the guard loads, for what configuration cannot express
 * (a {@link io.seqguard.ProgressListener}, mappings computed at run time). Several beans run in the order of their
 * {@link jakarta.annotation.Priority} (lower first), as Quarkus orders beans.
 *
 * <pre>{@code
 * @ApplicationScoped
 * class Mappings implements SeqguardConfigurationCustomizer {
 *     public void customize(String dataSource, GuardConfiguration guard) {
 *         if (dataSource.equals("billing")) {
 *             guard.aligner(a -> a.map("billing.invoice_number_seq", "billing.invoice", "number"));
 *         }
 *     }
 * }
 * }</pre>
 */
@FunctionalInterface
public interface SeqguardConfigurationCustomizer {

    /**
     * Adjusts one datasource's configuration.
     *
     * @param dataSource the datasource's name, {@code <default>} for the default one
     * @param guard its configuration
     */
    void customize(String dataSource, GuardConfiguration guard);
}
