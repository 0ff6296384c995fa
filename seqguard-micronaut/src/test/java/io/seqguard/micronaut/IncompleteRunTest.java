package io.seqguard.micronaut;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.ApplicationContext;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthResult;
import io.seqguard.GuardOutcome;
import io.seqguard.GuardResult;
import io.seqguard.SequenceReport;
import io.seqguard.SequenceStatus;
import io.seqguard.StartupGuardException;
import io.seqguard.micrometer.SeqguardMeters;
import io.seqguard.test.TestDatabase;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A sequence only application code uses (an invoice number: no column the catalog can tie it to) makes the run
 * incomplete. By default that stops start-up, naming the sequence, why, and the properties that map or acknowledge
 * it; a mapping makes it verifiable, {@code allow-unverified} acknowledges it, {@code on-incomplete=warn} starts with
 * it named in health and counted in a metric. Health is DOWN after a run that refused.
 */
class IncompleteRunTest {

    private static final String ID_SEQUENCE = "\"Invoice Lines; DROP TABLE x_id_seq\"";

    private TestDatabase invoices;

    @BeforeEach
    void database() {
        invoices = TestDatabase.create("micronaut_incomplete");
    }

    @AfterEach
    void drop() {
        invoices.close();
    }

    private Map<String, Object> application(Map<String, Object> seqguard) {
        return TestApps.merge(TestApps.dataSource("default", invoices, "invoice-numbers"), seqguard);
    }

    @Test
    void byDefaultStartUpStopsNamingTheSequenceAndWhatMapsOrAcknowledgesIt() {
        SeqguardStartupException refusal = TestApps.refusal(catchThrowable(
                () -> TestApps.start(application(Map.of())).close()));
        StartupGuardException guard = refusal.getGuardException();
        assertThat(guard.reason()).isEqualTo(StartupGuardException.Reason.INCOMPLETE);
        assertThat(guard.report().unverified()).extracting(SequenceReport::qualifiedName, SequenceReport::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("public.invoice_number_seq",
                        SequenceStatus.NOT_VERIFIABLE));
        assertThat(refusal.getMessage()).contains("seqguard.mappings=public.invoice_number_seq=SCHEMA.TABLE.COLUMN")
                .contains("set seqguard.allow-unverified=public.invoice_number_seq")
                .contains("set seqguard.on-incomplete=warn").doesNotContain("allowUnverified");
        // in repair mode the verifiable sequence was repaired first
        assertThat(TestApps.nextValue(invoices, ID_SEQUENCE)).isEqualTo(4);
        assertThat(TestApps.nextValue(invoices, "invoice_number_seq")).isEqualTo(1);
    }

    /**
     * A table another session keeps locked past the lock timeout leaves its sequence unverified, its rows unread: the
     * refusal says to make it readable, and offers to acknowledge only the sequence no read can verify.
     */
    @Test
    void aSequenceWhoseTableStaysLockedIsNotOfferedToBeAcknowledged() throws Exception {
        // the first start migrates; its refusal is the one above
        TestApps.refusal(catchThrowable(() -> TestApps.start(application(Map.of())).close()));
        try (Connection holder = invoices.dataSource().getConnection(); Statement st = holder.createStatement()) {
            holder.setAutoCommit(false);
            st.execute("LOCK TABLE \"Invoice Lines; DROP TABLE x\" IN ACCESS EXCLUSIVE MODE");
            SeqguardStartupException refusal = TestApps.refusal(catchThrowable(() -> TestApps.start(
                    application(Map.of("seqguard.lock-timeout", "200ms"))).close()));
            holder.rollback();
            assertThat(refusal.getGuardException().unverifiedForWantOfReads()).extracting(SequenceReport::qualifiedName)
                    .containsExactly("public." + ID_SEQUENCE);
            assertThat(refusal.getMessage())
                    .contains("But the data that would verify public." + ID_SEQUENCE + " could not be read")
                    .contains("set seqguard.allow-unverified=public.invoice_number_seq; to start while")
                    .doesNotContain("allow-unverified=public." + ID_SEQUENCE)
                    .doesNotContain("allow-unverified=public.invoice_number_seq,");
        }
    }

