package io.seqguard.micronaut.jpa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.micronaut.context.ApplicationContext;
import io.seqguard.AllocationRule;
import io.seqguard.AllocationSource;
import io.seqguard.ColumnSource;
import io.seqguard.FedColumn;
import io.seqguard.GuardResult;
import io.seqguard.SequenceReport;
import io.seqguard.SequenceStatus;
import io.seqguard.StartupGuardException;
import io.seqguard.micronaut.GuardRun;
import io.seqguard.micronaut.SeqguardRuns;
import io.seqguard.micronaut.SeqguardStartupException;
import io.seqguard.micronaut.jpa.shop.CreditNote;
import io.seqguard.micronaut.jpa.shop.DebitNote;
import io.seqguard.micronaut.jpa.shop.Invoice;
import io.seqguard.micronaut.jpa.shop.SessionFactoryProbe;
import io.seqguard.micronaut.jpa.shop.StartUpWrites;
import io.seqguard.test.TestDatabase;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A Micronaut Data JPA application on Hibernate 6.6: Flyway creates the schema exactly as Hibernate's schema export
 * writes it (no {@code OWNED BY}, no {@code DEFAULT}) and loads rows with their ids, as a replication cutover does; an
 * eager bean and an {@code ApplicationStartupEvent} listener insert every entity through its repository. No seqguard
 * property: the ORM step, inside the session factory's build, is what makes those inserts safe.
 */
class DataJpaStartupTest {

    /** The largest id Flyway loaded into each entity's table. */
    private static final Map<String, Long> LOADED = Map.of("invoice", 500L, "payment", 40L, "credit", 75L,
            "debit", 75L, "customer", 20L, "ticket", 12L, "order line", 9L);

    @Test
    void everyEntityInsertsAtStartUpWithNoSeqguardProperty() {
        try (TestDatabase db = TestDatabase.create("micronaut_jpa_shop");
                ApplicationContext context = ShopApp.start(withWrites(db))) {
            GuardRun seen = context.getBean(SessionFactoryProbe.class).seen();
            assertThat(seen).as("the ORM step's run, before anyone got the session factory").isNotNull();
            assertThat(seen.report().unverified()).isEmpty();
            assertThat(seen.report().sequences()).filteredOn(s -> s.name().equals("invoice_seq")).singleElement()
                    .satisfies(s -> assertThat(s.allocationSource()).isEqualTo(AllocationSource.ENTITY));

            Map<String, List<Long>> ids = context.getBean(StartUpWrites.class).ids();
            assertThat(ids).containsOnlyKeys(LOADED.keySet());
            ids.forEach((entity, written) -> assertThat(written).as(entity).hasSize(2).doesNotHaveDuplicates()
                    .allSatisfy(id -> assertThat(id).as(entity).isGreaterThan(LOADED.get(entity))));
            assertThat(ids.get("credit")).as("one sequence for both tables").doesNotContainAnyElementsOf(
                    ids.get("debit"));

            GuardResult result = context.getBean(SeqguardRuns.class).latest("default").orElseThrow().result();
            assertThat(result.report().unverified()).isEmpty();
            assertRule(result, "invoice_seq", AllocationRule.pooled(50), Invoice.class);
            assertRule(result, "payment_seq", AllocationRule.plain(), io.seqguard.micronaut.jpa.shop.Payment.class);
            assertRule(result, "hibernate_sequence", AllocationRule.plain(),
                    io.seqguard.micronaut.jpa.shop.Ticket.class);
            assertRule(result, "order _lines; _drop _table x seq", AllocationRule.pooled(20),
                    io.seqguard.micronaut.jpa.shop.OrderLine.class);
            SequenceReport documents = sequence(result, "document_seq");
            assertThat(documents.allocation()).isEqualTo(AllocationRule.pooled(50));
            assertThat(documents.columns()).extracting(FedColumn::table)
                    .containsExactlyInAnyOrder("credit_note", "debit_note");
            assertThat(documents.columns()).flatExtracting(FedColumn::entities)
                    .containsExactlyInAnyOrder(CreditNote.class.getName(), DebitNote.class.getName());
            assertThat(documents.dataBound()).isEqualTo(75L);
            SequenceReport customers = sequence(result, "customer_id_seq");
            assertThat(customers.allocationSource()).isNotEqualTo(AllocationSource.ENTITY);
            assertThat(db.queryForLong("SELECT count(*) FROM pg_class WHERE relname = 'x'"))
                    .as("the hostile name was never SQL").isZero();
        }
    }

