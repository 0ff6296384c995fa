package io.seqguard.quarkus.deployment.app;

import io.quarkus.hibernate.orm.panache.PanacheEntity;

import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** A Panache entity: its ids come from Hibernate's default sequence for its table, {@code <table>_SEQ}. */
@Entity
@Table(name = "\"Order Lines; DROP TABLE x\"")
public class OrderLine extends PanacheEntity {

    public String note;
}
