package io.seqguard.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.MeterRegistry;
import io.seqguard.GuardOutcome;
import io.seqguard.GuardResult;
import io.seqguard.SequenceReport;
import io.seqguard.micrometer.SeqguardMeters;
import io.seqguard.spring.boot.actuate.SeqguardHealthIndicator;
import io.seqguard.spring.boot.app.AuditLog;
import io.seqguard.spring.boot.app.ShopApplication;
import io.seqguard.spring.boot.app.StartUpWrites;
import io.seqguard.spring.boot.autoconfigure.SeqguardResults;
import io.seqguard.test.TestDatabase;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A real Spring Boot application on real PostgreSQL, the way a user meets a cutover: Flyway creates the schema and
 * loads the old primary's rows with their ids (as replication does), then the application writes at start-up through
 * a JPA entity with a pooled sequence generator ({@code allocationSize = 50}), an identity entity and JdbcTemplate.
 * The invoice sequence is written as Hibernate's schema export writes it (no {@code OWNED BY}, no default): the
 * entity's metadata ties it to its column (the ORM step), and so does {@code seqguard.mappings} where configured.
 * With the starter it works; the same application with {@code seqguard.enabled=false} fails on its first insert; in
 * verify mode, or with a misspelt property, it refuses to start with Spring Boot's failure analysis.
 */
@ExtendWith(OutputCaptureExtension.class)
class SeqguardApplicationTests {

