package io.seqguard.test;

import javax.sql.DataSource;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The JUnit 5 extension behind {@link PostgresTest}: one {@link TestDatabase} per top-level test class, made
 * lazily when the first parameter asks for it and dropped after the class.
 */
public final class PostgresExtension implements ParameterResolver, AfterAllCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(
            PostgresExtension.class);
    private static final String KEY = "database";

    /** Creates the extension; JUnit does this for {@link PostgresTest} classes. */
    public PostgresExtension() {
    }

    /**
     * Resolves {@link TestDatabase} and {@link DataSource} parameters.
     *
     * @param parameterContext the parameter
     * @param extensionContext the context it is resolved in
     * @return whether this extension supplies the parameter
     */
    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> type = parameterContext.getParameter().getType();
        return type == TestDatabase.class || type == DataSource.class;
    }

    /**
     * Returns the class's database, or a superuser data source for it.
     *
     * @param parameterContext the parameter
     * @param extensionContext the context it is resolved in
     * @return a {@link TestDatabase} or a {@link DataSource}
     */
    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        TestDatabase database = database(extensionContext);
        return parameterContext.getParameter().getType() == DataSource.class ? database.dataSource() : database;
    }

    /**
     * Drops the database once the top-level class is done.
     *
     * @param context the class's context
     */
    @Override
    public void afterAll(ExtensionContext context) {
        if (isTopLevel(context)) {
            TestDatabase database = context.getStore(NAMESPACE).remove(KEY, TestDatabase.class);
            if (database != null) {
                database.close();
            }
        }
    }

    private static TestDatabase database(ExtensionContext context) {
        ExtensionContext owner = context;
        while (!isTopLevel(owner)) {
            owner = owner.getParent().orElseThrow();
        }
        // Stored on the top-level class so that the constructor (whatever its context), @Nested classes and all
        // methods see the same database; getOrComputeIfAbsent makes parallel first uses create only one.
        String prefix = owner.getRequiredTestClass().getSimpleName();
        return owner.getStore(NAMESPACE).getOrComputeIfAbsent(KEY, key -> TestDatabase.create(prefix),
                TestDatabase.class);
    }

    /** The engine's root context has no parent; a top-level class's parent is that root. */
    private static boolean isTopLevel(ExtensionContext context) {
        return context.getParent().map(parent -> parent.getParent().isEmpty()).orElse(true);
    }
}
