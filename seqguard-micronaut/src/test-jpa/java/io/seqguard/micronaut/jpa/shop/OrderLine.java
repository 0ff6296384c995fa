package io.seqguard.micronaut.jpa.shop;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

/** Hostile names for the table, its id column and its sequence. */
@Entity
@Table(name = "\"Order Lines; DROP TABLE x\"")
public class OrderLine {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "line_gen")
    @SequenceGenerator(name = "line_gen", sequenceName = "\"Order Lines; DROP TABLE x seq\"", allocationSize = 20)
    @Column(name = "\"Line No\"")
    private Long id;

    private int quantity;

    protected OrderLine() {
    }

    public OrderLine(int quantity) {
        this.quantity = quantity;
    }

    public Long getId() {
        return id;
    }

    public int getQuantity() {
        return quantity;
    }
}
