package io.seqguard.hibernate.model;

import jakarta.persistence.Entity;

/** A {@link Payment} in a table of its own. */
@Entity
public class CardPayment extends Payment {

    public String last4;
}
