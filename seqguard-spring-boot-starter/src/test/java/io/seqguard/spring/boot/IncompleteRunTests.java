package io.seqguard.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.MeterRegistry;
import io.seqguard.GuardOutcome;
import io.seqguard.GuardResult;
import io.seqguard.SequenceReport;
import io.seqguard.SequenceStatus;
import io.seqguard.StartupGuardException;
import io.seqguard.micrometer.SeqguardMeters;
import io.seqguard.spring.boot.actuate.SeqguardHealthIndicator;
import io.seqguard.spring.boot.autoconfigure.SeqguardAutoConfiguration;
import io.seqguard.spring.boot.autoconfigure.SeqguardHealthContributorAutoConfiguration;
import io.seqguard.spring.boot.autoconfigure.SeqguardInitializer;
import io.seqguard.spring.boot.autoconfigure.SeqguardMetricsAutoConfiguration;
import io.seqguard.spring.boot.autoconfigure.SeqguardResults;
import io.seqguard.spring.boot.autoconfigure.SeqguardStartupException;
import io.seqguard.test.TestDatabase;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * A sequence the guard cannot verify (here: one that only application code uses, as an invoice number is) makes the
 * run incomplete. By default that stops start-up in either mode; {@code allow-unverified} acknowledges it,
 * {@code on-incomplete=warn} lets the application start with the sequence named in the health details and counted in
 * a metric. Health is DOWN after a run that refused, also one run again in a running application.
 */
@ExtendWith(OutputCaptureExtension.class)
class IncompleteRunTests {

