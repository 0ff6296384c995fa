package io.seqguard.quarkus.deployment.app;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.StartupEvent;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Writes at start-up as applications do: a JPA entity, a Panache entity, and a row through the raw datasource.
 * Each fails with a duplicate key unless the sequences were moved past the imported rows first.
 */
@ApplicationScoped
public class StartupWrites {

    @Inject
    EntityManager entityManager;

    @Inject
    AgroalDataSource dataSource;

    @Transactional
    void onStart(@Observes StartupEvent event) throws SQLException {
        Invoice invoice = new Invoice();
        invoice.number = "written at start-up";
        entityManager.persist(invoice);
        OrderLine line = new OrderLine();
        line.note = "written at start-up";
        line.persist();
        entityManager.flush();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.executeUpdate("insert into \"Audit \"\"log\"\"\" (what) values ('written at start-up')");
        }
    }
}
