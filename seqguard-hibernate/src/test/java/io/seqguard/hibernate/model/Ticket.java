package io.seqguard.hibernate.model;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;

/** {@code GenerationType.AUTO} on a numeric id: a sequence on PostgreSQL. */
@Entity
public class Ticket {

    @Id
    @GeneratedValue
    public Long id;

    public String subject;
}
