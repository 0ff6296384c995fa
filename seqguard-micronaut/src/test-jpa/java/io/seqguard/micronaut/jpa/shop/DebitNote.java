package io.seqguard.micronaut.jpa.shop;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;

/** Shares {@code document_seq} with {@link CreditNote}: the ids of both tables come from one sequence. */
@Entity
public class DebitNote {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "document_gen")
    @SequenceGenerator(name = "document_gen", sequenceName = "document_seq", allocationSize = 50)
    private Long id;

    private String reason;

    protected DebitNote() {
    }

    public DebitNote(String reason) {
        this.reason = reason;
    }

    public Long getId() {
        return id;
    }

    public String getReason() {
        return reason;
    }
}
