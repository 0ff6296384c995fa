package io.seqguard.hibernate.model;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

/** {@code allocationSize = 1}: no optimizer, one id per value. */
@Entity
@Table(name = "audit_entry")
public class AuditEntry {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "audit_gen")
    @SequenceGenerator(name = "audit_gen", sequenceName = "audit_seq", allocationSize = 1)
    public Long id;

    public String what;
}
