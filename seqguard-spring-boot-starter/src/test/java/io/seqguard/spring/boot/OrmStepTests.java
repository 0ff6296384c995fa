package io.seqguard.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seqguard.AlignmentReport;
import io.seqguard.AllocationRule;
import io.seqguard.AllocationSource;
import io.seqguard.ColumnSource;
import io.seqguard.GuardOutcome;
import io.seqguard.GuardResult;
import io.seqguard.SequenceAligner;
import io.seqguard.SequenceMapping;
import io.seqguard.SequenceReport;
import io.seqguard.SequenceStatus;
import io.seqguard.spring.boot.app.AuditLog;
import io.seqguard.spring.boot.app.Invoice;
import io.seqguard.spring.boot.app.InvoiceRepository;
import io.seqguard.spring.boot.app.ShopApplication;
import io.seqguard.spring.boot.app.StartUpWrites;
import io.seqguard.spring.boot.autoconfigure.SeqguardResults;
import io.seqguard.test.TestDatabase;
import jakarta.annotation.PostConstruct;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.CommandLineRunner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The ORM step on the shop of {@link SeqguardApplicationTests}, with no seqguard property at all: Flyway writes the
 * invoice sequence as Hibernate's schema export does (no {@code OWNED BY}, no {@code DEFAULT}) and loads 1000 invoices
 * with their ids; the entity's {@code @SequenceGenerator(allocationSize = 50)} is all seqguard needs. Every way a bean
 * writes at start-up reaches the sequences only after they are safe: {@code @PostConstruct} through a repository and
 * through the raw DataSource (waiting as the README says, with {@code @DependsOnDatabaseInitialization}), a
 * JdbcTemplate in a constructor, {@code SmartInitializingSingleton}, {@code CommandLineRunner} and
 * {@code ApplicationRunner}.
 */
@org.junit.jupiter.api.extension.ExtendWith(org.springframework.boot.test.system.OutputCaptureExtension.class)
class OrmStepTests {

    @Test
    void withoutAnyPropertyEveryStartUpWriteSucceeds() {
        try (TestDatabase db = TestDatabase.create("ormstep");
                ConfigurableApplicationContext context = start(db)) {
            EarlyWrites writes = context.getBean(EarlyWrites.class);
            assertThat(writes.invoiceIds).hasSize(4).allSatisfy(id -> assertThat(id).isGreaterThan(1000L))
                    .doesNotHaveDuplicates();
            assertThat(writes.auditIds).singleElement().satisfies(id -> assertThat(id).isGreaterThan(42L));
            assertThat(context.getBean(StartUpWrites.class).invoiceIds()).allSatisfy(
                    id -> assertThat(id).isGreaterThan(1000L));
            assertThat(context.getBean(AuditLog.class).ids()).allSatisfy(id -> assertThat(id).isGreaterThan(42L));

            GuardResult result = context.getBean(SeqguardResults.class).get("dataSource").orElseThrow();
            assertThat(result.report().isAligned()).isTrue();
            // the ORM step read the entity's sequence alone; its result still names what the first run moved
            assertThat(result.outcome()).isEqualTo(GuardOutcome.REPAIRED);
            assertThat(result.repaired()).extracting(SequenceReport::displayName).containsExactlyInAnyOrder(
                    "public.invoice_seq", "public.customer_id_seq", "public.audit_event_id_seq");
            SequenceReport invoice = result.report().sequences().stream()
                    .filter(s -> s.name().equals("invoice_seq")).findFirst().orElseThrow();
            assertThat(invoice.status()).isEqualTo(SequenceStatus.ALIGNED);
            assertThat(invoice.allocation()).isEqualTo(AllocationRule.pooled(50));
            assertThat(invoice.allocationSource()).isEqualTo(AllocationSource.ENTITY);
            assertThat(invoice.columns()).singleElement().satisfies(c -> {
                assertThat(c.sources()).containsExactly(ColumnSource.ENTITY);
                assertThat(c.entities()).containsExactly(Invoice.class.getName());
            });
            assertThat(db.queryForLong("SELECT count(*) FROM invoice")).isEqualTo(1000 + 4 + 2);
        }
    }

