package io.seqguard.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.seqguard.AlignmentReport;
import io.seqguard.AllocationRule;
import io.seqguard.ColumnSource;
import io.seqguard.FedColumn;
import io.seqguard.GuardMode;
import io.seqguard.Operation;
import io.seqguard.RepairAction;
import io.seqguard.SequenceReport;
import io.seqguard.SequenceStatus;
import io.seqguard.StartupGuardException;
import io.seqguard.Witness;
import io.seqguard.StartupGuardException.Reason;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.io.support.SpringFactoriesLoader;

/** What Spring Boot prints when the guard refuses start-up, for each reason. */
class SeqguardFailureAnalyzerTests {

    private static final String URL = "jdbc:postgresql://db.example:5432/shop";

    private final SeqguardFailureAnalyzer analyzer = new SeqguardFailureAnalyzer();

    @Test
    void isRegisteredAsAFailureAnalyzer() {
        // other analyzers need Spring Boot's arguments: skip those that cannot be made here
        assertThat(SpringFactoriesLoader.forDefaultResourceLocation(getClass().getClassLoader())
                .load(FailureAnalyzer.class, null, (type, name, failure) -> { }))
                .hasAtLeastOneElementOfType(SeqguardFailureAnalyzer.class);
    }

    @Test
    void driftInVerifyModeNamesTheSequencesThePropertyAndTheCommand() {
        AlignmentReport report = report(Operation.PLAN, AllocationRule.pooled(),
                sequence("orders_id_seq", "orders", 1, 1L, 1200L, 1201L, SequenceStatus.BEHIND, RepairAction.PLANNED),
                sequence("counter_seq", "counter", 1, 33000L, 32767L, null, SequenceStatus.EXHAUSTED,
                        RepairAction.NONE));
        FailureAnalysis analysis = analyze(Reason.DRIFT, GuardMode.VERIFY, report);
        assertThat(analysis.getDescription())
                .startsWith("seqguard's startup guard refused start-up on DataSource 'ordersDataSource' (" + URL + ")")
                .contains("2 sequence(s) in database shop lag their data")
                .contains("- public.orders_id_seq (feeds public.orders.id): next value 1, max in use 1200, needs at "
                        + "least 1201")
                .contains("- public.counter_seq (feeds public.counter.id): exhausted, the data needs 32768")
                .contains("Statements that fix it").contains("SELECT setval('public.orders_id_seq', 1200, true)");
        assertThat(analysis.getAction())
                .contains("set seqguard.mode=repair (for this DataSource only: "
                        + "seqguard.datasources.ordersDataSource.mode=repair)")
                .contains("java -jar seqguard.jar repair --url " + URL + " --user app")
                .contains("ALTER SEQUENCE ... AS bigint").contains("seqguard.exclude-sequences")
                .doesNotContain("seqguard.allocation").doesNotContain("enabled=false");
        assertThat(analysis.getCause()).isInstanceOf(StartupGuardException.class);
    }

    @Test
    void driftOnlyUnderThePooledRuleMentionsTheAllocationRule() {
        AlignmentReport report = report(Operation.PLAN, AllocationRule.pooled(),
                sequence("invoice_seq", "invoice", 50, 1010L, 1000L, 1050L, SequenceStatus.BEHIND,
                        RepairAction.PLANNED));
        assertThat(analyze(Reason.DRIFT, GuardMode.VERIFY, report).getAction())
                .contains("seqguard.allocation=plain|pooled-lo|hilo:<block size>");
    }

    @Test
    void exhaustedInRepairModeDoesNotSuggestRepairMode() {
        AlignmentReport report = report(Operation.REPAIR, AllocationRule.pooled(),
                sequence("counter_seq", "counter", 1, 33000L, 32767L, null, SequenceStatus.EXHAUSTED,
                        RepairAction.NONE));
        FailureAnalysis analysis = analyze(Reason.DRIFT, GuardMode.REPAIR, report);
        assertThat(analysis.getAction()).doesNotContain("seqguard.mode=repair").contains("ALTER SEQUENCE");
    }

