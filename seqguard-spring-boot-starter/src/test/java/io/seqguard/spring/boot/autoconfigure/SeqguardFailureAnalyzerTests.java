package io.seqguard.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.seqguard.GuardConfiguration;
import io.seqguard.GuardMode;
import io.seqguard.StartupGuard;
import io.seqguard.StartupGuardException;
import io.seqguard.StartupGuardException.Reason;
import io.seqguard.test.PostgresTest;
import io.seqguard.test.TestDatabase;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.io.support.SpringFactoriesLoader;

/**
 * What Spring Boot prints when the guard refuses start-up, for each reason: every refusal analyzed here is a real
 * guard run against a real database.
 */
@PostgresTest
class SeqguardFailureAnalyzerTests {

    private static final String URL = "jdbc:postgresql://db.example:5432/shop";

    private final SeqguardFailureAnalyzer analyzer = new SeqguardFailureAnalyzer();
    private final TestDatabase db;

    SeqguardFailureAnalyzerTests(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void drift() {
        db.execute("DROP TABLE IF EXISTS orders, counter, invoice", "DROP SEQUENCE IF EXISTS invoice_seq",
                "CREATE TABLE orders (id serial PRIMARY KEY)",
                "INSERT INTO orders SELECT generate_series(1, 1200)");
    }

    /** A real refusal of the guard, configured as given, against the test database. */
    private StartupGuardException refusal(UnaryOperator<GuardConfiguration> configure) {
        return catchThrowableOfType(StartupGuardException.class,
                () -> configure.apply(StartupGuard.configure().dataSource(db.dataSource())
                        .aligner(a -> a.schemas("public"))).load().run());
    }

    @Test
    void isRegisteredAsAFailureAnalyzer() {
        // other analyzers need Spring Boot's arguments: skip those that cannot be made here
        assertThat(SpringFactoriesLoader.forDefaultResourceLocation(getClass().getClassLoader())
                .load(FailureAnalyzer.class, null, (type, name, failure) -> { }))
                .hasAtLeastOneElementOfType(SeqguardFailureAnalyzer.class);
    }

    @Test
    void driftInVerifyModeNamesTheSequencesThePropertyAndTheCommand() {
        db.execute("CREATE TABLE counter (id smallserial PRIMARY KEY)", "INSERT INTO counter VALUES (32767)");
        FailureAnalysis analysis = analyze(refusal(g -> g.mode(GuardMode.VERIFY)), GuardMode.VERIFY);
        assertThat(analysis.getDescription())
                .startsWith("seqguard's startup guard refused start-up on DataSource 'ordersDataSource' (" + URL + ")")
                .contains("2 sequence(s) in database " + db.name() + " lag their data")
                .contains("- public.orders_id_seq (feeds public.orders.id): next value 1, max in use 1200, needs at "
                        + "least 1201")
                .contains("- public.counter_id_seq (feeds public.counter.id): exhausted")
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
        // next value 1010 is past the data (1000) but inside its last block of 50: behind only for pooled
        db.execute("DROP TABLE orders", "CREATE SEQUENCE invoice_seq INCREMENT 50",
                "CREATE TABLE invoice (id bigint PRIMARY KEY DEFAULT nextval('invoice_seq'))",
                "INSERT INTO invoice VALUES (1000)", "SELECT setval('invoice_seq', 1010, false)");
        assertThat(analyze(refusal(g -> g.mode(GuardMode.VERIFY)), GuardMode.VERIFY).getAction())
                .contains("seqguard.allocation=plain|pooled-lo|hilo:<block size>");
    }

    @Test
    void exhaustedInRepairModeDoesNotSuggestRepairMode() {
        db.execute("DROP TABLE orders", "CREATE TABLE counter (id smallserial PRIMARY KEY)",
                "INSERT INTO counter VALUES (32767)");
        StartupGuardException refusal = refusal(g -> g);
        assertThat(refusal.reason()).isEqualTo(Reason.DRIFT);
        FailureAnalysis analysis = analyze(refusal, GuardMode.REPAIR);
        assertThat(analysis.getAction()).doesNotContain("seqguard.mode=repair").contains("ALTER SEQUENCE");
    }

    @Test
    void eachOtherReasonPointsAtItsProperty() throws Exception {
        String subscription = "from_old \"primary\"";
        db.execute("CREATE SUBSCRIPTION \"" + subscription.replace("\"", "\"\"") + "\" CONNECTION 'host=127.0.0.1 "
                + "port=1 dbname=none' PUBLICATION p WITH (connect = false, slot_name = 'analyzer_slot')",
                "ALTER SUBSCRIPTION \"" + subscription.replace("\"", "\"\"") + "\" ENABLE");
        try {
            StartupGuardException refused = refusal(g -> g);
            assertThat(refused.reason()).isEqualTo(Reason.SUBSCRIPTION);
            assertThat(analyze(refused, GuardMode.REPAIR).getAction())
                    .contains("ALTER SUBSCRIPTION \"from_old \"\"primary\"\"\" DISABLE;")
                    .contains("seqguard.on-enabled-subscription=");
        } finally {
            String quoted = "\"" + subscription.replace("\"", "\"\"") + "\"";
            db.execute("ALTER SUBSCRIPTION " + quoted + " DISABLE", "ALTER SUBSCRIPTION " + quoted
                    + " SET (slot_name = NONE)", "DROP SUBSCRIPTION " + quoted);
        }

        try (Connection holder = db.dataSource().getConnection(); Statement st = holder.createStatement()) {
            st.execute("SELECT pg_advisory_lock(" + StartupGuard.ADVISORY_LOCK_KEY + ")");
            StartupGuardException waited = refusal(g -> g.lockWaitTimeout(Duration.ofMillis(200)));
            assertThat(waited.reason()).isEqualTo(Reason.LOCK_TIMEOUT);
            assertThat(analyze(waited, GuardMode.REPAIR).getAction()).contains("seqguard.lock-wait-timeout=");
            // without a report the guard's own message is the description
            assertThat(analyze(waited, GuardMode.REPAIR).getDescription()).endsWith(waited.getMessage());
        }

        StartupGuardException unreachable = catchThrowableOfType(StartupGuardException.class,
                () -> StartupGuard.configure().dataSource(db.server().dataSource("no_such_database")).load().run());
        assertThat(unreachable.reason()).isEqualTo(Reason.DATABASE_ERROR);
        assertThat(analyze(unreachable, GuardMode.REPAIR).getAction()).contains("spring.datasource.*")
                .contains("seqguard.datasources.ordersDataSource.enabled=false");

        String role = db.name() + "_reader";
        db.createRole(role, "secret");
        db.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + role,
                "GRANT SELECT ON ALL SEQUENCES IN SCHEMA public TO " + role);
        StartupGuardException failed = catchThrowableOfType(StartupGuardException.class,
                () -> StartupGuard.configure().dataSource(db.dataSource(role, "secret"))
                        .aligner(a -> a.schemas("public")).load().run());
        assertThat(failed.reason()).isEqualTo(Reason.REPAIR_FAILED);
        assertThat(analyze(failed, GuardMode.REPAIR).getAction()).contains("GRANT UPDATE").contains("(app)");
    }

