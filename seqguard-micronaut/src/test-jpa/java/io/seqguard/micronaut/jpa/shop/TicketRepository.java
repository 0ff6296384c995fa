package io.seqguard.micronaut.jpa.shop;

import io.micronaut.data.annotation.Repository;
import io.micronaut.data.repository.CrudRepository;

/** A Micronaut Data JPA repository. */
@Repository
public interface TicketRepository extends CrudRepository<Ticket, Long> {
}
