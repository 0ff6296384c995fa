package io.seqguard.hibernate.model;

import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** Shares {@code document_seq} with {@link DebitNote}. */
@Entity
@Table(name = "credit_note")
public class CreditNote extends Document {
}