    /**
     * With the journal on, a healthy start-up journals no failure: the run before JPA, which only the entities'
     * mappings complete, awaits them with what it moved, and the ORM step's run names its own moves.
     */
    @Test
    void withTheJournalAHealthyStartUpJournalsNoFailure() {
        try (TestDatabase db = TestDatabase.create("micronaut_jpa_journal")) {
            Map<String, Object> properties = ShopApp.properties(db);
            properties.put("seqguard.journal", "true");
            try (ApplicationContext context = ShopApp.start(properties)) {
                assertThat(db.queryForString("SELECT string_agg(outcome || '/' || (jsonb_array_length(changed) > 0),"
                        + " ' ' ORDER BY ran_at) FROM public.seqguard_journal"))
                        .isEqualTo("awaiting_mappings/true repaired/true");
                assertThat(db.queryForString("SELECT string_agg(c ->> 'sequence', ',' ORDER BY c ->> 'sequence')"
                        + " FROM public.seqguard_journal, jsonb_array_elements(changed) c"
                        + " WHERE outcome = 'repaired'")).contains("public.invoice_seq");
            }
        }
    }

    @Test
    void withTheGuardOffTheSameInsertsFail() {
        try (TestDatabase db = TestDatabase.create("micronaut_jpa_off")) {
            Map<String, Object> properties = withWrites(db);
            properties.put("seqguard.enabled", false);
            Throwable thrown = catchThrowable(() -> ShopApp.start(properties).close());
            assertThat(thrown).hasStackTraceContaining("duplicate key value violates unique constraint");
            assertThat(db.queryForLong("SELECT count(*) FROM invoice")).isEqualTo(500);
        }
    }

    /**
     * The sequence counts by 1 while the entity takes 50 ids per value, and Hibernate's own check is silenced (as
     * users silence it): the ORM step stops start-up with the fix, before any write.
     */
    @Test
    void anIncrementBelowTheAllocationSizeStopsStartUpWithTheFix() {
        try (TestDatabase db = TestDatabase.create("micronaut_jpa_mismatch")) {
            Map<String, Object> properties = ShopApp.properties(db, "mismatch");
            properties.put(StartUpWrites.ENABLED, "true");
            properties.put("jpa.default.properties.hibernate.id.sequence.increment_size_mismatch_strategy", "log");
            Throwable thrown = catchThrowable(() -> ShopApp.start(properties).close());
            SeqguardStartupException refusal = ShopApp.refusal(thrown);
            assertThat(refusal.getGuardException().report().withStatus(SequenceStatus.MISMATCHED))
                    .extracting(SequenceReport::name).containsExactly("invoice_seq");
            assertThat(refusal.getMessage()).startsWith("Micronaut data source 'default': ")
                    .contains("public.invoice_seq: mismatched, its increment is 1, but entity "
                            + Invoice.class.getName() + " takes 50 ids per value (pooled:50)")
                    .contains("ALTER SEQUENCE public.invoice_seq INCREMENT BY 50");
            assertThat(db.queryForLong("SELECT count(*) FROM invoice")).as("nothing written").isEqualTo(500);
        }
    }

    /**
     * Drift in mode verify stops start-up before Hibernate's metamodel exists: the entities' sequences are then listed
     * as used by no column, and the message says the ORM step would judge them, not that they need a mapping.
     */
    @Test
    void aDriftRefusalBeforeTheOrmStepSaysAnEntitysSequenceNeedsNoMapping() {
        try (TestDatabase db = TestDatabase.create("micronaut_jpa_verify")) {
            Map<String, Object> properties = withWrites(db);
            properties.put("seqguard.mode", "verify");
            Throwable thrown = catchThrowable(() -> ShopApp.start(properties).close());
            SeqguardStartupException refusal = ShopApp.refusal(thrown);
            assertThat(refusal.getGuardException().reason()).isEqualTo(StartupGuardException.Reason.DRIFT);
            int untied = refusal.getGuardException().unverifiedForWantOfMappings().size();
            assertThat(untied).isPositive();
            assertThat(refusal.getMessage()).contains("public.invoice_seq (not verifiable)")
                    .contains("Of the " + untied + " sequence(s) above that no column uses, those a Hibernate "
                            + "entity uses need no mapping: the ORM step, which start-up did not reach, judges them");
            assertThat(db.queryForLong("SELECT count(*) FROM invoice")).as("nothing written").isEqualTo(500);
        }
    }