    /**
     * With the journal on, a healthy start-up journals no failure: the run before JPA, which only the entities'
     * mappings complete, awaits them with what it moved, and the ORM step's run names its own move.
     */
    @Test
    void withTheJournalAHealthyStartUpJournalsNoFailure() {
        try (TestDatabase db = TestDatabase.create("ormjournal");
                ConfigurableApplicationContext context = start(db, "--seqguard.journal=true")) {
            assertThat(db.queryForString("SELECT string_agg(outcome || ' ' || (SELECT string_agg(c ->> 'sequence', ','"
                    + " ORDER BY c ->> 'sequence') FROM jsonb_array_elements(changed) c), '; ' ORDER BY ran_at)"
                    + " FROM public.seqguard_journal"))
                    .isEqualTo("awaiting_mappings public.audit_event_id_seq,public.customer_id_seq; "
                            + "repaired public.invoice_seq");
        }
    }

    /**
     * With {@code spring.jpa.defer-datasource-initialization=true} Spring Boot builds the EntityManagerFactory first
     * and runs the database initializers (Flyway here, SQL init alike) after it: the guard runs after them, with the
     * entities' mappings, and every write, repositories' included, still comes after the guard.
     */
    @Test
    void withDeferredDataSourceInitializationEveryStartUpWriteSucceeds() {
        try (TestDatabase db = TestDatabase.create("ormdeferred");
                ConfigurableApplicationContext context = start(db,
                        "--spring.jpa.defer-datasource-initialization=true")) {
            EarlyWrites writes = context.getBean(EarlyWrites.class);
            assertThat(writes.invoiceIds).hasSize(4).allSatisfy(id -> assertThat(id).isGreaterThan(1000L));
            assertThat(writes.auditIds).singleElement().satisfies(id -> assertThat(id).isGreaterThan(42L));
            GuardResult result = context.getBean(SeqguardResults.class).get("dataSource").orElseThrow();
            assertThat(result.outcome()).isEqualTo(GuardOutcome.REPAIRED);
            assertThat(result.repaired()).extracting(SequenceReport::displayName).containsExactlyInAnyOrder(
                    "public.invoice_seq", "public.customer_id_seq", "public.audit_event_id_seq");
            assertThat(result.report().sequences()).filteredOn(s -> s.name().equals("invoice_seq"))
                    .singleElement()
                    .satisfies(s -> assertThat(s.allocationSource()).isEqualTo(AllocationSource.ENTITY));
        }
    }

    /**
     * A sequence only application code uses (no column, no entity) leaves the ORM step's run incomplete. Its refusal
     * counts what the start-up moved and says which moves the run before JPA made: the journal has those in that
     * run's row, not in the refusal's.
     */
    @Test
    void anOrmStepRefusalSaysWhichOfItsMovesCameBeforeTheOrmStep(CapturedOutput output) {
        try (TestDatabase db = TestDatabase.create("ormrefused")) {
            db.execute("CREATE SCHEMA \"tickets; x\"", "CREATE SEQUENCE \"tickets; x\".\"ticket no\"");
            assertThatThrownBy(() -> start(db, "--seqguard.journal=true").close()).isNotNull();
            assertThat(output).contains("APPLICATION FAILED TO START")
                    .contains("the run is incomplete. It moved 3 sequence(s) forward first, 2 of them before the ORM "
                            + "step.")
                    // judged again at the ORM step: its line no longer says the ORM step is to come
                    .contains("\"tickets; x\".\"ticket no\" (not verifiable): no column uses it (a value handed out "
                            + "by application code?)")
                    .doesNotContain("no column uses it yet");
            assertThat(db.queryForString("SELECT string_agg(outcome || ' ' || coalesce((SELECT string_agg(c ->> "
                    + "'sequence', ',' ORDER BY c ->> 'sequence') FROM jsonb_array_elements(changed) c), '-'), '; ' "
                    + "ORDER BY ran_at) FROM public.seqguard_journal"))
                    .isEqualTo("awaiting_mappings public.audit_event_id_seq,public.customer_id_seq; "
                            + "failed_incomplete public.invoice_seq");
            assertThat(db.queryForLong("SELECT count(*) FROM invoice")).as("nothing written").isEqualTo(1000);
        }
    }

