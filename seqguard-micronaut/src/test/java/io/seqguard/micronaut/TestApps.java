package io.seqguard.micronaut;

import io.micronaut.context.ApplicationContext;
import io.seqguard.test.TestDatabase;

import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/** Properties for Micronaut applications on test databases. */
final class TestApps {

    private TestApps() {
    }

    /**
     * A Hikari data source {@code datasources.<name>} on the database, migrated by Micronaut Flyway from
     * {@code classpath:db/<migrations>}.
     */
    static Map<String, Object> dataSource(String name, TestDatabase database, String migrations) {
        Map<String, Object> properties = new HashMap<>();
        String prefix = "datasources." + name + ".";
        properties.put(prefix + "url", database.jdbcUrl());
        properties.put(prefix + "username", database.server().superuser());
        properties.put(prefix + "driver-class-name", "org.postgresql.Driver");
        properties.put(prefix + "dialect", "POSTGRES");
        properties.put(prefix + "maximum-pool-size", 6);
        properties.put(prefix + "minimum-idle", 1);
        properties.put("flyway.datasources." + name + ".enabled", true);
        properties.put("flyway.datasources." + name + ".locations", "classpath:db/" + migrations);
        return properties;
    }

    /** Merges property maps; later ones win. */
    @SafeVarargs
    static Map<String, Object> merge(Map<String, Object>... maps) {
        Map<String, Object> merged = new HashMap<>();
        for (Map<String, Object> map : maps) {
            merged.putAll(map);
        }
        return merged;
    }

    /** Starts an application context with exactly these properties (no application.yml, no environment). */
    static ApplicationContext start(Map<String, Object> properties) {
        return ApplicationContext.builder()
                .properties(properties)
                .deduceEnvironment(false)
                .start();
    }

    /** The causes of a throwable, itself first. */
    static Stream<Throwable> causes(Throwable thrown) {
        return Stream.iterate(thrown, Objects::nonNull, Throwable::getCause);
    }

    /** The guard's refusal among the causes. */
    static SeqguardStartupException refusal(Throwable thrown) {
        return causes(thrown).filter(SeqguardStartupException.class::isInstance)
                .map(SeqguardStartupException.class::cast).findFirst()
                .orElseThrow(() -> new AssertionError("no refusal in " + thrown, thrown));
    }

    /** The first {@link SQLException} among the causes; null when there is none. */
    static SQLException sqlCause(Throwable thrown) {
        return causes(thrown).filter(SQLException.class::isInstance).map(SQLException.class::cast).findFirst()
                .orElse(null);
    }

    /** The next value {@code nextval()} would hand out, without calling it. */
    static long nextValue(TestDatabase database, String sequence) {
        return database.queryForLong("SELECT CASE WHEN is_called THEN last_value + 1 ELSE last_value END FROM "
                + sequence);
    }
}
