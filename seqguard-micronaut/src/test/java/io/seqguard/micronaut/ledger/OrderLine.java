package io.seqguard.micronaut.ledger;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

/** A hostile table name, with its sequence named by {@code ref} (Micronaut Data's default would not parse). */
@MappedEntity("Order Lines; DROP TABLE x")
public record OrderLine(
        @Id @GeneratedValue(value = GeneratedValue.Type.SEQUENCE, ref = "\"Order Lines; DROP TABLE x_seq\"")
        @Nullable Long id,
        String item) {
}
