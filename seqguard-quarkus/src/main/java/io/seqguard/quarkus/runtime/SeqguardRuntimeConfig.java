package io.seqguard.quarkus.runtime;

import io.quarkus.runtime.annotations.ConfigDocMapKey;
import io.quarkus.runtime.annotations.ConfigDocSection;
import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithParentName;

import java.util.Map;

/**
 * seqguard's configuration: the options for every datasource ({@code quarkus.seqguard.mode=verify}) and for one
 * ({@code quarkus.seqguard."orders".mode=repair}; the default datasource is {@code "<default>"}). Declared here so that
 * Quarkus knows the keys, documents them and maps environment variables onto them
 * ({@code QUARKUS_SEQGUARD_MODE}, {@code QUARKUS_SEQGUARD__ORDERS__MODE}); read and checked by
 * {@link SeqguardSettings}, which stops start-up on any key or value it does not accept.
 */
@ConfigMapping(prefix = "quarkus.seqguard")
@ConfigRoot(phase = ConfigPhase.RUN_TIME)
public interface SeqguardRuntimeConfig extends SeqguardOptions {

    /**
     * Options for one datasource, which win over the global ones.
     *
     * @return the options by datasource name
     */
    @ConfigDocMapKey("datasource-name")
    @ConfigDocSection
    @WithParentName
    Map<String, SeqguardOptions> datasources();
}
