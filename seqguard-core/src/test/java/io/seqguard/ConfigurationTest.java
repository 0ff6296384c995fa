package io.seqguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seqguard.test.PostgresTest;
import io.seqguard.test.TestDatabase;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bad input fails early, and every message names the property and what to do. */
@PostgresTest
class ConfigurationTest {

    private final TestDatabase db;

    ConfigurationTest(TestDatabase db) {
        this.db = db;
    }

    @Test
    void loadWithoutDataSourceNamesTheProperty() {
        assertThatThrownBy(() -> SequenceAligner.configure().load())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("dataSource");
    }

    @Test
    void settersValidateAndNameTheProperty() {
        AlignerConfiguration c = SequenceAligner.configure();
        assertThatThrownBy(() -> c.margin(-1)).hasMessageContaining("margin");
        assertThatThrownBy(() -> c.jobs(0)).hasMessageContaining("jobs");
        assertThatThrownBy(() -> c.statementTimeout(Duration.ZERO)).hasMessageContaining("statementTimeout");
        assertThatThrownBy(() -> c.lockTimeout(Duration.ofSeconds(-1))).hasMessageContaining("lockTimeout");
        // the server takes whole milliseconds, where 0 means no limit at all
        assertThatThrownBy(() -> c.statementTimeout(Duration.ofNanos(500_000)))
                .hasMessage("statementTimeout: must be between 1 ms and 24 days, was 0.5 ms");
        assertThat(c.statementTimeout(Duration.ofMillis(1))).isSameAs(c);
        assertThatThrownBy(() -> c.capacityWarning(1.5)).hasMessageContaining("capacityWarning");
        assertThatThrownBy(() -> c.schemas("public", " ")).hasMessageContaining("schemas");
        // a name is read as it is set: a typo never waits for the run (a cutover has disabled replication by then)
        assertThatThrownBy(() -> c.excludeTables("a.b.c.d")).hasMessage("excludeTables: 'a.b.c.d' has more than "
                + "three dotted parts");
        assertThatThrownBy(() -> c.excludeSequences("s.\"open")).hasMessage("excludeSequences: 's.\"open' has an "
                + "unclosed double quote");
        assertThat(c.getExcludedTables()).as("a refused list leaves the one before").isEmpty();
    }

    @Test
    void allocationRulesParseAndPrintBack() {
        for (String text : new String[] {"plain", "pooled", "pooled-lo", "hilo:50", "pooled:50", "pooled-lo:20"}) {
            assertThat(AllocationRule.parse(text).toString()).isEqualTo(text);
        }
        assertThat(AllocationRule.parse(" POOLED_LO ")).isEqualTo(AllocationRule.pooledLo());
        assertThat(AllocationRule.parse("Pooled_Lo : 7")).isEqualTo(AllocationRule.pooledLo(7));
        assertThat(AllocationRule.pooled(50)).isNotEqualTo(AllocationRule.pooled());
        assertThat(AllocationRule.pooled(50).blockSize()).isEqualTo(50);
        assertThat(AllocationRule.pooled().blockSize()).as("the increment is the block").isZero();
        assertThatThrownBy(() -> AllocationRule.parse("sometimes"))
                .hasMessageContaining("allocation").hasMessageContaining("pooled-lo");
        assertThatThrownBy(() -> AllocationRule.parse("hilo:x")).hasMessageContaining("hilo:<size>");
        assertThatThrownBy(() -> AllocationRule.parse("hilo")).hasMessageContaining("hilo:<size>");
        assertThatThrownBy(() -> AllocationRule.parse("plain:5")).hasMessageContaining("not an allocation rule");
        assertThatThrownBy(() -> AllocationRule.hilo(0)).hasMessageContaining("block size");
        assertThatThrownBy(() -> AllocationRule.pooled(0)).hasMessageContaining("pooled block size");
    }

