package io.seqguard.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.QuarkusUnitTest;
import io.seqguard.quarkus.deployment.app.EntitiesAtStartUp;
import io.seqguard.quarkus.deployment.app.Invoice;
import io.seqguard.quarkus.deployment.app.OrderLine;
import io.seqguard.quarkus.runtime.SeqguardGuards;

import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Hibernate ORM creates the schema and runs {@code import.sql}, whose rows carry explicit ids: the guard runs after
 * that script (from Hibernate's session-factory observer) and before the start-up writes, which get ids past the
 * seeded rows. A guard that ran before Hibernate ORM would find no tables and the writes would collide.
 */
class ImportSqlTest {

    @RegisterExtension
    static final QuarkusUnitTest APP = new QuarkusUnitTest().setArchiveProducer(() -> ShrinkWrap
            .create(JavaArchive.class)
            .addClasses(Invoice.class, OrderLine.class, EntitiesAtStartUp.class)
            .addAsResource("db/import/import.sql", "import.sql")
            .addAsResource(new StringAsset(TestApps.QUARKUS.replace("strategy=none", "strategy=drop-and-create")
                    + TestApps.database("") + "quarkus.hibernate-orm.sql-load-script=import.sql\n"),
                    "application.properties"));

    @Inject
    AgroalDataSource dataSource;

    @Inject
    SeqguardGuards guards;

    @Test
    void theStartUpWritesGotIdsPastTheSeededRows() throws SQLException {
        assertThat(query("select id from Invoice where number = 'written at start-up'")).isGreaterThan(60);
        assertThat(query("select id from \"Order Lines; DROP TABLE x\" where note = 'written at start-up'"))
                .isPositive();
        assertThat(guards.runs().latest("<default>").orElseThrow().result().repaired())
                .extracting(s -> s.displayName()).containsExactly("public.invoice_seq");
    }

    private long query(String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            assertThat(rows.next()).as(sql).isTrue();
            return rows.getLong(1);
        }
    }
}
