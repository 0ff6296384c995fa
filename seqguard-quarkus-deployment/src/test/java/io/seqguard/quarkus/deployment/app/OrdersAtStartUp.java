package io.seqguard.quarkus.deployment.app;

import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import io.quarkus.runtime.Startup;

import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A {@code @Startup} bean that writes to datasource "orders" through its sequence as soon as it is created: it fails
 * with a duplicate key unless the guard ran first.
 */
@Startup
@Singleton
public class OrdersAtStartUp {

    @Inject
    @DataSource("orders")
    AgroalDataSource orders;

    @PostConstruct
    void write() throws SQLException {
        try (Connection connection = orders.getConnection(); Statement statement = connection.createStatement()) {
            statement.executeUpdate("insert into \"Orders; DROP TABLE x\" (total) values (0)");
        }
    }
}
