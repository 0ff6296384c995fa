package io.seqguard.micronaut.ledger;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

/** A sequence-id entity of the {@code archive} data source only: its sequence exists in that database alone. */
@MappedEntity("archived_entry")
public record ArchivedEntry(@Id @GeneratedValue(GeneratedValue.Type.SEQUENCE) @Nullable Long id, String memo) {
}
