package io.seqguard.hibernate.model;

import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;
import jakarta.persistence.SequenceGenerator;

/** One sequence shared by several entities with tables of their own. */
@MappedSuperclass
public abstract class Document {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "document_gen")
    @SequenceGenerator(name = "document_gen", sequenceName = "document_seq", allocationSize = 50)
    public Long id;

    public String title;
}