    @Test
    void withTheStarterTheApplicationsFirstWritesSucceed() {
        try (TestDatabase db = TestDatabase.create("shop");
                ConfigurableApplicationContext context = start(db)) {
            // 1000 invoices were replicated: the pooled optimizer's first block must start above them
            assertThat(context.getBean(StartUpWrites.class).invoiceIds()).containsExactly(1001L, 1002L);
            assertThat(context.getBean(StartUpWrites.class).customerIds()).containsExactly(301L);
            // the first write happened while the context was starting, the second from the runner
            assertThat(context.getBean(AuditLog.class).ids()).containsExactly(43L, 44L);

            GuardResult result = context.getBean(SeqguardResults.class).get("dataSource").orElseThrow();
            assertThat(result.outcome()).isEqualTo(GuardOutcome.REPAIRED);
            assertThat(result.repaired()).extracting(SequenceReport::displayName).containsExactlyInAnyOrder(
                    "public.invoice_seq", "public.customer_id_seq", "public.audit_event_id_seq");

            // actuator: health and meters
            assertThat(context.getBean(SeqguardHealthIndicator.class).health().getStatus()).isEqualTo(Status.UP);
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.get(SeqguardMeters.SEQUENCES).tag("status", "aligned").gauge().value()).isEqualTo(3);
        }
    }

    @Test
    void withoutTheGuardTheFirstInsertFails() {
        try (TestDatabase db = TestDatabase.create("unguarded")) {
            assertThatThrownBy(() -> start(db, "--seqguard.enabled=false").close())
                    .hasRootCauseMessage("ERROR: duplicate key value violates unique constraint \"audit_event_pkey\"\n"
                            + "  Detail: Key (id)=(1) already exists.");
            // and it is the very first insert: nothing was written
            assertThat(db.queryForLong("SELECT count(*) FROM audit_event")).isEqualTo(42);
        }
    }

    @Test
    void inVerifyModeADriftedDatabaseStopsStartUpWithAFailureAnalysis(CapturedOutput output) {
        try (TestDatabase db = TestDatabase.create("verify")) {
            assertThatThrownBy(() -> start(db, "--seqguard.mode=verify").close()).isNotNull();
            assertThat(output).contains("APPLICATION FAILED TO START")
                    .contains("seqguard's startup guard refused start-up on DataSource 'dataSource' (" + db.jdbcUrl()
                            + ")")
                    .contains("3 sequence(s) in database " + db.name() + " would hand out ids that already exist")
                    .contains("public.invoice_seq: next value 1, but max in use is 1000 (needs at least 1050)")
                    .contains("public.customer_id_seq: next value 1, but max in use is 300")
                    .contains("public.audit_event_id_seq: next value 1, but max in use is 42")
                    .contains("Statements that fix it").contains("setval(")
                    .contains("set seqguard.mode=repair (for this DataSource only: "
                            + "seqguard.datasources.dataSource.mode=repair)")
                    .contains("java -jar seqguard.jar repair --url " + db.jdbcUrl() + " --user "
                            + db.server().superuser());
            assertThat(db.queryForLong("SELECT nextval('invoice_seq')")).isEqualTo(1);
        }
    }

    /**
     * Without the mapping, the ORM step ties Hibernate's sequence to its column from the entity's metadata, with the
     * entity's pooled block of 50: the application starts and writes, no property needed.
     */
    @Test
    void withoutAMappingTheEntityTiesHibernatesSequenceToItsColumn() {
        try (TestDatabase db = TestDatabase.create("unmapped");
                ConfigurableApplicationContext context = start(db, List.of())) {
            assertThat(context.getBean(StartUpWrites.class).invoiceIds()).containsExactly(1001L, 1002L);
            SequenceReport invoice = context.getBean(SeqguardResults.class).get("dataSource").orElseThrow().report()
                    .sequences().stream().filter(s -> s.name().equals("invoice_seq")).findFirst().orElseThrow();
            assertThat(invoice.allocation()).isEqualTo(io.seqguard.AllocationRule.pooled(50));
            assertThat(invoice.allocationSource()).isEqualTo(io.seqguard.AllocationSource.ENTITY);
        }
    }

    /**
     * What a user sees for the bad configurations, through Spring Boot's whole failure reporting: seqguard's
     * analysis (not Spring Boot's generic one for a value it cannot convert), and nothing repaired.
     */
    @Test
    void badConfigurationStopsStartUpWithSeqguardsAnalysisAndNothingRepaired(CapturedOutput output) {
        try (TestDatabase db = TestDatabase.create("badconfig")) {
            assertThatThrownBy(() -> start(db, "--seqguard.jobs=two").close()).isNotNull();
            assertThat(output).contains("APPLICATION FAILED TO START")
                    .contains("seqguard.jobs: 'two' is not a whole number (\"seqguard.jobs\" from property source "
                            + "\"commandLineArgs\").")
                    .contains("Change seqguard.jobs. jobs: Connections used in parallel");
            assertThatThrownBy(() -> start(db, "--seqguard.datasources.defualt.mode=verify").close()).isNotNull();
            assertThat(output).contains("seqguard.datasources.defualt (property source 'commandLineArgs'): there is no "
                    + "DataSource bean named 'defualt'.")
                    .contains("Use one of this application's DataSource beans: [dataSource].");
            // Flyway ran (the guard comes after it), the guard did not
            assertThat(db.queryForLong("SELECT count(*) FROM invoice")).isEqualTo(1000);
            assertThat(db.queryForLong("SELECT nextval('customer_id_seq')")).isEqualTo(1);
        }
    }

    @Test
    void aSecondStartFindsEverythingAligned() {
        try (TestDatabase db = TestDatabase.create("restart")) {
            start(db).close();
            try (ConfigurableApplicationContext context = start(db)) {
                GuardResult result = context.getBean(SeqguardResults.class).get("dataSource").orElseThrow();
                assertThat(result.outcome()).isEqualTo(GuardOutcome.ALIGNED);
                assertThat(context.getBean(StartUpWrites.class).invoiceIds()).containsExactly(1051L, 1052L);
            }
        }
    }

    /** The shop as configured: the mapping tells seqguard which column Hibernate's invoice_seq feeds. */
    private static ConfigurableApplicationContext start(TestDatabase db, String... extra) {
        return start(db, List.of("--seqguard.mappings=invoice_seq=invoice.id"), extra);
    }

    private static ConfigurableApplicationContext start(TestDatabase db, List<String> seqguard, String... extra) {
        List<String> args = new ArrayList<>(seqguard);
        args.addAll(Arrays.asList(extra));
        return new SpringApplicationBuilder(ShopApplication.class).web(WebApplicationType.NONE)
                .run(Databases.shopArguments(db, args));
    }
}
