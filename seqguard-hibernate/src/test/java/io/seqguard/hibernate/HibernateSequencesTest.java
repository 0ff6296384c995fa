package io.seqguard.hibernate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seqguard.AlignmentReport;
import io.seqguard.AllocationRule;
import io.seqguard.AllocationSource;
import io.seqguard.ColumnSource;
import io.seqguard.FedColumn;
import io.seqguard.SequenceAligner;
import io.seqguard.SequenceMapping;
import io.seqguard.SequenceReport;
import io.seqguard.SequenceStatus;
import io.seqguard.hibernate.model.Customer;
import io.seqguard.hibernate.model.Invoice;
import io.seqguard.hibernate.model.Payment;
import io.seqguard.hibernate.model.Shipment;
import io.seqguard.hibernate.model.Ticket;
import io.seqguard.hibernate.model.Vehicle;
import io.seqguard.test.PostgresTest;
import io.seqguard.test.TestDatabase;
import jakarta.persistence.EntityManagerFactory;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.hibernate.SessionFactory;
import org.hibernate.boot.model.naming.Identifier;
import org.hibernate.boot.model.naming.PhysicalNamingStrategyStandardImpl;
import org.hibernate.engine.jdbc.env.spi.JdbcEnvironment;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * What {@link HibernateSequences} finds in a Hibernate application's metamodel, checked against the schema Hibernate's
 * own export writes for it: every sequence entity mapped to the table and column Hibernate uses, with its optimizer's
 * rule; identity entities left to the catalog.
 */
@PostgresTest
class HibernateSequencesTest {

    private static final String MODEL = "io.seqguard.hibernate.model.";

    private final TestDatabase db;

    HibernateSequencesTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void clean() {
        db.execute("DROP SCHEMA IF EXISTS public CASCADE", "CREATE SCHEMA public",
                "DROP SCHEMA IF EXISTS shop CASCADE", "CREATE SCHEMA shop");
    }

    /** Entity (without the package) to the mapping found for it. */
    private static Map<String, SequenceMapping> byEntity(List<SequenceMapping> mappings) {
        Map<String, SequenceMapping> result = new TreeMap<>();
        for (SequenceMapping m : mappings) {
            assertThat(m.isDiscovered()).isTrue();
            assertThat(result.put(m.entity().substring(MODEL.length()), m)).as("one mapping per entity").isNull();
        }
        return result;
    }

    private static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    @Test
    void everySequenceEntityIsMappedWithItsOptimizersRule() {
        try (SessionFactory app = TestApp.on(db.dataSource()).start()) {
            Map<String, SequenceMapping> found = byEntity(HibernateSequences.from(app));
            assertThat(found).as("identity, the abstract table-per-class root and the joined subclass add none")
                    .containsOnlyKeys("AuditEntry", "BankPayment", "CardPayment", "CreditNote", "Customer",
                            "DebitNote", "Invoice", "OrderLine", "Ticket", "Vehicle");
            assertThat(found.get("Invoice")).satisfies(m -> {
                assertThat(m.sequence()).isEqualTo("invoice_seq");
                assertThat(lower(m.table())).isEqualTo("invoice");
                assertThat(m.column()).isEqualTo("id");
                assertThat(m.allocation()).isEqualTo(AllocationRule.pooled(50));
            });
            assertThat(lower(found.get("Customer").sequence())).as("Hibernate's default name").isEqualTo(
                    "customer_seq");
            assertThat(found.get("Customer").allocation()).as("JPA's default allocationSize")
                    .isEqualTo(AllocationRule.pooled(50));
            assertThat(lower(found.get("Ticket").sequence())).as("AUTO on a Long").isEqualTo("ticket_seq");
            assertThat(found.get("AuditEntry").allocation()).as("allocationSize 1: no optimizer")
                    .isEqualTo(AllocationRule.plain());
            assertThat(found.get("CreditNote").sequence()).isEqualTo(found.get("DebitNote").sequence())
                    .isEqualTo("document_seq");
            assertThat(lower(found.get("CardPayment").sequence())).isEqualTo(lower(found.get("BankPayment")
                    .sequence())).isEqualTo("payment_seq");
            assertThat(lower(found.get("CardPayment").table())).isEqualTo("cardpayment");
            assertThat(lower(found.get("BankPayment").table())).isEqualTo("bankpayment");
            assertThat(lower(found.get("Vehicle").table())).as("joined: the ids live in the root's table")
                    .isEqualTo("vehicle");
            assertThat(found.get("OrderLine")).satisfies(m -> {
                assertThat(m.sequence()).isEqualTo("\"Order Lines; DROP TABLE x seq\"");
                assertThat(m.table()).isEqualTo("\"Order Lines; DROP TABLE x\"");
                assertThat(m.column()).isEqualTo("\"Line No\"");
                assertThat(m.allocation()).isEqualTo(AllocationRule.pooled(20));
            });
        }
    }