    @Test
    void mappingsParseSqlNames() {
        SequenceMapping plain = SequenceMapping.parse("billing.invoice_seq=billing.invoice.number");
        assertThat(plain.sequence()).isEqualTo("billing.invoice_seq");
        assertThat(plain.table()).isEqualTo("\"billing\".\"invoice\"");
        assertThat(plain.column()).isEqualTo("\"number\"");

        SequenceMapping quoted = SequenceMapping.parse("\"My Seq\" -> \"Odd.Schema\".\"T=1\".\"Col\"");
        assertThat(quoted.sequence()).isEqualTo("\"My Seq\"");
        assertThat(quoted.table()).isEqualTo("\"Odd.Schema\".\"T=1\"");
        assertThat(quoted.column()).isEqualTo("\"Col\"");

        assertThatThrownBy(() -> SequenceMapping.parse("just_a_sequence"))
                .hasMessageContaining("SEQUENCE=TABLE.COLUMN");
        assertThatThrownBy(() -> SequenceMapping.parse("s=column_only")).hasMessageContaining("TABLE.COLUMN");
        assertThatThrownBy(() -> SequenceMapping.parse("s=\"open.t.c")).hasMessageContaining("unclosed");
    }

    @Test
    void anUnknownSchemaFailsNamingIt() {
        assertThatThrownBy(() -> SequenceAligner.configure().dataSource(db.dataSource()).schemas("nope").load()
                .verify()).isInstanceOf(SeqguardException.class).hasMessageContaining("schema nope does not exist");
    }

    /** An unquoted name folds to lower case, as in SQL: the schema spelled with capitals is named, quoted. */
    @Test
    void aSchemaNamedWithoutItsQuotesNamesTheQuotedSpelling() {
        db.execute("CREATE SCHEMA IF NOT EXISTS \"Billing EU; x\"");
        assertThatThrownBy(() -> SequenceAligner.configure().dataSource(db.dataSource()).schemas("Billing EU; x")
                .load().verify()).isInstanceOf(UnknownObjectException.class)
                .hasMessageContaining("schema billing eu; x does not exist in this database. This database has "
                        + "\"Billing EU; x\": write the name in double quotes, as SQL does, to keep its case");
        assertThat(SequenceAligner.configure().dataSource(db.dataSource()).schemas("\"Billing EU; x\"").load()
                .verify().sequences()).isEmpty();
    }

    @Test
    void aMappingToSomethingMissingFailsNamingIt() {
        db.execute("CREATE SEQUENCE IF NOT EXISTS public.cfg_seq", "CREATE TABLE IF NOT EXISTS public.cfg_t (n int)");
        assertThatThrownBy(() -> SequenceAligner.configure().dataSource(db.dataSource())
                .map("public.missing_seq", "public.cfg_t", "n").load().verify())
                .isInstanceOf(SeqguardException.class)
                .hasMessageContaining("sequence public.missing_seq does not exist");
        assertThatThrownBy(() -> SequenceAligner.configure().dataSource(db.dataSource())
                .map("public.cfg_seq", "public.nowhere", "n").load().verify())
                .hasMessageContaining("table public.nowhere does not exist");
        assertThatThrownBy(() -> SequenceAligner.configure().dataSource(db.dataSource())
                .map("public.cfg_seq", "public.cfg_t", "nothing").load().verify())
                .hasMessageContaining("has no column nothing");
    }

    /** A mapping to a column no sequence value fits is a configuration mistake, not a sequence to acknowledge. */
    @Test
    void aMappingToAColumnOfAnotherTypeFailsNamingIt() {
        db.execute("CREATE SEQUENCE IF NOT EXISTS public.cfg_seq", "DROP TABLE IF EXISTS public.cfg_typed",
                "DROP DOMAIN IF EXISTS public.cfg_deep, public.cfg_mid, public.\"cfg id\"",
                "CREATE DOMAIN public.\"cfg id\" AS bigint", "CREATE DOMAIN public.cfg_mid AS public.\"cfg id\"",
                "CREATE DOMAIN public.cfg_deep AS public.cfg_mid",
                "CREATE TABLE public.cfg_typed (label text, no public.\"cfg id\", amount numeric, "
                        + "deep public.cfg_deep)");
        assertThatThrownBy(() -> SequenceAligner.configure().dataSource(db.dataSource())
                .map("public.cfg_seq", "public.cfg_typed", "label").load().verify())
                .isInstanceOf(UnknownObjectException.class)
                .hasMessageContaining("mappings: 'public.cfg_seq=public.cfg_typed.label': column label of table "
                        + "public.cfg_typed is of type text, which holds no sequence's values: map the sequence to "
                        + "the integer column it fills.");
        // a domain over an integer type however deep (here three levels), and numeric, hold them
        for (String column : List.of("no", "deep", "amount")) {
            assertThat(SequenceAligner.configure().dataSource(db.dataSource()).schemas("public")
                    .map("public.cfg_seq", "public.cfg_typed", column).load().verify().sequences())
                    .filteredOn(s -> s.name().equals("cfg_seq")).singleElement()
                    .satisfies(s -> assertThat(s.status()).isEqualTo(SequenceStatus.EMPTY));
        }
    }