    /**
     * The sequence counts by 1 while the entity takes 50 ids per value, and Hibernate's own check is silenced (as
     * users silence it): the ORM step refuses start-up with the fix, before any write.
     */
    @Test
    void anIncrementBelowTheEntitysAllocationSizeStopsStartUpWithTheFix(CapturedOutput output) {
        try (TestDatabase db = TestDatabase.create("ormmismatch")) {
            assertThatThrownBy(() -> start(db, "--spring.flyway.locations=classpath:db/migration,classpath:db/mismatch",
                    "--spring.jpa.properties.hibernate.id.sequence.increment_size_mismatch_strategy=log").close())
                    .isNotNull();
            assertThat(output).contains("APPLICATION FAILED TO START")
                    .contains("public.invoice_seq: mismatched, its increment is 1, but entity "
                            + Invoice.class.getName() + " takes 50 ids per value (pooled:50)")
                    .contains("ALTER SEQUENCE public.invoice_seq INCREMENT BY 50")
                    .contains("A mismatched sequence cannot be repaired by moving it forward");
            assertThat(db.queryForLong("SELECT count(*) FROM invoice")).as("nothing written").isEqualTo(1000);
        }
    }

    /**
     * Drift in mode verify stops start-up before Hibernate's metamodel exists: the entity's sequence is then listed
     * as used by no column, and both its line and the action say the ORM step would judge it, not that it needs a
     * mapping or an acknowledgement.
     */
    @Test
    void aDriftRefusalBeforeTheOrmStepSaysAnEntitysSequenceNeedsNoMapping(CapturedOutput output) {
        try (TestDatabase db = TestDatabase.create("ormdrift")) {
            assertThatThrownBy(() -> start(db, "--seqguard.mode=verify").close()).isNotNull();
            assertThat(output).contains("APPLICATION FAILED TO START")
                    .contains("public.invoice_seq (not verifiable): no column uses it yet (a Hibernate entity's "
                            + "sequence needs no mapping or acknowledgement: the ORM step judges it); if no entity "
                            + "uses it (a value handed out by application code?), map it")
                    .contains("Of the 1 sequence(s) above that no column uses, those a Hibernate entity uses need no "
                            + "mapping: the ORM step, which start-up did not reach, judges them");
            assertThat(db.queryForLong("SELECT count(*) FROM invoice")).as("nothing written").isEqualTo(1000);
        }
    }

    /**
     * Drift only the ORM step finds, in mode verify: the entity's sequence is behind while every other is aligned.
     * The command line the action offers is given the entity's mapping ({@code --map}), without which it would find
     * that sequence used by no column and leave it unverified.
     */
    @Test
    void aDriftTheOrmStepFindsGivesTheCommandLineTheEntitysMapping(CapturedOutput output) {
        try (TestDatabase db = TestDatabase.create("ormcli")) {
            start(db).close();
            // copied again: the invoices' sequence alone is behind them
            db.execute("SELECT setval('invoice_seq', 1, false)");
            assertThatThrownBy(() -> start(db, "--seqguard.mode=verify").close()).isNotNull();
            String analysis = output.getOut().substring(output.getOut().lastIndexOf("APPLICATION FAILED TO START"));
            assertThat(analysis).contains("public.invoice_seq: next value 1")
                    .contains("with seqguard's command line: java -jar seqguard.jar repair --url jdbc:postgresql:")
                    .contains(" --map public.invoice_seq=public.invoice.id (or run the statements above)");
            // what the command line does with that option: the sequence is judged against the entity's column
            AlignmentReport withTheMapping = SequenceAligner.configure().dataSource(db.dataSource())
                    .mappings(List.of(SequenceMapping.parse("public.invoice_seq=public.invoice.id"))).load().verify();
            assertThat(withTheMapping.sequences()).filteredOn(r -> r.name().equals("invoice_seq")).singleElement()
                    .satisfies(r -> assertThat(r.status()).isEqualTo(SequenceStatus.BEHIND));
        }
    }