    @Test
    void aGuardRunOutsideTheStarterIsAnalyzedToo() throws Exception {
        try (Connection holder = db.dataSource().getConnection(); Statement st = holder.createStatement()) {
            // the guard waits for the lock, and the time limit passes first
            st.execute("SELECT pg_advisory_lock(" + StartupGuard.ADVISORY_LOCK_KEY + ")");
            StartupGuardException bare = refusal(g -> g.timeLimit(Duration.ofMillis(300)));
            assertThat(bare.reason()).isEqualTo(Reason.TIME_LIMIT);
            FailureAnalysis analysis = analyzer.analyze(new BeanCreationException("myGuard", "failed", bare));
            assertThat(analysis.getDescription())
                    .isEqualTo("seqguard's startup guard refused start-up.\n\n" + bare.getMessage());
            assertThat(analysis.getAction()).contains("seqguard.time-limit=<duration>")
                    .contains("seqguard.enabled=false");
        }
    }

    private FailureAnalysis analyze(StartupGuardException guard, GuardMode mode) {
        assertThat(guard).as("the guard refused start-up").isNotNull();
        SeqguardStartupException startup = new SeqguardStartupException("ordersDataSource", mode, URL, "app", guard);
        return analyzer.analyze(new BeanCreationException("seqguardInitializer", "failed", startup));
    }
}
