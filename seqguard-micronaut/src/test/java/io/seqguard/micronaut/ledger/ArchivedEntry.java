package io.seqguard.micronaut.ledger;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

/**
 * A sequence-id entity of the {@code archive} data source only, in a schema of its own: its insert calls
 * {@code nextval('archive.archived_entry_seq')}, a sequence that exists in that database alone.
 */
@MappedEntity(value = "archived_entry", schema = "archive")
public record ArchivedEntry(@Id @GeneratedValue(GeneratedValue.Type.SEQUENCE) @Nullable Long id, String memo) {
}
