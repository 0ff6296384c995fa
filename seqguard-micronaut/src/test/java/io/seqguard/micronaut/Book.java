package io.seqguard.micronaut;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

/** A row of the test schema's {@code book} table; the id comes from {@code book_id_seq}. */
@MappedEntity("book")
public record Book(@Id @GeneratedValue @Nullable Long id, String title) {
}
