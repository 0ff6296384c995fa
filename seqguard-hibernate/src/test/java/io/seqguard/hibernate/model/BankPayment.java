package io.seqguard.hibernate.model;

import jakarta.persistence.Entity;

/** A {@link Payment} in a table of its own. */
@Entity
public class BankPayment extends Payment {

    public String iban;
}
