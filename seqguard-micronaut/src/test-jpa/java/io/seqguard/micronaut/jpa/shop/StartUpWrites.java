package io.seqguard.micronaut.jpa.shop;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.runtime.event.ApplicationStartupEvent;
import jakarta.annotation.PostConstruct;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Inserts one row of every entity through its repository as early as Micronaut lets an application: in the
 * {@code @PostConstruct} of an eager ({@code @Context}) bean, and again when the application has started
 * ({@link ApplicationStartupEvent}). Active only where a test sets {@value #ENABLED}.
 */
@Context
@Requires(property = StartUpWrites.ENABLED, value = "true")
public class StartUpWrites implements ApplicationEventListener<ApplicationStartupEvent> {

    /** The property that turns these writes on. */
    public static final String ENABLED = "test.start-up-writes";

    private final InvoiceRepository invoices;
    private final PaymentRepository payments;
    private final CreditNoteRepository credits;
    private final DebitNoteRepository debits;
    private final CustomerRepository customers;
    private final TicketRepository tickets;
    private final OrderLineRepository lines;
    private final Map<String, List<Long>> ids = new TreeMap<>();

    StartUpWrites(InvoiceRepository invoices, PaymentRepository payments, CreditNoteRepository credits,
            DebitNoteRepository debits, CustomerRepository customers, TicketRepository tickets,
            OrderLineRepository lines) {
        this.invoices = invoices;
        this.payments = payments;
        this.credits = credits;
        this.debits = debits;
        this.customers = customers;
        this.tickets = tickets;
        this.lines = lines;
    }

    @PostConstruct
    void duringStartUp() {
        writeEach("post-construct");
    }

    @Override
    public void onApplicationEvent(ApplicationStartupEvent event) {
        writeEach("application-startup");
    }

    private void writeEach(String when) {
        add("invoice", invoices.save(new Invoice(when)).getId());
        add("payment", payments.save(new Payment(100)).getId());
        add("credit", credits.save(new CreditNote(when)).getId());
        add("debit", debits.save(new DebitNote(when)).getId());
        add("customer", customers.save(new Customer(when)).getId());
        add("ticket", tickets.save(new Ticket(when)).getId());
        add("order line", lines.save(new OrderLine(1)).getId());
    }

    private synchronized void add(String entity, Long id) {
        ids.computeIfAbsent(entity, e -> new CopyOnWriteArrayList<>()).add(id);
    }

    /** {@return the ids written, by entity, in the order they were written} */
    public synchronized Map<String, List<Long>> ids() {
        return new TreeMap<>(ids);
    }
}