    private TestDatabase db;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, SeqguardAutoConfiguration.class,
                    SeqguardHealthContributorAutoConfiguration.class, SeqguardMetricsAutoConfiguration.class,
                    MetricsAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class));

    @BeforeEach
    void database() {
        db = TestDatabase.create("incomplete");
        Databases.laggingTable(db, "orders", 30);
        db.execute("CREATE SEQUENCE \"Invoice No; DROP TABLE x\"");
    }

    @AfterEach
    void drop() {
        db.close();
    }

    private ApplicationContextRunner app(String... properties) {
        return runner.withPropertyValues(Databases.springDataSource(db)).withPropertyValues(properties);
    }

    @Test
    void byDefaultAnIncompleteRunStopsStartUpInRepairModeAfterRepairingWhatItCould() {
        app().run(context -> {
            assertThat(context).hasFailed();
            SeqguardStartupException failure = Causes.find(context.getStartupFailure(),
                    SeqguardStartupException.class);
            StartupGuardException refusal = failure.getGuardException();
            assertThat(refusal.reason()).isEqualTo(StartupGuardException.Reason.INCOMPLETE);
            assertThat(refusal.report().unverified()).extracting(SequenceReport::qualifiedName)
                    .containsExactly("public.\"Invoice No; DROP TABLE x\"");
            assertThat(refusal.report().unverified()).extracting(SequenceReport::status)
                    .containsExactly(SequenceStatus.NOT_VERIFIABLE);
        });
        assertThat(db.queryForLong("SELECT nextval('orders_id_seq')")).isEqualTo(31);
    }

    @Test
    void inVerifyModeToo() {
        db.execute("SELECT setval('orders_id_seq', 30)");
        app("seqguard.mode=verify").run(context -> {
            assertThat(context).hasFailed();
            assertThat(Causes.find(context.getStartupFailure(),
                    StartupGuardException.class).reason()).isEqualTo(StartupGuardException.Reason.INCOMPLETE);
        });
    }

    /** The acknowledgement the failure analysis proposes, written as it proposes it, lets the application start. */
    @Test
    void anAcknowledgedSequenceNoLongerStopsStartUp() {
        app("seqguard.allow-unverified=public.\"Invoice No; DROP TABLE x\"").run(context -> {
            assertThat(context).hasNotFailed();
            GuardResult result = context.getBean(SeqguardResults.class).get("dataSource").orElseThrow();
            assertThat(result.outcome()).isEqualTo(GuardOutcome.REPAIRED);
            assertThat(result.report().unverified()).isEmpty();
            assertThat(context.getBean(MeterRegistry.class).get(SeqguardMeters.UNVERIFIED)
                    .tag("datasource", "dataSource").gauge().value()).isZero();
        });
    }

    /**
     * A sequence whose table the application's role may not read, acknowledged by name anyway: the application starts
     * (the user chose to), but every start says at WARN that its data may be ahead of it, and the summary counts it.
     */
    @Test
    void anAcknowledgedSequenceWhoseTableTheRoleMayNotReadIsWarnedOf(CapturedOutput output) {
        String role = db.name() + "_no_orders";
        db.createRole(role, "secret");
        db.execute("GRANT SELECT ON SEQUENCE orders_id_seq, \"Invoice No; DROP TABLE x\" TO " + role);
        app("spring.datasource.username=" + role, "spring.datasource.password=secret", "seqguard.mode=verify",
                "seqguard.allow-unverified=all,public.orders_id_seq").run(context -> {
                    assertThat(context).hasNotFailed();
                    GuardResult result = context.getBean(SeqguardResults.class).get("dataSource").orElseThrow();
                    assertThat(result.report().sequences()).filteredOn(SequenceReport::acknowledged)
                            .extracting(SequenceReport::name, SequenceReport::dataUnread).containsExactlyInAnyOrder(
                                    org.assertj.core.groups.Tuple.tuple("Invoice No; DROP TABLE x", false),
                                    org.assertj.core.groups.Tuple.tuple("orders_id_seq", true));
                });
        assertThat(output).contains("WARN").contains("1 sequence(s) acknowledged with seqguard.allow-unverified "
                + "although their data could not be read, so they may be behind it: public.orders_id_seq (no "
                + "privilege)").contains("aligned (2 sequences acknowledged as not verified)");
    }

    @Test
    void aDataSourcesOwnAcknowledgementAndItsWordsInTheMessage() {
        app("seqguard.datasources.dataSource.on-incomplete=fail").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining(
                    "seqguard.datasources.dataSource.allow-unverified");
        });
        app("seqguard.datasources.dataSource.allow-unverified=all").run(context -> {
            assertThat(context).hasNotFailed();
            // acknowledged, it does not stop start-up, but health still names what was not verified
            @SuppressWarnings("unchecked")
            Map<String, Object> details = (Map<String, Object>) context.getBean(SeqguardHealthIndicator.class)
                    .health().getDetails().get("dataSource");
            assertThat(details).containsEntry("verdict", "aligned").doesNotContainKey("unverified")
                    .containsEntry("acknowledged", List.of("public.\"Invoice No; DROP TABLE x\""));
        });
    }

    @Test
    void inWarnModeTheApplicationStartsWithTheSequenceNamedInHealthAndCountedInTheMetric() {
        app("seqguard.on-incomplete=warn").run(context -> {
            assertThat(context).hasNotFailed();
            GuardResult result = context.getBean(SeqguardResults.class).get("dataSource").orElseThrow();
            assertThat(result.outcome()).isEqualTo(GuardOutcome.INCOMPLETE_TOLERATED);
            Health health = context.getBean(SeqguardHealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            @SuppressWarnings("unchecked")
            Map<String, Object> details = (Map<String, Object>) health.getDetails().get("dataSource");
            assertThat(details).containsEntry("verdict", "incomplete")
                    .containsEntry("unverified", List.of("public.\"Invoice No; DROP TABLE x\""));
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.get(SeqguardMeters.UNVERIFIED).tag("datasource", "dataSource").gauge().value())
                    .isEqualTo(1);
            assertThat(registry.get(SeqguardMeters.SEQUENCES).tag("status", "not_verifiable").gauge().value())
                    .isEqualTo(1);
        });
    }

    /**
     * A running application whose guard is run again, after the database changed: health turns DOWN with the
     * refusal's reason, the unverified sequences and the message; the metric counts them.
     */
    @Test
    void healthIsDownAfterARunThatRefused() {
        app("seqguard.allow-unverified=public.\"Invoice No; DROP TABLE x\"").run(context -> {
            assertThat(context).hasNotFailed();
            SeqguardHealthIndicator indicator = context.getBean(SeqguardHealthIndicator.class);
            assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);

            db.execute("CREATE SEQUENCE audit_no_seq");
            assertThatThrownBy(() -> context.getBean(SeqguardInitializer.class).run())
                    .isInstanceOf(SeqguardStartupException.class);
            Health incomplete = indicator.health();
            assertThat(incomplete.getStatus()).isEqualTo(Status.DOWN);
            @SuppressWarnings("unchecked")
            Map<String, Object> details = (Map<String, Object>) incomplete.getDetails().get("dataSource");
            assertThat(details).containsEntry("status", "DOWN").containsEntry("reason", "incomplete")
                    .containsEntry("verdict", "incomplete").containsEntry("unverified", List.of("public.audit_no_seq"))
                    .containsKeys("durationMillis", "counts", "error");
            assertThat(context.getBean(MeterRegistry.class).get(SeqguardMeters.UNVERIFIED).gauge().value())
                    .isEqualTo(1);

            // a later run that passes replaces the refusal
            db.execute("DROP SEQUENCE audit_no_seq");
            context.getBean(SeqguardInitializer.class).run();
            assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
            assertThat(context.getBean(SeqguardResults.class).getFailures()).isEmpty();
        });
    }
}
