package io.seqguard.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import io.quarkus.test.QuarkusUnitTest;
import io.seqguard.quarkus.deployment.shipping.Shipment;
import io.seqguard.quarkus.deployment.shipping.ShipmentAtStartUp;
import io.seqguard.quarkus.runtime.SeqguardGuards;

import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two persistence units on two datasources, started by Hibernate ORM on threads of their own: each datasource is
 * guarded once its unit is built, with that unit's entities, and the start-up writes through both succeed.
 */
class TwoPersistenceUnitsTest {

    @RegisterExtension
    static final QuarkusUnitTest APP = new QuarkusUnitTest().setArchiveProducer(() -> TestApps.shop(
            "quarkus.hibernate-orm.packages=io.seqguard.quarkus.deployment.app\n"
                    + "quarkus.datasource.shipping.db-kind=postgresql\n"
                    + "quarkus.datasource.shipping.username=postgres\n"
                    + TestApps.database("shipping")
                    + "quarkus.flyway.shipping.migrate-at-start=true\n"
                    + "quarkus.flyway.shipping.locations=db/shipping\n"
                    + "quarkus.hibernate-orm.\"shipping\".datasource=shipping\n"
                    + "quarkus.hibernate-orm.\"shipping\".packages=io.seqguard.quarkus.deployment.shipping\n")
            .addClasses(Shipment.class, ShipmentAtStartUp.class)
            .addAsResource("db/shipping/V1__shipping.sql"));

    @Inject
    SeqguardGuards guards;

    @Inject
    @DataSource("shipping")
    AgroalDataSource shipping;

    @Test
    void eachDatasourceWasGuardedWithItsUnitsEntities() throws SQLException {
        assertThat(guards.runs().latest("shipping").orElseThrow().result().repaired())
                .extracting(s -> s.displayName()).containsExactly("public.shipment_seq");
        assertThat(guards.runs().latest("<default>").orElseThrow().result().repaired())
                .extracting(s -> s.displayName()).contains("public.invoice_seq");
        try (Connection connection = shipping.getConnection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "select id from Shipment where destination = 'written at start-up'")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getLong(1)).isGreaterThan(260);
        }
    }
}
