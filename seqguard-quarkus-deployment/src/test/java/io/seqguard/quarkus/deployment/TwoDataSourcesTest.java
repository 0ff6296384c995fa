package io.seqguard.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import io.quarkus.test.QuarkusUnitTest;
import io.seqguard.GuardMode;
import io.seqguard.SequenceStatus;
import io.seqguard.quarkus.runtime.GuardRun;
import io.seqguard.quarkus.deployment.app.OrdersAtStartUp;
import io.seqguard.quarkus.runtime.SeqguardGuards;

import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Three datasources, configured three ways: "orders" (Flyway) repairs, "billing" (Liquibase) only verifies and
 * leaves its lagging table out, the default one is not guarded at all. Each guard runs after its datasource's
 * migrations and before a {@code @Startup} bean writes to "orders".
 */
class TwoDataSourcesTest {

    @RegisterExtension
    static final QuarkusUnitTest APP = new QuarkusUnitTest().setArchiveProducer(() -> ShrinkWrap
            .create(org.jboss.shrinkwrap.api.spec.JavaArchive.class)
            .addClass(OrdersAtStartUp.class)
            .addAsResource("db/orders/V1__orders.sql")
            .addAsResource("db/billing/changelog.sql")
            .addAsResource(new StringAsset(TestApps.QUARKUS + TestApps.database("")
                    + "quarkus.datasource.orders.db-kind=postgresql\n"
                    + "quarkus.datasource.orders.username=postgres\n"
                    + TestApps.database("orders")
                    + "quarkus.datasource.billing.db-kind=postgresql\n"
                    + "quarkus.datasource.billing.username=postgres\n"
                    + TestApps.database("billing")
                    + "quarkus.flyway.orders.migrate-at-start=true\n"
                    + "quarkus.flyway.orders.locations=db/orders\n"
                    + "quarkus.liquibase.billing.migrate-at-start=true\n"
                    + "quarkus.liquibase.billing.change-log=db/billing/changelog.sql\n"
                    + "quarkus.seqguard.lock-timeout=5s\n"
                    + "quarkus.seqguard.\"<default>\".enabled=false\n"
                    + "quarkus.seqguard.orders.exclude-tables=legacy\n"
                    + "quarkus.seqguard.\"billing\".mode=verify\n"
                    + "quarkus.seqguard.\"billing\".exclude-tables=\"Billing \"\"Lines\"\"\"\n"),
                    "application.properties"));

    @Inject
    SeqguardGuards guards;

    @Inject
    @DataSource("orders")
    AgroalDataSource orders;

    @Inject
    @DataSource("billing")
    AgroalDataSource billing;

    @Test
    void ordersWasRepairedAfterFlywayLoadedItsRows() throws SQLException {
        GuardRun run = guards.runs().latest("orders").orElseThrow();
        assertThat(run.result().mode()).isEqualTo(GuardMode.REPAIR);
        assertThat(run.result().repaired()).extracting(s -> s.name()).containsExactly("Orders; DROP TABLE x_id_seq");
        assertThat(run.report().sequences()).filteredOn(s -> s.name().equals("legacy_id_seq"))
                .extracting(s -> s.status()).containsExactly(SequenceStatus.SKIPPED);
        // the @Startup bean wrote first, with the first id past the imported rows
        assertThat(insert(orders, "select id from \"Orders; DROP TABLE x\" where total = 0")).isEqualTo(41);
        assertThat(insert(orders, "insert into \"Orders; DROP TABLE x\" (total) values (1) returning id"))
                .isEqualTo(42);
    }

    @Test
    void billingWasOnlyVerifiedAfterLiquibaseLoadedItsRows() throws SQLException {
        GuardRun run = guards.runs().latest("billing").orElseThrow();
        assertThat(run.result().mode()).isEqualTo(GuardMode.VERIFY);
        assertThat(run.result().repaired()).isEmpty();
        assertThat(run.report().sequences()).extracting(s -> s.status()).containsOnly(SequenceStatus.SKIPPED);
        // verify changed nothing: the lagging sequence still hands out an imported id
        assertThat(insert(billing, "select nextval('\"Billing \"\"Lines\"\"_id_seq\"')")).isEqualTo(1);
    }

    @Test
    void theDefaultDatasourceIsNotGuarded() {
        assertThat(guards.runs().latest("<default>")).isEmpty();
        assertThat(guards.runs().unguarded())
                .containsEntry("<default>", "quarkus.seqguard.\"<default>\".enabled=false");
    }

    private static long insert(AgroalDataSource dataSource, String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            assertThat(rows.next()).isTrue();
            return rows.getLong(1);
        }
    }
}