    @Test
    void exclusionsAreReportedAsSkipped() {
        db.execute("CREATE TABLE IF NOT EXISTS public.ex_t (id serial PRIMARY KEY)",
                "INSERT INTO public.ex_t VALUES (9)");
        AlignmentReport report = SequenceAligner.configure().dataSource(db.dataSource()).schemas("public")
                .excludeSequences("public.ex_t_id_seq").load().verify();
        SequenceReport excluded = report.sequences().stream().filter(s -> s.name().equals("ex_t_id_seq"))
                .findFirst().orElseThrow();
        assertThat(excluded.status()).isEqualTo(SequenceStatus.SKIPPED);
        assertThat(excluded.reason()).contains("excludeSequences");

        AlignmentReport byTable = SequenceAligner.configure().dataSource(db.dataSource()).schemas("public")
                .excludeTables("public.ex_t").load().repair();
        SequenceReport tableExcluded = byTable.sequences().stream().filter(s -> s.name().equals("ex_t_id_seq"))
                .findFirst().orElseThrow();
        assertThat(tableExcluded.status()).isEqualTo(SequenceStatus.SKIPPED);
        assertThat(tableExcluded.reason()).contains("excludeTables");
        assertThat(tableExcluded.columns()).singleElement()
                .satisfies(c -> assertThat(c.note()).contains("excludeTables"));
        assertThat(tableExcluded.action()).isEqualTo(RepairAction.NONE);
    }

    @Test
    void anExcludedParentTakesItsPartitionsWithItAndAnExcludedPartitionStillCountsThroughItsParent() {
        db.execute("CREATE TABLE public.\"Ex Parts; x\" (id bigserial, day date NOT NULL) PARTITION BY RANGE (day)",
                "CREATE TABLE public.ex_parts_2024 PARTITION OF public.\"Ex Parts; x\" FOR VALUES FROM "
                        + "('2024-01-01') TO ('2025-01-01')",
                "CREATE TABLE public.ex_parts_2025 PARTITION OF public.\"Ex Parts; x\" FOR VALUES FROM "
                        + "('2025-01-01') TO ('2026-01-01')",
                "INSERT INTO public.\"Ex Parts; x\" VALUES (100, '2024-06-01'), (5000, '2025-06-01')");
        AlignmentReport parentExcluded = SequenceAligner.configure().dataSource(db.dataSource()).schemas("public")
                .excludeTables("public.\"Ex Parts; x\"").load().verify();
        SequenceReport skipped = find(parentExcluded, "Ex Parts; x_id_seq");
        assertThat(skipped.status()).as("the partitions are not read on their own").isEqualTo(SequenceStatus.SKIPPED);
        assertThat(skipped.columns()).filteredOn(c -> c.table().equals("ex_parts_2025")).singleElement()
                .satisfies(c -> assertThat(c.note()).contains("excluded with its parent table public.\"Ex Parts; x\""));

        AlignmentReport partitionExcluded = SequenceAligner.configure().dataSource(db.dataSource())
                .schemas("public").excludeTables("public.ex_parts_2025").load().verify();
        SequenceReport counted = find(partitionExcluded, "Ex Parts; x_id_seq");
        assertThat(counted.status()).isEqualTo(SequenceStatus.BEHIND);
        assertThat(counted.dataBound()).as("the parent's max() sees the partition's rows").isEqualTo(5000L);
        assertThat(counted.columns()).filteredOn(c -> c.table().equals("ex_parts_2025")).singleElement()
                .satisfies(c -> assertThat(c.note()).contains("but its rows still count")
                        .contains("exclude the parent to leave them out"));
    }

    private static SequenceReport find(AlignmentReport report, String name) {
        return report.sequences().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }
}
