package io.seqguard.micronaut;

import io.micronaut.context.annotation.Property;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.core.order.Ordered;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * A listener of the order {@value #ORDER}, for tests: what does the database look like at its turn? Does the
 * {@code book} table exist (Flyway has run), and what is {@code book_id_seq}'s next value (seqguard has run)?
 */
@Singleton
@Requires(property = ProbeListener.ORDER)
class ProbeListener implements BeanCreatedEventListener<DataSource>, Ordered {

    static final String ORDER = "test.probe.order";

    private final int order;
    volatile Boolean bookTableExisted;
    volatile Long nextValue;

    ProbeListener(@Property(name = ORDER) int order) {
        this.order = order;
    }

    @Override
    public int getOrder() {
        return order;
    }

    @Override
    public DataSource onCreated(BeanCreatedEvent<DataSource> event) {
        DataSource pool = DelegatingDataSource.unwrapDataSource(event.getBean());
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
            try (ResultSet rs = statement.executeQuery("SELECT to_regclass('public.book') IS NOT NULL")) {
                rs.next();
                bookTableExisted = rs.getBoolean(1);
            }
            if (bookTableExisted) {
                try (ResultSet rs = statement.executeQuery(
                        "SELECT CASE WHEN is_called THEN last_value + 1 ELSE last_value END FROM book_id_seq")) {
                    rs.next();
                    nextValue = rs.getLong(1);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return event.getBean();
    }
}
