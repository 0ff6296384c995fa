package io.seqguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seqguard.test.PostgresTest;
import io.seqguard.test.TestDatabase;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Mappings an ORM module discovered, as seqguard-hibernate hands them over, on schemas written the way Hibernate's
 * schema export writes them ({@code create sequence ... increment by 50}, no {@code OWNED BY}, no {@code DEFAULT}),
 * rows loaded with explicit ids as replication loads them: per-sequence allocation rules and where they came from,
 * configured mappings winning, the application's search_path, and the findings (overlapping blocks, a missing
 * sequence, a missing table).
 */
@PostgresTest
class DiscoveredMappingTest {

    private static final String SCHEMA = "\"Orm Schema; DROP TABLE x\"";
    private static final String INVOICE = SCHEMA + ".\"Invoice Lines; DROP TABLE x\"";
    private static final String INVOICE_SEQ = SCHEMA + ".\"invoice_seq\"\"; --\"";

    private final TestDatabase db;

    DiscoveredMappingTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void schema() {
        db.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE", "CREATE SCHEMA " + SCHEMA,
                "create sequence " + INVOICE_SEQ + " start with 1 increment by 50",
                "create table " + INVOICE + " (id bigint not null, number bigint, primary key (id))",
                "insert into " + INVOICE + " select g, g from generate_series(1, 1234) g",
                "create sequence " + SCHEMA + ".order_seq start with 1 increment by 1",
                "create table " + SCHEMA + ".orders (id bigint not null primary key)",
                "insert into " + SCHEMA + ".orders select g from generate_series(1, 30) g");
    }

    private AlignerConfiguration configure() {
        return SequenceAligner.configure().dataSource(db.dataSource()).schemas(SCHEMA);
    }

    private static SequenceMapping.Builder entity(String sequence, String table, String entity) {
        return SequenceMapping.builder().sequence(sequence).table(table).column("id").entity(entity);
    }

    private static SequenceReport find(AlignmentReport report, String name) {
        return report.sequences().stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no sequence " + name + " in " + report.sequences()));
    }

    @Test
    void anEntitysSequenceIsRepairedByItsOwnRule() {
        AlignerConfiguration config = configure().mappings(List.of(
                entity(INVOICE_SEQ, INVOICE, "com.acme.Invoice").allocation(AllocationRule.pooled(50)).build(),
                entity(SCHEMA + ".order_seq", SCHEMA + ".orders", "com.acme.Order")
                        .allocation(AllocationRule.plain()).build()));
        AlignmentReport verify = config.load().verify();
        SequenceReport invoice = find(verify, "invoice_seq\"; --");
        assertThat(invoice.status()).isEqualTo(SequenceStatus.BEHIND);
        assertThat(invoice.allocation()).isEqualTo(AllocationRule.pooled(50));
        assertThat(invoice.allocationSource()).isEqualTo(AllocationSource.ENTITY);
        assertThat(invoice.requiredNextValue()).as("a whole pooled block above 1234").isEqualTo(1284L);
        assertThat(invoice.columns()).singleElement().satisfies(c -> {
            assertThat(c.sources()).containsExactly(ColumnSource.ENTITY);
            assertThat(c.entities()).containsExactly("com.acme.Invoice");
        });
        SequenceReport order = find(verify, "order_seq");
        assertThat(order.allocation()).isEqualTo(AllocationRule.plain());
        assertThat(order.requiredNextValue()).isEqualTo(31L);
        assertThat(verify.allocation()).as("the top-level rule stays the default").isEqualTo(AllocationRule.pooled());
        assertThat(verify.toText()).contains("pooled:50 (entity)").contains("(entity com.acme.Invoice)");

        AlignmentReport repair = config.load().repair();
        assertThat(repair.isAligned()).isTrue();
        long hi = db.queryForLong("SELECT nextval('" + INVOICE_SEQ.replace("'", "''") + "')");
        assertThat(hi - 50 + 1).as("the lowest id of Hibernate's pooled block").isGreaterThan(1234L);
        assertThat(db.queryForLong("SELECT nextval('" + SCHEMA + ".order_seq')")).isEqualTo(31L);
    }

    @Test
    void withoutAnyMappingSuchASequenceCannotBeVerified() {
        SequenceReport invoice = find(configure().load().verify(), "invoice_seq\"; --");
        assertThat(invoice.status()).isEqualTo(SequenceStatus.NOT_VERIFIABLE);
        assertThat(invoice.allocationSource()).isEqualTo(AllocationSource.DEFAULT);
        assertThat(find(configure().allocation(AllocationRule.plain()).load().verify(), "order_seq")
                .allocationSource()).isEqualTo(AllocationSource.PROPERTY);
    }

    @Test
    void aConfiguredMappingWinsAndTheDisagreementIsANote() {
        AlignmentReport verify = configure()
                .map(INVOICE_SEQ, INVOICE, "number")
                .mappings(List.of(entity(INVOICE_SEQ, INVOICE, "com.acme.Invoice")
                        .allocation(AllocationRule.pooled(50)).build()))
                .load().verify();
        SequenceReport invoice = find(verify, "invoice_seq\"; --");
        assertThat(invoice.columns()).singleElement().satisfies(c -> {
            assertThat(c.column()).isEqualTo("number");
            assertThat(c.sources()).containsExactly(ColumnSource.MAPPED);
        });
        assertThat(invoice.notes()).anySatisfy(n -> assertThat(n).contains("entity com.acme.Invoice maps it to")
                .contains(".id").contains("the configured mapping (mappings)").contains("wins"));
        assertThat(invoice.allocationSource()).as("the entity's generator still decides how values become ids")
                .isEqualTo(AllocationSource.ENTITY);
    }

    @Test
    void aConfiguredMappingsOwnRuleWinsOverTheEntitys() {
        AlignmentReport verify = configure().mappings(List.of(
                SequenceMapping.builder().sequence(INVOICE_SEQ).table(INVOICE).column("id")
                        .allocation(AllocationRule.pooledLo(50)).build(),
                entity(INVOICE_SEQ, INVOICE, "com.acme.Invoice").allocation(AllocationRule.pooled(50)).build()))
                .load().verify();
        SequenceReport invoice = find(verify, "invoice_seq\"; --");
        assertThat(invoice.allocation()).isEqualTo(AllocationRule.pooledLo(50));
        assertThat(invoice.allocationSource()).isEqualTo(AllocationSource.PROPERTY);
        assertThat(invoice.requiredNextValue()).isEqualTo(1235L);
        assertThat(invoice.columns()).singleElement().satisfies(c -> assertThat(c.sources())
                .containsExactly(ColumnSource.MAPPED, ColumnSource.ENTITY));
        assertThat(invoice.notes()).anySatisfy(n -> assertThat(n).contains("allocates pooled:50")
                .contains("the configured mapping's rule pooled-lo:50 applies"));
    }

    @Test
    void entitiesSharingASequenceGetTheStrictestRule() {
        db.execute("create table " + SCHEMA + ".credit_note (id bigint not null primary key)",
                "insert into " + SCHEMA + ".credit_note values (2000)");
        AlignmentReport verify = configure().mappings(List.of(
                entity(INVOICE_SEQ, INVOICE, "com.acme.Invoice").allocation(AllocationRule.pooled(50)).build(),
                entity(INVOICE_SEQ, SCHEMA + ".credit_note", "com.acme.CreditNote")
                        .allocation(AllocationRule.plain()).build()))
                .load().verify();
        SequenceReport shared = find(verify, "invoice_seq\"; --");
        assertThat(shared.columns()).hasSize(2);
        assertThat(shared.allocation()).isEqualTo(AllocationRule.pooled(50));
        assertThat(shared.requiredNextValue()).as("above both tables' ids").isEqualTo(2050L);
        assertThat(shared.notes()).anySatisfy(n -> assertThat(n).contains("allocate differently")
                .contains("com.acme.CreditNote plain"));
    }

    @Test
    void aPooledBlockLargerThanTheIncrementIsMismatchedAndNotRepaired() {
        AlignerConfiguration config = configure().mappings(List.of(
                entity(SCHEMA + ".order_seq", SCHEMA + ".orders", "com.acme.Order")
                        .allocation(AllocationRule.pooled(50)).build()));
        AlignmentReport repair = config.load().repair();
        SequenceReport order = find(repair, "order_seq");
        assertThat(order.status()).isEqualTo(SequenceStatus.MISMATCHED);
        assertThat(order.action()).isEqualTo(RepairAction.NONE);
        assertThat(order.reason()).contains("its increment is 1").contains("entity com.acme.Order")
                .contains("ALTER SEQUENCE " + SCHEMA + ".order_seq INCREMENT BY 50")
                .contains("allocation size of 1");
        assertThat(repair.verdict()).isEqualTo(Verdict.DRIFT);
        assertThat(db.queryForLong("SELECT last_value FROM " + SCHEMA + ".order_seq")).as("untouched").isEqualTo(1);
        assertThatThrownBy(repair::requireAligned).isInstanceOf(SequenceDriftException.class)
                .hasMessageContaining("mismatched").hasMessageContaining("INCREMENT BY 50")
                .hasMessageContaining("moving a sequence forward does not end overlapping blocks");

        // the fix the message names, then the repair the message names
        db.execute("ALTER SEQUENCE " + SCHEMA + ".order_seq INCREMENT BY 50");
        SequenceReport fixed = find(config.load().repair(), "order_seq");
        assertThat(fixed.status()).isEqualTo(SequenceStatus.ALIGNED);
        assertThat(fixed.action()).isEqualTo(RepairAction.REPAIRED);
        long hi = db.queryForLong("SELECT nextval('" + SCHEMA + ".order_seq')");
        assertThat(hi - 49).as("the pooled block lies above the data").isGreaterThan(30L);
    }

    @Test
    void theAlignersOwnRuleIsNoFindingAboutAnySequence() {
        SequenceReport order = find(configure().map(SCHEMA + ".order_seq", SCHEMA + ".orders", "id")
                .allocation(AllocationRule.pooled(50)).load().repair(), "order_seq");
        assertThat(order.status()).as("one guess for every sequence, most of them no entity's").isEqualTo(
                SequenceStatus.ALIGNED);
        assertThat(order.action()).isEqualTo(RepairAction.REPAIRED);
        assertThat(order.allocationSource()).isEqualTo(AllocationSource.PROPERTY);
        assertThat(db.queryForLong("SELECT nextval('" + SCHEMA + ".order_seq')") - 49).as("a whole block above 30")
                .isGreaterThan(30);
    }

    @Test
    void aPooledBlockSmallerThanTheIncrementIsANote() {
        SequenceReport invoice = find(configure().mappings(List.of(entity(INVOICE_SEQ, INVOICE, "com.acme.Invoice")
                .allocation(AllocationRule.pooled(10)).build())).load().repair(), "invoice_seq\"; --");
        assertThat(invoice.status()).isEqualTo(SequenceStatus.ALIGNED);
        assertThat(invoice.action()).isEqualTo(RepairAction.REPAIRED);
        assertThat(invoice.notes()).anySatisfy(n -> assertThat(n).contains("skips 40 ids")
                .contains("does not collide"));
    }

    @Test
    void aMissingEntitySequenceMakesTheRunIncompleteUntilAcknowledged() {
        List<SequenceMapping> mappings = List.of(entity(SCHEMA + ".\"Gone Seq\"", INVOICE, "com.acme.Gone")
                .allocation(AllocationRule.pooled(50)).build());
        AlignmentReport verify = configure().mappings(mappings).load().verify();
        SequenceReport gone = find(verify, "Gone Seq");
        assertThat(gone.exists()).isFalse();
        assertThat(gone.status()).isEqualTo(SequenceStatus.NOT_VERIFIABLE);
        assertThat(gone.qualifiedName()).isEqualTo(SCHEMA + ".\"Gone Seq\"");
        assertThat(gone.reason()).contains("does not exist").contains("entity com.acme.Gone")
                .contains("CREATE SEQUENCE " + SCHEMA + ".\"Gone Seq\" INCREMENT BY 50")
                .contains("allowUnverified " + SCHEMA + ".\"Gone Seq\"");
        assertThat(verify.verdict()).isEqualTo(Verdict.INCOMPLETE);
        assertThat(verify.unverified()).contains(gone);
        assertThat(verify.sequences()).extracting(SequenceReport::name).as("in name order")
                .containsExactly("Gone Seq", "invoice_seq\"; --", "order_seq");

        AlignmentReport acknowledged = configure().mappings(mappings).allowUnverified(SCHEMA + ".\"Gone Seq\"",
                INVOICE_SEQ, SCHEMA + ".order_seq").load().verify();
        assertThat(acknowledged.verdict()).isEqualTo(Verdict.ALIGNED);
        assertThat(find(acknowledged, "Gone Seq").acknowledged()).isTrue();

        assertThat(configure().mappings(mappings).excludeSequences(SCHEMA + ".\"Gone Seq\"").load().verify()
                .sequences()).extracting(SequenceReport::name).doesNotContain("Gone Seq");
        assertThat(SequenceAligner.configure().dataSource(db.dataSource()).schemas("public").mappings(mappings)
                .load().verify().sequences()).as("outside the configured schemas").isEmpty();
    }

    /**
     * An entity whose sequence and table are both absent is stored in another database: Micronaut, for one, builds a
     * session factory with every entity on each data source. Its inserts here would fail on the table, never with a
     * duplicate key: not a finding of this database.
     */
    @Test
    void anEntityWhoseSequenceAndTableAreBothAbsentBelongsToAnotherDatabase() {
        AlignmentReport verify = configure().mappings(List.of(
                entity(SCHEMA + ".\"Elsewhere Seq\"", SCHEMA + ".\"Elsewhere; DROP TABLE x\"", "com.acme.Elsewhere")
                        .allocation(AllocationRule.pooled(50)).build(),
                entity(INVOICE_SEQ, INVOICE, "com.acme.Invoice").allocation(AllocationRule.pooled(50)).build()))
                .load().verify();
        assertThat(verify.sequences()).extracting(SequenceReport::name).containsExactly("invoice_seq\"; --",
                "order_seq");
        // order_seq, which no entity names, is the one sequence left unverified
        assertThat(verify.unverified()).extracting(SequenceReport::name).containsExactly("order_seq");
        assertThat(find(verify, "invoice_seq\"; --").status()).isEqualTo(SequenceStatus.BEHIND);
    }

    @Test
    void aMissingTableIsANoteOnTheSequence() {
        SequenceReport invoice = find(configure().mappings(List.of(entity(INVOICE_SEQ, SCHEMA + ".invoice",
                "com.acme.Invoice").build())).load().verify(), "invoice_seq\"; --");
        assertThat(invoice.status()).isEqualTo(SequenceStatus.NOT_VERIFIABLE);
        assertThat(invoice.notes()).anySatisfy(n -> assertThat(n).contains("entity com.acme.Invoice")
                .contains("invoice, which does not exist").contains("naming strategy"));
    }

    @Test
    void aConfiguredMappingWithAnUnknownNameStillFailsAtOnce() {
        assertThatThrownBy(() -> configure().map(SCHEMA + ".nope_seq", INVOICE, "id").load().verify())
                .isInstanceOf(UnknownObjectException.class).hasMessageContaining("mappings:")
                .hasMessageContaining("does not exist");
        assertThatThrownBy(() -> configure().map(INVOICE_SEQ, INVOICE, "nope").load().verify())
                .isInstanceOf(UnknownObjectException.class).hasMessageContaining("has no column nope");
        // a name with a line break stays on the message's one line
        assertThatThrownBy(() -> configure().map(INVOICE_SEQ, INVOICE, "\"no\npe\"").load().verify())
                .isInstanceOf(UnknownObjectException.class).hasMessageContaining("has no column no\\u000ape")
                .hasMessageNotContaining("\n");
    }

    /**
     * Hibernate without a default schema writes {@code nextval('invoice_seq')}: the connection's search_path finds
     * it, and seqguard looks it up the same way, even though its own statements pin the search_path.
     */
    @Test
    void unqualifiedDiscoveredNamesResolveThroughTheApplicationsSearchPath() {
        String role = db.name() + "_app";
        db.createRole(role, null);
        db.execute("DROP SCHEMA IF EXISTS decoy CASCADE", "CREATE SCHEMA decoy",
                "create sequence decoy.order_seq", "create table decoy.orders (id bigint primary key)",
                "GRANT USAGE ON SCHEMA " + SCHEMA + ", decoy TO " + role,
                "GRANT SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA " + SCHEMA + " TO " + role,
                "GRANT SELECT ON ALL TABLES IN SCHEMA " + SCHEMA + " TO " + role,
                "ALTER ROLE " + role + " SET search_path = " + SCHEMA + ", decoy, public");
        List<SequenceMapping> mappings = List.of(entity("order_seq", "orders", "com.acme.Order")
                .allocation(AllocationRule.plain()).build(), entity("missing_seq", "orders", "com.acme.Gone").build());
        AlignmentReport verify = SequenceAligner.configure().dataSource(db.dataSource(role, "unused"))
                .schemas(SCHEMA, "decoy").mappings(mappings).load().verify();
        SequenceReport order = verify.sequences().stream()
                .filter(s -> s.name().equals("order_seq") && !s.schema().equals("decoy")).findFirst().orElseThrow();
        assertThat(order.status()).as("found in the first schema of the path, with its table").isEqualTo(
                SequenceStatus.BEHIND);
        assertThat(order.columns()).singleElement().satisfies(c -> assertThat(c.qualifiedTable())
                .isEqualTo(SCHEMA + ".orders"));
        SequenceReport missing = find(verify, "missing_seq");
        assertThat(missing.schema()).as("where CREATE SEQUENCE would put it").isEqualTo("Orm Schema; DROP TABLE x");
        assertThat(missing.reason()).contains("looked up through the search_path Orm Schema; DROP TABLE x, decoy, "
                + "public");
    }
}
