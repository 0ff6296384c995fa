package io.seqguard.hibernate.model;

import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** Shares {@code document_seq} with {@link CreditNote}. */
@Entity
@Table(name = "debit_note")
public class DebitNote extends Document {
}