    /** The mappings resolve, in the database, to exactly the objects Hibernate's schema export created. */
    @Test
    void theMappingsResolveToWhatHibernatesSchemaExportCreated() {
        TestApp app = TestApp.on(db.dataSource());
        String script = app.schemaScript();
        assertThat(script).as("as Hibernate writes it").contains("create sequence invoice_seq start with 1 "
                + "increment by 50").doesNotContainIgnoringCase("owned by").doesNotContainIgnoringCase("nextval");
        db.execute(script);
        try (SessionFactory factory = app.start()) {
            AlignmentReport report = SequenceAligner.configure().dataSource(db.dataSource()).schemas("public")
                    .mappings(HibernateSequences.from(factory)).load().verify();
            Map<String, List<String>> fed = report.sequences().stream().collect(Collectors.toMap(
                    SequenceReport::name, s -> s.columns().stream().map(FedColumn::displayName).sorted()
                            .collect(Collectors.toList()), (a, b) -> a, TreeMap::new));
            assertThat(fed).containsEntry("invoice_seq", List.of("public.invoice.id"))
                    .containsEntry("document_seq", List.of("public.credit_note.id", "public.debit_note.id"))
                    .containsEntry("payment_seq", List.of("public.bankpayment.id", "public.cardpayment.id"))
                    .containsEntry("vehicle_seq", List.of("public.vehicle.id"))
                    .containsEntry("Order Lines; DROP TABLE x seq", List.of("public.Order Lines; DROP TABLE x.Line No"))
                    .containsEntry("shipment_id_seq", List.of("public.shipment.id"));
            assertThat(report.sequences()).as("every sequence found, none missing, all empty")
                    .allSatisfy(s -> {
                        assertThat(s.exists()).isTrue();
                        assertThat(s.status()).as(s.displayName()).isEqualTo(SequenceStatus.EMPTY);
                    });
            SequenceReport shipment = report.sequences().stream().filter(s -> s.name().equals("shipment_id_seq"))
                    .findFirst().orElseThrow();
            assertThat(shipment.columns().get(0).sources()).as("identity: the catalog's")
                    .containsExactly(ColumnSource.IDENTITY);
            assertThat(shipment.allocationSource()).isEqualTo(AllocationSource.DEFAULT);
            SequenceReport invoice = report.sequences().stream().filter(s -> s.name().equals("invoice_seq"))
                    .findFirst().orElseThrow();
            assertThat(invoice.columns().get(0).entities()).containsExactly(MODEL + "Invoice");
            assertThat(invoice.allocationSource()).isEqualTo(AllocationSource.ENTITY);
        }
    }

    @Test
    void theApplicationsPreferredPooledOptimizerIsTheRule() {
        try (SessionFactory app = TestApp.on(db.dataSource()).entities(List.of(Invoice.class, Customer.class))
                .set("hibernate.id.optimizer.pooled.preferred", "pooled-lo").start()) {
            assertThat(HibernateSequences.from(app)).extracting(SequenceMapping::allocation)
                    .containsOnly(AllocationRule.pooledLo(50));
        }
    }

    @Test
    void oneSequenceForEveryImplicitGeneratorIsHibernateSequence() {
        try (SessionFactory app = TestApp.on(db.dataSource())
                .entities(List.of(Customer.class, Ticket.class, Vehicle.class, Invoice.class))
                .set("hibernate.id.db_structure_naming_strategy", "single").start()) {
            Map<String, SequenceMapping> found = byEntity(HibernateSequences.from(app));
            assertThat(found.get("Customer").sequence()).isEqualTo(found.get("Ticket").sequence())
                    .isEqualTo(found.get("Vehicle").sequence()).isEqualToIgnoringCase("hibernate_sequence");
            assertThat(found.get("Invoice").sequence()).as("its own generator keeps its name")
                    .isEqualTo("invoice_seq");
        }
    }

