package io.seqguard.micronaut.jpa;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.EmbeddedApplication;
import io.seqguard.micronaut.SeqguardStartupException;
import io.seqguard.test.TestDatabase;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/** The Micronaut Data JPA shop on a test database: Flyway migrates it, Hibernate maps it, seqguard has no property. */
final class ShopApp {

    private ShopApp() {
    }

    /** The shop's properties: one Hikari data source, its Flyway scripts, the entities' package. */
    static Map<String, Object> properties(TestDatabase database, String... migrations) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("datasources.default.url", database.jdbcUrl());
        properties.put("datasources.default.username", database.server().superuser());
        properties.put("datasources.default.driver-class-name", "org.postgresql.Driver");
        properties.put("datasources.default.maximum-pool-size", 6);
        properties.put("flyway.datasources.default.enabled", true);
        StringBuilder locations = new StringBuilder("classpath:db/shop");
        for (String more : migrations) {
            locations.append(",classpath:db/").append(more);
        }
        properties.put("flyway.datasources.default.locations", locations.toString());
        properties.put("jpa.default.entity-scan.packages", "io.seqguard.micronaut.jpa.shop");
        properties.put("micronaut.server.host", "127.0.0.1");
        properties.put("micronaut.server.port", -1);
        return properties;
    }

    /**
     * Starts the application as {@code Micronaut.run} does, the context and then its embedded server (which publishes
     * the {@code ApplicationStartupEvent}), but throws what fails instead of exiting the JVM.
     */
    static ApplicationContext start(Map<String, Object> properties) {
        ApplicationContext context = ApplicationContext.builder().deduceEnvironment(false).properties(properties)
                .start();
        try {
            context.getBean(EmbeddedApplication.class).start();
            return context;
        } catch (RuntimeException e) {
            context.close();
            throw e;
        }
    }

    /** The guard's refusal among the causes of a failed start. */
    static SeqguardStartupException refusal(Throwable thrown) {
        return Stream.iterate(thrown, Objects::nonNull, Throwable::getCause)
                .filter(SeqguardStartupException.class::isInstance).map(SeqguardStartupException.class::cast)
                .findFirst().orElseThrow(() -> new AssertionError("no refusal in " + thrown, thrown));
    }
}