    /** The whole message a user reads, word for word; the database's name differs from run to run. */
    @Test
    void theWordingOfARefusal() {
        SeqguardStartupException refusal = TestApps.refusal(catchThrowable(() -> TestApps.start(
                application(Map.of("seqguard.datasources.default.time-limit", "1m"))).close()));
        String expected = """
                Micronaut data source 'default': seqguard startup guard (mode repair) refuses start-up: the run is \
                incomplete. It moved 1 sequence(s) forward first. 1 sequence(s) in database DB could not be \
                verified, so nothing can be said about them:
                  - public.invoice_number_seq (not verifiable): no column uses it (a value handed out by application \
                code?): map it to the column it fills (seqguard.datasources.default.mappings=\
                public.invoice_number_seq=SCHEMA.TABLE.COLUMN), give the old primary as a witness (a \
                SeqguardConfigurationCustomizer bean calling aligner.source(...)), or acknowledge that it is not \
                verified (seqguard.datasources.default.allow-unverified=public.invoice_number_seq)
                Fix each as its line says; a sequence that is knowingly not verified can be acknowledged \
                (seqguard.datasources.default.allow-unverified) or excluded \
                (seqguard.datasources.default.exclude-sequences).
                To go on while some sequences stay unverified, acknowledge them by name \
                (seqguard.datasources.default.allow-unverified), or set seqguard.datasources.default.on-incomplete to \
                warn.
                To acknowledge the ones that are knowingly not verified (a value only application code hands out), \
                set seqguard.datasources.default.allow-unverified=public.invoice_number_seq; to start while they stay \
                unverified (the health endpoint then lists them), set seqguard.datasources.default.on-incomplete=warn.\
                """;
        assertThat(refusal.getMessage()).isEqualTo(expected.replace("DB", invoices.name()));
    }

    @Test
    void aMappingMakesItVerifiable() {
        try (ApplicationContext context = TestApps.start(application(Map.of("seqguard.mappings",
                "invoice_number_seq=\"Invoice Lines; DROP TABLE x\".number")))) {
            GuardResult result = context.getBean(SeqguardRuns.class).latest("default").orElseThrow().result();
            assertThat(result.outcome()).isEqualTo(GuardOutcome.REPAIRED);
            assertThat(TestApps.nextValue(invoices, "invoice_number_seq")).isEqualTo(5004);
        }
    }

    @Test
    void anAcknowledgedSequenceNoLongerStopsStartUp() {
        try (ApplicationContext context = TestApps.start(application(Map.of(
                "seqguard.datasources.default.allow-unverified", "public.invoice_number_seq")))) {
            assertThat(context.getBean(SeqguardRuns.class).latest("default").orElseThrow().result().report()
                    .unverified()).isEmpty();
            assertThat(context.getBean(MeterRegistry.class).get(SeqguardMeters.UNVERIFIED)
                    .tag("datasource", "default").gauge().value()).isZero();
        }
    }

    @Test
    void inWarnModeTheApplicationStartsWithTheSequenceNamedInHealthAndCountedInTheMetric() {
        try (ApplicationContext context = TestApps.start(application(Map.of("seqguard.on-incomplete", "warn")))) {
            GuardResult result = context.getBean(SeqguardRuns.class).latest("default").orElseThrow().result();
            assertThat(result.outcome()).isEqualTo(GuardOutcome.INCOMPLETE_TOLERATED);
            HealthResult health = context.getBean(SeqguardHealthIndicator.class).result();
            assertThat(health.getStatus()).isEqualTo(HealthStatus.UP);
            assertThat(details(health)).containsEntry("verdict", "incomplete")
                    .containsEntry("unverified", List.of("public.invoice_number_seq"));
            assertThat(context.getBean(MeterRegistry.class).get(SeqguardMeters.UNVERIFIED)
                    .tag("datasource", "default").gauge().value()).isEqualTo(1);
        }
    }

    /** The guard run again in a running application, after the database changed: health DOWN, then UP again. */
    @Test
    void healthIsDownAfterARunThatRefused() {
        try (ApplicationContext context = TestApps.start(application(Map.of("seqguard.allow-unverified",
                "public.invoice_number_seq")))) {
            SeqguardHealthIndicator indicator = context.getBean(SeqguardHealthIndicator.class);
            assertThat(indicator.result().getStatus()).isEqualTo(HealthStatus.UP);
            DataSource pool = DelegatingDataSource.unwrapDataSource(context.getBean(DataSource.class));
            SeqguardDataSourceListener listener = context.getBean(SeqguardDataSourceListener.class);

            invoices.execute("CREATE SEQUENCE audit_no_seq");
            assertThatThrownBy(() -> listener.guard("default", pool)).isInstanceOf(SeqguardStartupException.class);
            HealthResult down = indicator.result();
            assertThat(down.getStatus()).isEqualTo(HealthStatus.DOWN);
            assertThat(details(down)).containsEntry("status", "DOWN").containsEntry("reason", "incomplete")
                    .containsEntry("verdict", "incomplete").containsEntry("unverified", List.of("public.audit_no_seq"))
                    .containsKeys("lastRun", "durationMillis", "counts", "error");
            assertThat(context.getBean(MeterRegistry.class).get(SeqguardMeters.UNVERIFIED)
                    .tag("datasource", "default").gauge().value()).isEqualTo(1);

            invoices.execute("DROP SEQUENCE audit_no_seq");
            listener.guard("default", pool);
            assertThat(indicator.result().getStatus()).isEqualTo(HealthStatus.UP);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> details(HealthResult health) {
        return (Map<String, Object>) ((Map<String, Object>) health.getDetails()).get("default");
    }
}
