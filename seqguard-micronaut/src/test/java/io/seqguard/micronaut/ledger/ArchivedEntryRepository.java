package io.seqguard.micronaut.ledger;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

/** On the {@code archive} data source. */
@JdbcRepository(dataSource = "archive", dialect = Dialect.POSTGRES)
public interface ArchivedEntryRepository extends CrudRepository<ArchivedEntry, Long> {
}
