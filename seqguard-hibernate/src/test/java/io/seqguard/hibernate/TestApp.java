package io.seqguard.hibernate;

import io.seqguard.hibernate.model.Models;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.hibernate.Session;
import org.hibernate.SessionFactory;
import org.hibernate.boot.model.naming.PhysicalNamingStrategy;
import org.hibernate.cfg.Configuration;

/**
 * A Hibernate application as a test builds it: its entities, its settings and naming strategy, on a data source. It
 * writes its schema the way Hibernate's schema export writes it, into a script a Flyway user would check in.
 */
final class TestApp {

    private final DataSource dataSource;
    private final Map<String, Object> settings = new LinkedHashMap<>();
    private List<Class<?>> entities = Models.ALL;
    private PhysicalNamingStrategy naming;

    private TestApp(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    static TestApp on(DataSource dataSource) {
        return new TestApp(dataSource);
    }

    TestApp set(String key, Object value) {
        settings.put(key, value);
        return this;
    }

    TestApp entities(List<Class<?>> entities) {
        this.entities = entities;
        return this;
    }

    TestApp naming(PhysicalNamingStrategy naming) {
        this.naming = naming;
        return this;
    }

    /** Builds the session factory; the caller closes it. */
    SessionFactory start() {
        return start(Map.of());
    }

    private SessionFactory start(Map<String, Object> more) {
        Configuration configuration = new Configuration();
        for (Class<?> entity : entities) {
            configuration.addAnnotatedClass(entity);
        }
        if (naming != null) {
            configuration.setPhysicalNamingStrategy(naming);
        }
        configuration.getProperties().put("hibernate.connection.datasource", dataSource);
        configuration.setProperty("hibernate.hbm2ddl.auto", "none");
        settings.forEach((k, v) -> configuration.getProperties().put(k, v));
        more.forEach((k, v) -> configuration.getProperties().put(k, v));
        return configuration.buildSessionFactory();
    }

    /**
     * The DDL Hibernate's schema export writes for these entities and settings (what {@code ddl-auto=create} would
     * run, and what a Flyway user pastes into V1__init.sql): {@code create sequence x start with 1 increment by 50}, no
     * {@code OWNED BY}, no {@code DEFAULT}.
     */
    String schemaScript() {
        try {
            Path script = Files.createTempFile("hibernate-schema", ".sql");
            try {
                Files.delete(script);
                Map<String, Object> export = new LinkedHashMap<>();
                export.put("jakarta.persistence.schema-generation.scripts.action", "create");
                export.put("jakarta.persistence.schema-generation.scripts.create-target", script.toString());
                export.put("hibernate.hbm2ddl.delimiter", ";");
                start(export).close();
                return Files.readString(script, StandardCharsets.UTF_8);
            } finally {
                Files.deleteIfExists(script);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Persists one entity per call in a transaction of its own, as separate requests of an application would.
     *
     * @return the failures, one per entity that could not be inserted (empty when every insert succeeded)
     */
    static List<RuntimeException> insertEach(SessionFactory factory, List<Object> entities) {
        List<RuntimeException> failures = new ArrayList<>();
        for (Object entity : entities) {
            try {
                inTransaction(factory, session -> session.persist(entity));
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        return failures;
    }

    static void inTransaction(SessionFactory factory, Consumer<Session> work) {
        try (Session session = factory.openSession()) {
            session.getTransaction().begin();
            try {
                work.accept(session);
                session.flush();
                session.getTransaction().commit();
            } catch (RuntimeException e) {
                session.getTransaction().rollback();
                throw e;
            }
        }
    }
}
