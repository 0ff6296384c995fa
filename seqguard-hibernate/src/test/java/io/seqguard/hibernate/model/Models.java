package io.seqguard.hibernate.model;

import java.util.List;

/** The entity classes of the test application. */
public final class Models {

    /** Every entity: sequence, identity and AUTO ids, shared, hostile, inherited. */
    public static final List<Class<?>> ALL = List.of(Invoice.class, Customer.class, Ticket.class, AuditEntry.class,
            CreditNote.class, DebitNote.class, OrderLine.class, Shipment.class, Payment.class, CardPayment.class,
            BankPayment.class, Vehicle.class, Truck.class);

    private Models() {
    }
}
