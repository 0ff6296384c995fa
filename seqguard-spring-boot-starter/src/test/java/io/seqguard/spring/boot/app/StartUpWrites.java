package io.seqguard.spring.boot.app;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/** The application's first writes once it has started: two invoices, a customer, an audit row. */
@Component
public class StartUpWrites implements ApplicationRunner {

    private final InvoiceRepository invoices;
    private final CustomerRepository customers;
    private final AuditLog audit;

    final List<Long> invoiceIds = new ArrayList<>();
    final List<Long> customerIds = new ArrayList<>();

    public StartUpWrites(InvoiceRepository invoices, CustomerRepository customers, AuditLog audit) {
        this.invoices = invoices;
        this.customers = customers;
        this.audit = audit;
    }

    @Override
    public void run(ApplicationArguments args) {
        invoiceIds.add(invoices.save(new Invoice("INV-NEW-1", new BigDecimal("10.00"))).getId());
        invoiceIds.add(invoices.save(new Invoice("INV-NEW-2", new BigDecimal("20.00"))).getId());
        customerIds.add(customers.save(new Customer("new customer")).getId());
        audit.write("application started");
    }

    public List<Long> invoiceIds() {
        return invoiceIds;
    }

    public List<Long> customerIds() {
        return customerIds;
    }
}
