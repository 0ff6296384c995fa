package io.seqguard.micronaut.ledger;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

/** On the {@code ledger} data source. */
@JdbcRepository(dataSource = "ledger", dialect = Dialect.POSTGRES)
public interface OrderLineRepository extends CrudRepository<OrderLine, Long> {
}
