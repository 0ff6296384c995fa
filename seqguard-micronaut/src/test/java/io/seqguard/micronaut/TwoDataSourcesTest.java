package io.seqguard.micronaut;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.micronaut.context.ApplicationContext;
import io.seqguard.GuardMode;
import io.seqguard.GuardOutcome;
import io.seqguard.GuardResult;
import io.seqguard.SequenceReport;
import io.seqguard.SequenceStatus;
import io.seqguard.StartupGuardException;
import io.seqguard.test.TestDatabase;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Two data sources configured differently: {@code default} repairs, {@code reporting} only verifies. */
class TwoDataSourcesTest {

    private static Map<String, Object> application(TestDatabase books, TestDatabase invoices, String migrations) {
        return TestApps.merge(
                TestApps.dataSource("default", books, "books"),
                TestApps.dataSource("reporting", invoices, migrations),
                Map.of("seqguard.datasources.default.mode", "repair",
                        "seqguard.datasources.reporting.mode", "verify"));
    }

    @Test
    void eachDataSourceIsGuardedAsConfigured() {
        try (TestDatabase books = TestDatabase.create("micronaut_two_books");
                TestDatabase invoices = TestDatabase.create("micronaut_two_invoices");
                ApplicationContext context = TestApps.start(application(books, invoices, "invoices-aligned"))) {
            SeqguardRuns runs = context.getBean(SeqguardRuns.class);
            assertThat(runs.latest()).containsOnlyKeys("default", "reporting");

            GuardResult repaired = runs.latest("default").orElseThrow().result();
            assertThat(repaired.applied()).isEqualTo(GuardMode.REPAIR);
            assertThat(repaired.outcome()).isEqualTo(GuardOutcome.REPAIRED);
            assertThat(repaired.database()).isEqualTo(books.name());
            assertThat(TestApps.nextValue(books, "book_id_seq")).isEqualTo(4);

            GuardResult verified = runs.latest("reporting").orElseThrow().result();
            assertThat(verified.applied()).isEqualTo(GuardMode.VERIFY);
            assertThat(verified.outcome()).isEqualTo(GuardOutcome.ALIGNED);
            assertThat(verified.database()).isEqualTo(invoices.name());
            assertThat(verified.repaired()).isEmpty();
            assertThat(TestApps.nextValue(invoices, "invoice_id_seq")).isEqualTo(3);
        }
    }

    @Test
    void verifyModeFailureStopsStartUpNamingTheSequenceAndTheFix() {
        try (TestDatabase books = TestDatabase.create("micronaut_two_books");
                TestDatabase invoices = TestDatabase.create("micronaut_two_invoices")) {
            Throwable thrown = catchThrowable(() -> TestApps.start(
                    application(books, invoices, "invoices-lagging")).close());

            assertThat(thrown).as("start-up fails").isNotNull();
            SeqguardStartupException refusal = TestApps.refusal(thrown);
            assertThat(refusal.getDataSourceName()).isEqualTo("reporting");
            assertThat(refusal.getGuardException().reason()).isEqualTo(StartupGuardException.Reason.DRIFT);
            assertThat(refusal.getGuardException().report().withStatus(SequenceStatus.BEHIND))
                    .extracting(SequenceReport::displayName).containsExactly("public.invoice_id_seq");
            assertThat(refusal.getMessage())
                    .startsWith("Micronaut data source 'reporting': ")
                    .contains("(mode verify) refuses start-up")
                    .contains("public.invoice_id_seq: next value 1, but max in use is 11")
                    .contains("Fix: run the application with seqguard.datasources.reporting.mode=repair")
                    .contains("setval");
            // what the application shows the person who starts it carries the same text
            assertThat(thrown.getMessage()).contains("public.invoice_id_seq");
            // verify changes nothing
            assertThat(TestApps.nextValue(invoices, "invoice_id_seq")).isEqualTo(1);
        }
    }
}