    @Test
    void eachOtherReasonPointsAtItsProperty() {
        assertThat(analyze(Reason.STANDBY, GuardMode.REPAIR, null).getAction()).contains("seqguard.on-standby=")
                .contains("seqguard.datasources.ordersDataSource.on-standby=");
        assertThat(analyze(Reason.SUBSCRIPTION, GuardMode.REPAIR, null).getAction())
                .contains("ALTER SUBSCRIPTION ... DISABLE").contains("seqguard.on-enabled-subscription=");
        assertThat(analyze(Reason.LOCK_TIMEOUT, GuardMode.REPAIR, null).getAction())
                .contains("seqguard.lock-wait-timeout=");
        assertThat(analyze(Reason.TIME_LIMIT, GuardMode.REPAIR, null).getAction()).contains("seqguard.time-limit=");
        assertThat(analyze(Reason.DATABASE_ERROR, GuardMode.REPAIR, null).getAction())
                .contains("spring.datasource.*").contains("seqguard.datasources.ordersDataSource.enabled=false");
        assertThat(analyze(Reason.REPAIR_FAILED, GuardMode.REPAIR, null).getAction()).contains("GRANT UPDATE")
                .contains("(app)");
        // without a report the guard's own message is the description
        assertThat(analyze(Reason.LOCK_TIMEOUT, GuardMode.REPAIR, null).getDescription())
                .endsWith("the guard's message for LOCK_TIMEOUT");
    }

    @Test
    void theSubscriptionsTheGuardFoundAreNamedInTheFix() {
        StartupGuardException guard = new StartupGuardException(Reason.SUBSCRIPTION, "refused", null, null, false,
                List.of("from_old \"primary\""));
        SeqguardStartupException startup = new SeqguardStartupException("ordersDataSource", GuardMode.REPAIR, URL,
                "app", guard);
        FailureAnalysis analysis = analyzer.analyze(new BeanCreationException("seqguardInitializer", "failed",
                startup));
        assertThat(analysis.getAction()).contains("ALTER SUBSCRIPTION \"from_old \"\"primary\"\"\" DISABLE;");
    }

    @Test
    void aGuardRunOutsideTheStarterIsAnalyzedToo() {
        StartupGuardException bare = new StartupGuardException(Reason.TIME_LIMIT, "took too long", null, null);
        FailureAnalysis analysis = analyzer.analyze(new BeanCreationException("myGuard", "failed", bare));
        assertThat(analysis.getDescription()).isEqualTo("seqguard's startup guard refused start-up.\n\ntook too long");
        assertThat(analysis.getAction()).contains("seqguard.time-limit=<duration>").contains("seqguard.enabled=false");
    }

    private FailureAnalysis analyze(Reason reason, GuardMode mode, AlignmentReport report) {
        StartupGuardException guard = new StartupGuardException(reason, "the guard's message for " + reason, report,
                null);
        SeqguardStartupException startup = new SeqguardStartupException("ordersDataSource", mode, URL, "app", guard);
        return analyzer.analyze(new BeanCreationException("seqguardInitializer", "failed", startup));
    }

    private static AlignmentReport report(Operation operation, AllocationRule allocation, SequenceReport... sequences) {
        return new AlignmentReport(operation, "shop", "18.3", allocation, 0, Instant.now(), Duration.ofMillis(5),
                List.of(sequences), List.of());
    }

    private static SequenceReport sequence(String name, String table, long increment, Long next, Long bound,
            Long required, SequenceStatus status, RepairAction action) {
        FedColumn column = new FedColumn("public", table, "id", "public." + table, "smallint",
                Set.of(ColumnSource.OWNED), true, null);
        String reason = status == SequenceStatus.EXHAUSTED ? "the data needs 32768, beyond the maximum 32767" : null;
        String sql = action == RepairAction.PLANNED
                ? "SELECT setval('public." + name + "', " + bound + ", true)" : null;
        return new SequenceReport("public", name, "public." + name, "smallint", increment, 1, 32767, false,
                List.of(column), null, next, bound, required, status, reason, action, sql, 0.5, List.of(),
                required == null ? Witness.NONE : Witness.DATA, null, false);
    }
}
