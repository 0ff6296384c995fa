package io.seqguard.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seqguard.AllocationSource;
import io.seqguard.GuardResult;
import io.seqguard.SequenceReport;
import io.seqguard.SequenceStatus;
import io.seqguard.spring.boot.app.Invoice;
import io.seqguard.spring.boot.app.InvoiceRepository;
import io.seqguard.spring.boot.app.ShopApplication;
import io.seqguard.spring.boot.autoconfigure.SeqguardResults;
import io.seqguard.test.TestDatabase;

import jakarta.annotation.PostConstruct;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The users of the database that Spring creates before the EntityManagerFactory is built wait for its ORM step. The
 * shop's {@code invoice_seq} (Hibernate's DDL, no {@code OWNED BY}) is tied to {@code invoice.id} by the entity only,
 * so the guard before JPA cannot verify it and lets start-up go on until the ORM step has; a write with it before
 * then gets {@code nextval('invoice_seq') = 1}, which a replicated row holds.
 *
 * <p>In a plain start-up Spring creates the EntityManagerFactory bean before every other singleton (it is
 * {@code LoadTimeWeaverAware}), so Spring Boot's database-initialization ordering is enough there. It is not enough
 * for what Spring creates earlier (a BeanPostProcessor's dependencies), nor with a bootstrap executor
 * ({@code spring.data.jpa.repositories.bootstrap-mode=deferred}: the factory is built in the background, after the
 * beans that depend on it exist), nor with {@code spring.jpa.defer-datasource-initialization=true} (the guard runs
 * after the factory, and a repository needs only the factory): in each test here the first write collides
 * ({@code duplicate key}) when the users of database initialization and repositories are not made to wait for every
 * EntityManagerFactory and its build.
 *
 * <p>Each writer is the application's first source, so it is the first ordinary singleton Spring creates.
 */
@ExtendWith(OutputCaptureExtension.class)
class OrmStepOrderingTests {

    private static final String INSERT_INVOICE = "INSERT INTO invoice (id, number, amount) "
            + "VALUES (nextval('invoice_seq'), 'INV-EARLY', 1) RETURNING id";
    private static final String DEFERRED_BOOTSTRAP = "--spring.data.jpa.repositories.bootstrap-mode=deferred";
    private static final String DEFERRED_INITIALIZATION = "--spring.jpa.defer-datasource-initialization=true";

    @Test
    void aJdbcTemplateThatABeanPostProcessorNeedsWritesAfterTheOrmStep() {
        try (TestDatabase db = TestDatabase.create("ormorderbpp");
                ConfigurableApplicationContext context = start(db, PostProcessorWriter.class)) {
            assertWrittenAfterTheOrmStep(db, context, context.getBean(PostProcessorWriter.class).id());
        }
    }

    @ParameterizedTest
    @ValueSource(classes = {JdbcTemplateWriter.class, JdbcClientWriter.class, RawWriter.class})
    void withABootstrapExecutorAWriterCreatedFirstWritesAfterTheOrmStep(Class<? extends EarlyWriter> writer) {
        try (TestDatabase db = TestDatabase.create("ormorderbootstrap");
                ConfigurableApplicationContext context = start(db, writer, DEFERRED_BOOTSTRAP)) {
            assertWrittenAfterTheOrmStep(db, context, context.getBean(writer).id());
        }
    }

    /**
     * The cut-over database is migrated already (Flyway finds nothing to do at start-up), so a write before the guard
     * would reach the table and collide rather than miss it.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void withDeferredDataSourceInitializationARepositoryUsedFirstWritesAfterTheGuard(boolean bootstrapExecutor) {
        try (TestDatabase db = TestDatabase.create("ormorderdeferred")) {
            Flyway.configure().dataSource(db.dataSource()).locations("classpath:db/migration").load().migrate();
            String[] extra = bootstrapExecutor ? new String[] {DEFERRED_INITIALIZATION, DEFERRED_BOOTSTRAP}
                    : new String[] {DEFERRED_INITIALIZATION};
            try (ConfigurableApplicationContext context = start(db, RepositoryWriter.class, extra)) {
                assertWrittenAfterTheOrmStep(db, context, context.getBean(RepositoryWriter.class).id());
            }
        }
    }

    /** The ORM step's refusal, thrown on the bootstrap executor's thread, still stops start-up with the fix. */
    @Test
    void withABootstrapExecutorTheOrmStepsRefusalStopsStartUpBeforeAnyWrite(CapturedOutput output) {
        try (TestDatabase db = TestDatabase.create("ormorderrefusal")) {
            assertThatThrownBy(() -> start(db, JdbcTemplateWriter.class, DEFERRED_BOOTSTRAP,
                    "--spring.flyway.locations=classpath:db/migration,classpath:db/mismatch",
                    "--spring.jpa.properties.hibernate.id.sequence.increment_size_mismatch_strategy=log").close())
                    .isNotNull();
            assertThat(output).contains("APPLICATION FAILED TO START")
                    .contains("public.invoice_seq: mismatched, its increment is 1, but entity "
                            + Invoice.class.getName() + " takes 50 ids per value (pooled:50)")
                    .contains("ALTER SEQUENCE public.invoice_seq INCREMENT BY 50");
            assertThat(db.queryForLong("SELECT count(*) FROM invoice")).as("nothing written").isEqualTo(1000);
        }
    }

    private static void assertWrittenAfterTheOrmStep(TestDatabase db, ConfigurableApplicationContext context,
            long id) {
        assertThat(id).as("the early write's id, after the 1000 replicated invoices").isGreaterThan(1000L);
        GuardResult result = context.getBean(SeqguardResults.class).get("dataSource").orElseThrow();
        SequenceReport invoice = result.report().sequences().stream()
                .filter(s -> s.name().equals("invoice_seq")).findFirst().orElseThrow();
        assertThat(invoice.status()).isEqualTo(SequenceStatus.ALIGNED);
        assertThat(invoice.allocationSource()).isEqualTo(AllocationSource.ENTITY);
        assertThat(db.queryForLong("SELECT count(*) FROM invoice WHERE number = 'INV-EARLY' AND id = " + id))
                .isEqualTo(1);
    }

    private static ConfigurableApplicationContext start(TestDatabase db, Class<?> firstBean, String... extra) {
        return new SpringApplicationBuilder(firstBean, ShopApplication.class).web(WebApplicationType.NONE)
                .run(Databases.shopArguments(db, Arrays.asList(extra)));
    }

    /** A bean that inserts an invoice while it is created. */
    interface EarlyWriter {

        /** The id of the invoice it inserted. */
        long id();
    }

    /** Inserts an invoice with the sequence itself, through JdbcTemplate, in its constructor. */
    static class JdbcTemplateWriter implements EarlyWriter {

        private final long id;

        JdbcTemplateWriter(JdbcTemplate jdbc) {
            id = jdbc.queryForObject(INSERT_INVOICE, Long.class);
        }

        @Override
        public long id() {
            return id;
        }
    }

    /** A BeanPostProcessor, created before every ordinary singleton, that inserts through JdbcTemplate. */
    static class PostProcessorWriter extends JdbcTemplateWriter implements BeanPostProcessor {

        PostProcessorWriter(JdbcTemplate jdbc) {
            super(jdbc);
        }
    }

    /** Inserts an invoice with the sequence itself, through JdbcClient, in its constructor. */
    static class JdbcClientWriter implements EarlyWriter {

        private final long id;

        JdbcClientWriter(JdbcClient jdbc) {
            id = jdbc.sql(INSERT_INVOICE).query(Long.class).single();
        }

        @Override
        public long id() {
            return id;
        }
    }

    /** Inserts an invoice through the raw DataSource, waiting for database initialization as the README says. */
    @DependsOnDatabaseInitialization
    static class RawWriter implements EarlyWriter {

        private final long id;

        RawWriter(DataSource dataSource) throws SQLException {
            try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery(INSERT_INVOICE)) {
                rs.next();
                id = rs.getLong(1);
            }
        }

        @Override
        public long id() {
            return id;
        }
    }

    /** Saves an invoice through its repository (Hibernate's pooled optimizer) from {@code @PostConstruct}. */
    static class RepositoryWriter implements EarlyWriter {

        private final InvoiceRepository invoices;
        private long id;

        RepositoryWriter(InvoiceRepository invoices) {
            this.invoices = invoices;
        }

        @PostConstruct
        void write() {
            id = invoices.save(new Invoice("INV-EARLY", BigDecimal.ONE)).getId();
        }

        @Override
        public long id() {
            return id;
        }
    }
}
