package io.seqguard.micronaut.ledger;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

/**
 * A Micronaut Data JDBC entity whose id comes from a sequence: its insert calls {@code nextval('ledger_entry_seq')},
 * which no {@code OWNED BY} or {@code DEFAULT} ties to the column.
 */
@MappedEntity("ledger_entry")
public record LedgerEntry(@Id @GeneratedValue(GeneratedValue.Type.SEQUENCE) @Nullable Long id, String memo) {
}
