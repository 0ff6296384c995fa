package io.seqguard.spring.boot.autoconfigure;

import io.seqguard.SequenceMapping;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

/**
 * The entities' sequence mappings found while an EntityManagerFactory was built, by the DataSource it uses, for a guard
 * that runs after it: with {@code spring.jpa.defer-datasource-initialization=true}, SQL init and seqguard's
 * initializer come after the EntityManagerFactory, and the guard runs once, complete, with them.
 */
final class OrmMappings {

    private final Map<DataSource, List<SequenceMapping>> byPool = new IdentityHashMap<>();

    /** Whether Spring Boot builds the EntityManagerFactories before SQL init and seqguard's initializer. */
    static boolean deferred(org.springframework.core.env.Environment environment) {
        return environment.getProperty("spring.jpa.defer-datasource-initialization", Boolean.class, false);
    }

    synchronized void put(DataSource pool, List<SequenceMapping> mappings) {
        byPool.merge(pool, List.copyOf(mappings), (a, b) -> {
            java.util.List<SequenceMapping> both = new java.util.ArrayList<>(a);
            both.addAll(b);
            return List.copyOf(both);
        });
    }

    /** The mappings found for the pool; empty when no EntityManagerFactory uses it. */
    synchronized List<SequenceMapping> get(DataSource pool) {
        return byPool.getOrDefault(pool, List.of());
    }
}
