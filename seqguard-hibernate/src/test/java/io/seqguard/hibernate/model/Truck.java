package io.seqguard.hibernate.model;

import jakarta.persistence.Entity;

/** A {@link Vehicle}: its row in {@code Truck} joins one in {@code Vehicle} with the same id. */
@Entity
public class Truck extends Vehicle {

    public int axles;
}
