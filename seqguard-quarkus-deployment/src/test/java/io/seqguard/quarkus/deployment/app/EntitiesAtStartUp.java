package io.seqguard.quarkus.deployment.app;

import io.quarkus.runtime.StartupEvent;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;

/** Writes a JPA entity and a Panache entity at start-up, after Hibernate ORM ran {@code import.sql}. */
@ApplicationScoped
public class EntitiesAtStartUp {

    @Transactional
    void onStart(@Observes StartupEvent event) {
        Invoice invoice = new Invoice();
        invoice.number = "written at start-up";
        OrderLine.getEntityManager().persist(invoice);
        OrderLine line = new OrderLine();
        line.note = "written at start-up";
        line.persist();
        OrderLine.flush();
    }
}
