package io.seqguard.micronaut.jpa.shop;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;

/**
 * {@code GenerationType.AUTO}: a sequence; micronaut-data-hibernate-jpa sets
 * {@code hibernate.id.db_structure_naming_strategy=legacy}, so it is {@code hibernate_sequence}, one id per value.
 */
@Entity
public class Ticket {

    @Id
    @GeneratedValue
    private Long id;

    private String subject;

    protected Ticket() {
    }

    public Ticket(String subject) {
        this.subject = subject;
    }

    public Long getId() {
        return id;
    }

    public String getSubject() {
        return subject;
    }
}
