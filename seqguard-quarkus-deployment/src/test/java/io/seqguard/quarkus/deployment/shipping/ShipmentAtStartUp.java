package io.seqguard.quarkus.deployment.shipping;

import io.quarkus.runtime.StartupEvent;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;

/** Writes a shipment at start-up, through persistence unit "shipping". */
@ApplicationScoped
public class ShipmentAtStartUp {

    @Transactional
    void onStart(@Observes StartupEvent event) {
        Shipment shipment = new Shipment();
        shipment.destination = "written at start-up";
        shipment.persist();
        Shipment.flush();
    }
}
