package io.seqguard.hibernate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seqguard.AllocationRule;
import io.seqguard.GuardOutcome;
import io.seqguard.GuardResult;
import io.seqguard.RepairAction;
import io.seqguard.SequenceReport;
import io.seqguard.SequenceStatus;
import io.seqguard.StartupGuard;
import io.seqguard.StartupGuardException;
import io.seqguard.Verdict;
import io.seqguard.hibernate.model.AuditEntry;
import io.seqguard.hibernate.model.BankPayment;
import io.seqguard.hibernate.model.CardPayment;
import io.seqguard.hibernate.model.CreditNote;
import io.seqguard.hibernate.model.Customer;
import io.seqguard.hibernate.model.DebitNote;
import io.seqguard.hibernate.model.Invoice;
import io.seqguard.hibernate.model.OrderLine;
import io.seqguard.hibernate.model.Shipment;
import io.seqguard.hibernate.model.Ticket;
import io.seqguard.hibernate.model.Truck;
import io.seqguard.hibernate.model.Vehicle;
import io.seqguard.test.PostgresTest;
import io.seqguard.test.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.hibernate.SessionFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A cutover as users meet it: the schema exactly as Hibernate's export writes it (no {@code OWNED BY}, no
 * {@code DEFAULT}), rows loaded with explicit ids as logical replication loads them, every sequence still at its
 * start. Without seqguard the application's first inserts fail; with the startup guard fed by
 * {@link HibernateSequences}, and no other setting, every SEQUENCE, AUTO and IDENTITY entity inserts, across pooled
 * blocks and from two instances at once.
 */
@PostgresTest
class CutoverTest {

    private final TestDatabase db;

    CutoverTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void clean() {
        db.execute("DROP SCHEMA IF EXISTS public CASCADE", "CREATE SCHEMA public");
    }

    /** Hibernate's own DDL, then the replicated rows (explicit ids, as the old primary handed them out). */
    private TestApp cutOver(String optimizer) {
        TestApp app = TestApp.on(db.dataSource()).set("hibernate.id.optimizer.pooled.preferred", optimizer);
        db.execute(app.schemaScript());
        db.execute("insert into invoice (id, number) select g, 'INV-' || g from generate_series(1, 1234) g",
                "insert into customer (id, name) select g, 'c' || g from generate_series(1, 80) g",
                "insert into ticket (id, subject) select g, 't' from generate_series(1, 10) g",
                "insert into audit_entry (id, what) select g, 'w' from generate_series(1, 5) g",
                "insert into credit_note (id, title) select g, 'cn' from generate_series(1, 60) g",
                "insert into debit_note (id, title) select g, 'dn' from generate_series(61, 63) g",
                "insert into \"Order Lines; DROP TABLE x\" (\"Line No\", quantity) select g, 1 "
                        + "from generate_series(1, 25) g",
                "insert into shipment (id, carrier) select g, 'dhl' from generate_series(1, 7) g",
                "insert into cardpayment (id, cents, last4) select g, 100, '4242' from generate_series(1, 55) g",
                "insert into bankpayment (id, cents, iban) select g, 100, 'DE' from generate_series(56, 58) g",
                "insert into vehicle (id, plate) select g, 'B-' || g from generate_series(1, 9) g",
                "insert into truck (id, axles) select g, 3 from generate_series(5, 9) g");
        return app;
    }

    /** One new entity of every concrete type. */
    private static List<Supplier<Object>> everyEntity() {
        return List.of(Invoice::new, Customer::new, Ticket::new, AuditEntry::new, CreditNote::new, DebitNote::new,
                OrderLine::new, Shipment::new, CardPayment::new, BankPayment::new, Vehicle::new, Truck::new);
    }

    private static List<Object> newEntities(int each) {
        List<Object> entities = new ArrayList<>();
        for (int i = 0; i < each; i++) {
            for (Supplier<Object> entity : everyEntity()) {
                entities.add(entity.get());
            }
        }
        return entities;
    }

    private long count(String sql) {
        return db.queryForLong(sql);
    }

