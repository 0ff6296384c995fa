package io.seqguard.quarkus.deployment.app;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;

/** A JPA entity whose ids come from a pooled sequence of 50, as Hibernate's schema export declares it. */
@Entity
public class Invoice {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "invoice")
    @SequenceGenerator(name = "invoice", sequenceName = "invoice_seq", allocationSize = 50)
    public Long id;

    public String number;
}
