package io.seqguard.quarkus.deployment.shipping;

import io.quarkus.hibernate.orm.panache.PanacheEntity;

import jakarta.persistence.Entity;

/** A Panache entity of persistence unit "shipping", on datasource "shipping". */
@Entity
public class Shipment extends PanacheEntity {

    public String destination;
}