    /**
     * A sequence no entity uses stays unverified after the ORM step too: the run is incomplete, and start-up stops
     * (fail closed) before any write, naming it and the property that acknowledges it.
     */
    @Test
    void aSequenceNoEntityUsesStillStopsStartUp() {
        try (TestDatabase db = TestDatabase.create("micronaut_jpa_incomplete")) {
            Map<String, Object> properties = ShopApp.properties(db, "app-numbers");
            properties.put(StartUpWrites.ENABLED, "true");
            Throwable thrown = catchThrowable(() -> ShopApp.start(properties).close());
            SeqguardStartupException refusal = ShopApp.refusal(thrown);
            assertThat(refusal.getGuardException().reason()).isEqualTo(StartupGuardException.Reason.INCOMPLETE);
            assertThat(refusal.getGuardException().report().unverified()).extracting(SequenceReport::name)
                    .containsExactly("invoice_number_seq");
            assertThat(refusal.getMessage()).contains("seqguard.allow-unverified=public.invoice_number_seq");
            assertThat(db.queryForLong("SELECT count(*) FROM invoice")).as("nothing written").isEqualTo(500);
        }
    }

    /**
     * A second data source, which no entity uses, with a sequence only application code calls: no ORM step can tie it
     * to a column, so its incomplete run stops start-up (fail closed), naming the property that acknowledges it.
     * Micronaut's session factory on 'reports' maps the shop's entities too: they are not reported missing there.
     */
    @Test
    void aDataSourceWithoutEntitiesStillStopsStartUpOnAnUnverifiedSequence() {
        assertReportsRefused(Map.of());
    }

    /**
     * The same with JPA turned off on 'reports': no session factory, so no ORM step ever comes for it; the check when
     * the context has started stops start-up.
     */
    @Test
    void aDataSourceWhoseOrmStepNeverComesStopsStartUpWhenTheContextHasStarted() {
        assertReportsRefused(Map.of("jpa.reports.enabled", false));
    }

    private static void assertReportsRefused(Map<String, Object> more) {
        try (TestDatabase db = TestDatabase.create("micronaut_jpa_two");
                TestDatabase reports = TestDatabase.create("micronaut_jpa_reports")) {
            Map<String, Object> properties = withWrites(db);
            properties.put("datasources.reports.url", reports.jdbcUrl());
            properties.put("datasources.reports.username", reports.server().superuser());
            properties.put("datasources.reports.driver-class-name", "org.postgresql.Driver");
            properties.put("flyway.datasources.reports.enabled", true);
            properties.put("flyway.datasources.reports.locations", "classpath:db/reports");
            properties.putAll(more);
            Throwable thrown = catchThrowable(() -> ShopApp.start(properties).close());
            SeqguardStartupException refusal = ShopApp.refusal(thrown);
            assertThat(refusal.getDataSourceName()).isEqualTo("reports");
            assertThat(refusal.getGuardException().reason()).isEqualTo(StartupGuardException.Reason.INCOMPLETE);
            assertThat(refusal.getGuardException().report().unverified()).extracting(SequenceReport::name)
                    .containsExactly("Report Numbers; DROP TABLE x");
            assertThat(refusal.getMessage()).startsWith("Micronaut data source 'reports': ")
                    .contains("set seqguard.allow-unverified=public.\"Report Numbers; DROP TABLE x\";")
                    .doesNotContain("invoice_seq");
            assertThat(reports.queryForLong("SELECT count(*) FROM pg_class WHERE relname = 'x'")).isZero();
        }
    }

    private static Map<String, Object> withWrites(TestDatabase db) {
        Map<String, Object> properties = ShopApp.properties(db);
        properties.put(StartUpWrites.ENABLED, "true");
        properties.put(SessionFactoryProbe.ENABLED, "true");
        return properties;
    }

    private static void assertRule(GuardResult result, String sequence, AllocationRule rule, Class<?> entity) {
        SequenceReport report = sequence(result, sequence);
        assertThat(report.status()).as(sequence).isEqualTo(SequenceStatus.ALIGNED);
        assertThat(report.allocation()).as(sequence).isEqualTo(rule);
        assertThat(report.allocationSource()).as(sequence).isEqualTo(AllocationSource.ENTITY);
        assertThat(report.columns()).as(sequence).singleElement().satisfies(column -> {
            assertThat(column.sources()).containsExactly(ColumnSource.ENTITY);
            assertThat(column.entities()).containsExactly(entity.getName());
        });
    }

    private static SequenceReport sequence(GuardResult result, String name) {
        return result.report().sequences().stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " not in " + result.report().sequences()));
    }
}
