package io.seqguard.hibernate.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

/** Hostile quoted names for the table, the sequence and the id column. */
@Entity
@Table(name = "\"Order Lines; DROP TABLE x\"")
public class OrderLine {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "line_gen")
    @SequenceGenerator(name = "line_gen", sequenceName = "\"Order Lines; DROP TABLE x seq\"", allocationSize = 20)
    @Column(name = "\"Line No\"")
    public Long id;

    public int quantity;
}