    @ParameterizedTest
    @ValueSource(strings = {"pooled", "pooled-lo"})
    void withoutSeqguardTheFirstInsertsFail(String optimizer) {
        TestApp app = cutOver(optimizer);
        try (SessionFactory instance = app.start()) {
            List<RuntimeException> failures = TestApp.insertEach(instance, newEntities(1));
            // every table holding id 1 refuses the first id its sequence hands out; debit notes and bank payments
            // take id 1 too, which their own tables lack but credit notes and card payments already have
            assertThat(failures).hasSize(everyEntity().size() - 2)
                    .allSatisfy(e -> assertThat(e).hasStackTraceContaining("duplicate key"));
        }
        assertThat(count("select count(*) from debit_note d join credit_note c using (id)"))
                .as("a document id handed out twice").isEqualTo(1);
        assertThat(count("select count(*) from bankpayment b join cardpayment c using (id)"))
                .as("a payment id handed out twice").isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"pooled", "pooled-lo"})
    void withTheGuardEveryEntityInsertsFromTwoInstances(String optimizer) {
        TestApp app = cutOver(optimizer);
        try (SessionFactory first = app.start(); SessionFactory second = app.start()) {
            GuardResult result = guard(first);
            assertThat(result.outcome()).isEqualTo(GuardOutcome.REPAIRED);
            assertThat(result.report().verdict()).isEqualTo(Verdict.ALIGNED);
            SequenceReport invoice = find(result, "invoice_seq");
            assertThat(invoice.allocation()).isEqualTo(optimizer.equals("pooled") ? AllocationRule.pooled(50)
                    : AllocationRule.pooledLo(50));
            assertThat(invoice.requiredNextValue()).isEqualTo(optimizer.equals("pooled") ? 1284L : 1235L);
            assertThat(result.repaired()).extracting(SequenceReport::name).contains("invoice_seq", "customer_seq",
                    "ticket_seq", "audit_seq", "document_seq", "Order Lines; DROP TABLE x seq", "shipment_id_seq",
                    "payment_seq", "vehicle_seq");

            // two instances allocating blocks in turn, past the first block of each
            List<Object> fromFirst = newEntities(60);
            List<Object> fromSecond = newEntities(60);
            for (int i = 0; i < fromFirst.size(); i++) {
                assertThat(TestApp.insertEach(first, List.of(fromFirst.get(i)))).as("first instance").isEmpty();
                assertThat(TestApp.insertEach(second, List.of(fromSecond.get(i)))).as("second instance").isEmpty();
            }
        }
        assertThat(count("select count(*) from invoice")).isEqualTo(1234 + 120);
        assertThat(count("select min(id) from invoice where number is null")).isGreaterThan(1234);
        assertThat(count("select count(*) from debit_note d join credit_note c using (id)")).isZero();
        assertThat(count("select count(*) from bankpayment b join cardpayment c using (id)")).isZero();
        assertThat(count("select count(*) from shipment")).as("identity, from the catalog").isEqualTo(7 + 120);
    }

    /**
     * A sequence that counts by 1 under an entity that takes 50 ids per value (a hand-written {@code create sequence
     * invoice_seq}): Hibernate refuses it by default, and users silence that with the mismatch strategy. seqguard
     * refuses it then, even on an empty table, and names both fixes; the overlap is real.
     */
    @Test
    void anIncrementBelowTheAllocationSizeIsRefusedWithTheFix() {
        TestApp app = cutOver("pooled");
        db.execute("alter sequence invoice_seq increment by 1");
        assertThatThrownBy(app::start).as("Hibernate's own check")
                .hasStackTraceContaining("invoice_seq").hasStackTraceContaining("[50]")
                .hasStackTraceContaining("[1]");

        app.set("hibernate.id.sequence.increment_size_mismatch_strategy", "log");
        try (SessionFactory instance = app.start()) {
            StartupGuardException refused = refusal(instance);
            assertThat(refused.reason()).isEqualTo(StartupGuardException.Reason.DRIFT);
            assertThat(refused.getMessage()).contains("invoice_seq").contains("mismatched")
                    .contains("ALTER SEQUENCE public.invoice_seq INCREMENT BY 50")
                    .contains("allocation size of 1 for entity io.seqguard.hibernate.model.Invoice");
            SequenceReport invoice = refused.report().sequences().stream()
                    .filter(s -> s.name().equals("invoice_seq")).findFirst().orElseThrow();
            assertThat(invoice.status()).isEqualTo(SequenceStatus.MISMATCHED);
            assertThat(invoice.action()).isEqualTo(RepairAction.NONE);
            assertThat(refused.report().withAction(RepairAction.REPAIRED)).as("the rest was repaired").isNotEmpty();

            db.execute("truncate invoice");
            assertThat(refusal(instance)).as("no data, still overlapping blocks").hasMessageContaining("mismatched");
            assertThat(TestApp.insertEach(instance, invoices(120))).as("the blocks overlap: ids repeat")
                    .isNotEmpty().allSatisfy(e -> assertThat(e).hasStackTraceContaining("duplicate key"));
        }

        db.execute("alter sequence invoice_seq increment by 50");
        try (SessionFactory fixed = TestApp.on(db.dataSource()).start()) {
            assertThat(guard(fixed).report().verdict()).isEqualTo(Verdict.ALIGNED);
            assertThat(TestApp.insertEach(fixed, invoices(120))).isEmpty();
        }
    }

    /** An entity's sequence the database lacks: start-up stops, naming it and the statement that creates it. */
    @Test
    void aMissingEntitySequenceStopsStartUpWithTheFix() {
        TestApp app = cutOver("pooled");
        db.execute("drop sequence invoice_seq");
        try (SessionFactory instance = app.start()) {
            StartupGuardException refused = refusal(instance);
            assertThat(refused.reason()).isEqualTo(StartupGuardException.Reason.INCOMPLETE);
            assertThat(refused.getMessage()).contains("invoice_seq").contains("does not exist")
                    .contains("entity io.seqguard.hibernate.model.Invoice")
                    .contains("CREATE SEQUENCE public.invoice_seq INCREMENT BY 50")
                    .contains("allowUnverified public.invoice_seq");
            assertThat(TestApp.insertEach(instance, List.of(new Invoice()))).as("what the finding says")
                    .singleElement().satisfies(e -> assertThat(e).hasStackTraceContaining("invoice_seq")
                            .hasStackTraceContaining("does not exist"));
        }
    }

    /** The startup guard as the application runs it, with the mappings of its session factory. */
    private GuardResult guard(SessionFactory instance) {
        return StartupGuard.configure().dataSource(db.dataSource())
                .aligner(a -> a.mappings(HibernateSequences.from(instance))).load().run();
    }

    private StartupGuardException refusal(SessionFactory instance) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> guard(instance));
        assertThat(thrown).isInstanceOf(StartupGuardException.class);
        return (StartupGuardException) thrown;
    }

    private static List<Object> invoices(int count) {
        List<Object> invoices = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            invoices.add(new Invoice());
        }
        return invoices;
    }

    private static SequenceReport find(GuardResult result, String name) {
        return result.report().sequences().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }
}
