package io.seqguard.quarkus.deployment.app;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** A registry Quarkus' Micrometer extension adds to its composite one, so that gauges read values in tests. */
public class TestRegistry {

    @Produces
    @Singleton
    SimpleMeterRegistry registry() {
        return new SimpleMeterRegistry();
    }
}