    /** Spring Boot's own naming is a physical naming strategy too: what counts is the name Hibernate ends up with. */
    @Test
    void aPhysicalNamingStrategyAndADefaultSchemaAreApplied() {
        TestApp app = TestApp.on(db.dataSource()).entities(List.of(Invoice.class, Customer.class, Payment.class,
                io.seqguard.hibernate.model.CardPayment.class)).naming(new PrefixNaming())
                .set("hibernate.default_schema", "shop");
        db.execute(app.schemaScript());
        try (SessionFactory factory = app.start()) {
            Map<String, SequenceMapping> found = byEntity(HibernateSequences.from(factory));
            assertThat(found.get("Invoice").sequence()).isEqualTo("shop.app_invoice_seq");
            assertThat(found.get("Invoice").table()).isEqualTo("shop.app_Invoice");
            assertThat(found.get("Invoice").column()).isEqualTo("id_pk");
            AlignmentReport report = SequenceAligner.configure().dataSource(db.dataSource()).schemas("shop")
                    .mappings(found.values()).load().verify();
            // Hibernate names an implicit sequence after the physical table and then applies the sequence naming:
            // no scan of the annotations would guess app_app_customer_seq
            assertThat(report.sequences()).extracting(SequenceReport::name).containsExactlyInAnyOrder(
                    "app_invoice_seq", "app_app_customer_seq", "app_app_payment_seq");
            assertThat(report.sequences()).allSatisfy(s -> assertThat(s.columns()).singleElement()
                    .satisfies(c -> assertThat(c.column()).isEqualTo("id_pk")));
        }
    }

    /** A default catalog is the database's name on PostgreSQL, which accepts only the current one: left out. */
    @Test
    void aDefaultCatalogIsLeftOut() {
        try (SessionFactory factory = TestApp.on(db.dataSource()).entities(List.of(Invoice.class))
                .set("hibernate.default_catalog", db.name()).set("hibernate.default_schema", "shop").start()) {
            assertThat(HibernateSequences.from(factory)).singleElement().satisfies(m -> {
                assertThat(m.sequence()).isEqualTo("shop.invoice_seq");
                assertThat(m.table()).isEqualTo("shop.Invoice");
            });
        }
        assertThat(HibernateSequences.withoutCatalog("db.\"a.b\".\"c.d\"")).isEqualTo("\"a.b\".\"c.d\"");
        assertThat(HibernateSequences.withoutCatalog("\"a.b.c\"")).isEqualTo("\"a.b.c\"");
    }

    /**
     * Without a default schema Hibernate writes {@code nextval('invoice_seq')}: the connection's search_path decides,
     * and seqguard looks the names up the same way.
     */
    @Test
    void withoutADefaultSchemaTheConnectionsSearchPathDecides() {
        PGSimpleDataSource shop = (PGSimpleDataSource) db.dataSource();
        shop.setCurrentSchema("shop");
        TestApp app = TestApp.on(shop).entities(List.of(Invoice.class, Shipment.class));
        db.execute("SET search_path = shop; " + app.schemaScript());
        db.execute("create sequence public.invoice_seq");
        try (SessionFactory factory = app.start()) {
            List<SequenceMapping> mappings = HibernateSequences.from(factory);
            assertThat(mappings).singleElement().satisfies(m -> assertThat(m.sequence()).isEqualTo("invoice_seq"));
            AlignmentReport report = SequenceAligner.configure().dataSource(shop).mappings(mappings).load().verify();
            SequenceReport invoice = report.sequences().stream()
                    .filter(s -> s.name().equals("invoice_seq") && s.schema().equals("shop")).findFirst()
                    .orElseThrow();
            assertThat(invoice.columns()).singleElement().satisfies(c -> {
                assertThat(c.qualifiedTable()).isEqualTo("shop.invoice");
                assertThat(c.sources()).containsExactly(ColumnSource.ENTITY);
            });
            assertThat(report.sequences().stream().filter(s -> s.schema().equals("public")).findFirst()
                    .orElseThrow().status()).as("public.invoice_seq is another sequence, used by nothing")
                    .isEqualTo(SequenceStatus.NOT_VERIFIABLE);
        }
    }

    @Test
    void anEntityManagerFactoryOfAnotherProviderIsRefusedByName() {
        EntityManagerFactory other = (EntityManagerFactory) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {EntityManagerFactory.class}, (proxy, method, args) -> {
                    if (method.getName().equals("unwrap")) {
                        throw new jakarta.persistence.PersistenceException("not Hibernate");
                    }
                    return null;
                });
        assertThatThrownBy(() -> HibernateSequences.from(other)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("entityManagerFactory").hasMessageContaining("SequenceMapping.builder()");
    }

    /** Prefixes tables and sequences with {@code app_} and renames every {@code id} column to {@code id_pk}. */
    static final class PrefixNaming extends PhysicalNamingStrategyStandardImpl {

        @Override
        public Identifier toPhysicalTableName(Identifier name, JdbcEnvironment context) {
            return Identifier.toIdentifier("app_" + name.getText(), name.isQuoted());
        }

        @Override
        public Identifier toPhysicalSequenceName(Identifier name, JdbcEnvironment context) {
            return Identifier.toIdentifier("app_" + name.getText().toLowerCase(Locale.ROOT), name.isQuoted());
        }

        @Override
        public Identifier toPhysicalColumnName(Identifier name, JdbcEnvironment context) {
            return name.getText().equals("id") ? Identifier.toIdentifier("id_pk", name.isQuoted()) : name;
        }
    }
}
