package io.seqguard.micronaut.jpa.shop;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;

/** {@code allocationSize = 1}: no optimizer, one sequence value per id. */
@Entity
public class Payment {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "payment_gen")
    @SequenceGenerator(name = "payment_gen", sequenceName = "payment_seq", allocationSize = 1)
    private Long id;

    private long cents;

    protected Payment() {
    }

    public Payment(long cents) {
        this.cents = cents;
    }

    public Long getId() {
        return id;
    }

    public long getCents() {
        return cents;
    }
}
