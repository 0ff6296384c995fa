package io.seqguard.micronaut;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.micronaut.context.ApplicationContext;
import io.seqguard.AllocationRule;
import io.seqguard.AllocationSource;
import io.seqguard.ColumnSource;
import io.seqguard.GuardResult;
import io.seqguard.SequenceReport;
import io.seqguard.SequenceStatus;
import io.seqguard.micronaut.ledger.ArchivedEntry;
import io.seqguard.micronaut.ledger.LedgerEntry;
import io.seqguard.micronaut.ledger.LedgerWrites;
import io.seqguard.micronaut.ledger.OrderLine;
import io.seqguard.test.TestDatabase;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Micronaut Data JDBC entities with {@code @GeneratedValue(GeneratedValue.Type.SEQUENCE)}, on two data sources whose
 * Flyway scripts are what Micronaut Data's schema generator writes (the sequence on its own: no {@code OWNED BY}, no
 * {@code DEFAULT}), with rows loaded with their ids. No seqguard property: the repositories' entities are all the guard
 * needs, each on its repository's data source.
 */
class DataJdbcSequenceTest {

    private static Map<String, Object> application(TestDatabase ledger, TestDatabase archive, Object... more) {
        Map<String, Object> properties = TestApps.merge(TestApps.dataSource("ledger", ledger, "ledger"),
                TestApps.dataSource("archive", archive, "archive"), Map.of(LedgerWrites.ENABLED, "true"));
        for (int i = 0; i < more.length; i += 2) {
            properties.put((String) more[i], more[i + 1]);
        }
        return properties;
    }

    @Test
    void everyStartUpWriteThroughARepositoryGetsAFreeId() {
        try (TestDatabase ledger = TestDatabase.create("micronaut_jdbc_ledger");
                TestDatabase archive = TestDatabase.create("micronaut_jdbc_archive");
                ApplicationContext context = TestApps.start(application(ledger, archive))) {
            List<Long> ids = context.getBean(LedgerWrites.class).ids();
            // entry, order line, archived entry; from @PostConstruct, then from the StartupEvent listener
            assertThat(ids).containsExactly(121L, 8L, 31L, 122L, 9L, 32L);

            SeqguardRuns runs = context.getBean(SeqguardRuns.class);
            GuardResult onLedger = runs.latest("ledger").orElseThrow().result();
            assertThat(onLedger.report().unverified()).isEmpty();
            assertThat(onLedger.repaired()).extracting(SequenceReport::name)
                    .containsExactlyInAnyOrder("ledger_entry_seq", "Order Lines; DROP TABLE x_seq");
            SequenceReport entries = sequence(onLedger, "ledger_entry_seq");
            assertThat(entries.allocation()).isEqualTo(AllocationRule.plain());
            assertThat(entries.allocationSource()).isEqualTo(AllocationSource.ENTITY);
            assertThat(entries.columns()).singleElement().satisfies(column -> {
                assertThat(column.sources()).containsExactly(ColumnSource.ENTITY);
                assertThat(column.entities()).containsExactly(LedgerEntry.class.getName());
            });
            assertThat(sequence(onLedger, "Order Lines; DROP TABLE x_seq").columns()).singleElement()
                    .satisfies(column -> assertThat(column.entities()).containsExactly(OrderLine.class.getName()));
            // the archive's entity is looked for in the archive only
            assertThat(onLedger.report().sequences()).extracting(SequenceReport::name)
                    .doesNotContain("archived_entry_seq");

            GuardResult onArchive = runs.latest("archive").orElseThrow().result();
            assertThat(onArchive.report().unverified()).isEmpty();
            assertThat(onArchive.report().sequences()).extracting(SequenceReport::name)
                    .containsExactly("archived_entry_seq");
            assertThat(sequence(onArchive, "archived_entry_seq").schema()).isEqualTo("archive");
            assertThat(sequence(onArchive, "archived_entry_seq").columns()).singleElement().satisfies(column -> {
                assertThat(column.qualifiedTable()).isEqualTo("archive.archived_entry");
                assertThat(column.entities()).containsExactly(ArchivedEntry.class.getName());
            });
            assertThat(ledger.queryForLong("SELECT count(*) FROM pg_class WHERE relname = 'x'"))
                    .as("the hostile name was never SQL").isZero();
        }
    }

    @Test
    void withTheGuardOffTheSameWritesFail() {
        try (TestDatabase ledger = TestDatabase.create("micronaut_jdbc_ledger_off");
                TestDatabase archive = TestDatabase.create("micronaut_jdbc_archive_off")) {
            Throwable thrown = catchThrowable(() -> TestApps.start(application(ledger, archive,
                    "seqguard.enabled", false)).close());
            assertThat(thrown).hasStackTraceContaining("duplicate key value violates unique constraint");
            assertThat(TestApps.sqlCause(thrown).getSQLState()).isEqualTo("23505");
            assertThat(ledger.queryForLong("SELECT count(*) FROM ledger_entry")).isEqualTo(120);
        }
    }

    @Test
    void inVerifyModeTheLaggingEntitySequenceStopsStartUpBeforeAnyWrite() {
        try (TestDatabase ledger = TestDatabase.create("micronaut_jdbc_ledger_verify");
                TestDatabase archive = TestDatabase.create("micronaut_jdbc_archive_verify")) {
            Throwable thrown = catchThrowable(() -> TestApps.start(application(ledger, archive,
                    "seqguard.mode", "verify")).close());
            SeqguardStartupException refusal = TestApps.refusal(thrown);
            assertThat(refusal.getGuardException().report().withStatus(SequenceStatus.BEHIND))
                    .extracting(SequenceReport::name).contains("ledger_entry_seq");
            assertThat(refusal.getMessage()).contains("public.ledger_entry_seq: next value 1, but max in use is 120");
            assertThat(ledger.queryForLong("SELECT count(*) FROM ledger_entry")).isEqualTo(120);
        }
    }

    private static SequenceReport sequence(GuardResult result, String name) {
        return result.report().sequences().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }
}
