package io.seqguard.quarkus.deployment;

import io.seqguard.quarkus.deployment.app.Invoice;
import io.seqguard.quarkus.deployment.app.OrderLine;
import io.seqguard.quarkus.deployment.app.StartupWrites;
import io.seqguard.quarkus.deployment.app.TestRegistry;
import io.seqguard.test.TestDatabase;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.JavaArchive;

/**
 * The applications the tests start, each on fresh databases of the test kit's shared PostgreSQL server (Dev
 * Services would need Docker). Called from {@code QuarkusUnitTest}'s archive producer only, which runs in the test's
 * own class loader, so that the server is started once per JVM; test methods, which run inside the application,
 * reach the databases through the application's datasources.
 */
final class TestApps {

    /** Quarkus' settings every test application has. */
    static final String QUARKUS = String.join("\n",
            "quarkus.devservices.enabled=false",
            "quarkus.http.test-port=0",
            "quarkus.datasource.db-kind=postgresql",
            "quarkus.datasource.username=postgres",
            "quarkus.hibernate-orm.schema-management.strategy=none",
            "");

    private TestApps() {
    }

    /**
     * The shop: Flyway creates the schema as Hibernate's schema export writes it and loads rows with explicit ids;
     * a JPA entity, a Panache entity and a raw JDBC insert write at start-up.
     *
     * @param properties more of {@code application.properties}
     * @return the application
     */
    static JavaArchive shop(String properties) {
        return ShrinkWrap.create(JavaArchive.class)
                .addClasses(Invoice.class, OrderLine.class, StartupWrites.class, TestRegistry.class)
                .addAsResource("db/shop/V1__schema.sql")
                .addAsResource("db/shop/V2__rows.sql")
                .addAsResource(new StringAsset(QUARKUS + database("") + "quarkus.flyway.migrate-at-start=true\n"
                        + "quarkus.flyway.locations=db/shop\n" + properties), "application.properties");
    }

    /**
     * A fresh database for a datasource.
     *
     * @param dataSource empty for the default datasource, else {@code "name"} in quotes
     * @return its {@code jdbc.url} line
     */
    static String database(String dataSource) {
        String prefix = dataSource.isEmpty() ? "quarkus.datasource." : "quarkus.datasource." + dataSource + ".";
        return prefix + "jdbc.url=" + TestDatabase.create("quarkus").jdbcUrl() + "\n";
    }
}