    /**
     * A table another session keeps locked past the lock timeout leaves the run before JPA incomplete, which no
     * entity's mapping can change: start-up stops at once, without waiting while Hibernate builds (its schema
     * validation would wait for the lock too), and the entity's sequence is said to need no mapping (nor an
     * acknowledgement).
     */
    @Test
    void aTableLockedPastTheLockTimeoutStopsStartUpAtOnce(CapturedOutput output) throws SQLException {
        try (TestDatabase db = TestDatabase.create("ormlocked")) {
            db.execute("CREATE SCHEMA ledger");
            Databases.laggingTable(db, "ledger.entries", 10);
            try (Connection holder = db.dataSource().getConnection(); Statement st = holder.createStatement()) {
                // the server ends the lock in any case, so that a start that waits for it ends too
                st.execute("SET idle_in_transaction_session_timeout = '20s'");
                holder.setAutoCommit(false);
                st.execute("LOCK TABLE ledger.entries IN ACCESS EXCLUSIVE MODE");
                assertThatThrownBy(() -> start(db, "--seqguard.lock-timeout=200ms").close()).isNotNull();
            }
            assertThat(output).contains("APPLICATION FAILED TO START")
                    .contains("reading max(id) of ledger.entries waited longer than the lock timeout")
                    .contains("Of the 1 sequence(s) above that no column uses, those a Hibernate entity uses need no "
                            + "mapping")
                    .doesNotContain("guarding again with the");
            // what the ORM step would judge comes first; nothing is offered to be acknowledged: the entity's
            // sequence waits for its mapping, and the locked table's may be behind its rows
            String analysis = output.getOut().substring(output.getOut().indexOf("APPLICATION FAILED TO START"));
            assertThat(analysis.indexOf("judges them with the entities' mappings"))
                    .isLessThan(analysis.indexOf("Make each other sequence above verifiable"));
            assertThat(analysis).contains("But the data that would verify ledger.entries_id_seq could not be read");
            assertThat(analysis.substring(analysis.indexOf("Action:"))).doesNotContain("allow-unverified=");
            assertThat(db.queryForLong("SELECT count(*) FROM invoice")).as("nothing written").isEqualTo(1000);
        }
    }

    @Test
    void withTheGuardOffTheSameStartUpWritesFail() {
        try (TestDatabase db = TestDatabase.create("ormoff")) {
            assertThatThrownBy(() -> start(db, "--seqguard.enabled=false").close())
                    .hasStackTraceContaining("duplicate key value violates unique constraint");
            assertThat(db.queryForLong("SELECT count(*) FROM invoice")).isEqualTo(1000);
        }
    }

    private static ConfigurableApplicationContext start(TestDatabase db, String... extra) {
        return new SpringApplicationBuilder(ShopApplication.class, EarlyWrites.Config.class)
                .web(WebApplicationType.NONE).run(Databases.shopArguments(db, Arrays.asList(extra)));
    }

    /** Beans that write as early as Spring lets them. */
    static class EarlyWrites implements SmartInitializingSingleton, CommandLineRunner {

        final List<Long> invoiceIds = new CopyOnWriteArrayList<>();
        final List<Long> auditIds = new CopyOnWriteArrayList<>();
        private final InvoiceRepository invoices;

        EarlyWrites(InvoiceRepository invoices) {
            this.invoices = invoices;
        }

        @PostConstruct
        void duringStartUp() {
            invoiceIds.add(invoices.save(new Invoice("INV-POSTCONSTRUCT", BigDecimal.ONE)).getId());
        }

        @Override
        public void afterSingletonsInstantiated() {
            invoiceIds.add(invoices.save(new Invoice("INV-SINGLETONS", BigDecimal.ONE)).getId());
        }

        @Override
        public void run(String... args) {
            invoiceIds.add(invoices.save(new Invoice("INV-COMMANDLINE", BigDecimal.ONE)).getId());
        }

        /**
         * Writes an invoice through JdbcTemplate with the sequence itself, in its constructor: before the ORM step the
         * sequence would hand out 1, which the replicated rows hold.
         */
        static class JdbcWriter {

            JdbcWriter(org.springframework.jdbc.core.JdbcTemplate jdbc, EarlyWrites writes) {
                writes.invoiceIds.add(jdbc.queryForObject("INSERT INTO invoice (id, number, amount) "
                        + "VALUES (nextval('invoice_seq'), 'INV-JDBC', 1) RETURNING id", Long.class));
            }
        }

        /** Writes through the raw DataSource, waiting for database initialization as the README says. */
        @DependsOnDatabaseInitialization
        static class RawWriter {

            RawWriter(DataSource dataSource, EarlyWrites writes) throws SQLException {
                try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
                        ResultSet rs = st.executeQuery(
                                "INSERT INTO audit_event (message) VALUES ('raw') RETURNING id")) {
                    rs.next();
                    writes.auditIds.add(rs.getLong(1));
                }
            }
        }

        @Configuration(proxyBeanMethods = false)
        static class Config {

            @Bean
            EarlyWrites earlyWrites(InvoiceRepository invoices) {
                return new EarlyWrites(invoices);
            }

            @Bean
            JdbcWriter jdbcWriter(org.springframework.jdbc.core.JdbcTemplate jdbc, EarlyWrites writes) {
                return new JdbcWriter(jdbc, writes);
            }

            @Bean
            @DependsOnDatabaseInitialization
            RawWriter rawWriter(DataSource dataSource, EarlyWrites writes) throws SQLException {
                return new RawWriter(dataSource, writes);
            }
        }
    }
}
