package io.seqguard.spring.boot.app;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;

import java.math.BigDecimal;

/** Ids from a sequence through Hibernate's pooled optimizer: each nextval() stands for 50 ids. */
@Entity
public class Invoice {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "invoice")
    @SequenceGenerator(name = "invoice", sequenceName = "invoice_seq", allocationSize = 50)
    private Long id;

    private String number;

    private BigDecimal amount;

    protected Invoice() {
    }

    public Invoice(String number, BigDecimal amount) {
        this.number = number;
        this.amount = amount;
    }

    public Long getId() {
        return id;
    }
}
