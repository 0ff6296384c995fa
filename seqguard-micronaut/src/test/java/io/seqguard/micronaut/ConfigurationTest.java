package io.seqguard.micronaut;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthResult;
import io.seqguard.AlignerConfiguration;
import io.seqguard.AllocationRule;
import io.seqguard.GuardConfiguration;
import io.seqguard.GuardMode;
import io.seqguard.GuardOption;
import io.seqguard.SequenceMapping;
import io.seqguard.StandbyAction;
import io.seqguard.StartupGuard;
import io.seqguard.SubscriptionAction;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * {@code seqguard.*} keys reach the core configuration through {@link GuardOption}, at the global level and per data
 * source; no database needed (the data source is never asked for a connection).
 */
class ConfigurationTest {

    private static final DataSource NO_DATABASE = new PGSimpleDataSource();

    /** Getters whose names do not follow the configuration method's. */
    private static final Map<String, String> GETTERS = Map.of("excludeSchemas", "getExcludedSchemas",
            "excludeSequences", "getExcludedSequences", "excludeTables", "getExcludedTables", "allowUnverified",
            "getAllowedUnverified");

    private static GuardConfiguration configure(Map<String, Object> properties, String dataSource) {
        try (ApplicationContext context = TestApps.start(properties)) {
            return new SeqguardSettings(context.getEnvironment()).configure(dataSource, NO_DATABASE, null, null);
        }
    }

    @Test
    void everyKeyReachesTheCore() {
        Map<String, Object> p = new HashMap<>();
        String prefix = "seqguard.datasources.main.";
        p.put(prefix + "mode", "verify");
        p.put(prefix + "schemas", List.of("public", "billing"));
        p.put(prefix + "exclude-schemas", "audit");
        p.put(prefix + "exclude-sequences", List.of("billing.legacy_seq"));
        p.put(prefix + "exclude-tables", List.of("public.staging"));
        p.put(prefix + "mappings", List.of("billing.invoice_number_seq=billing.invoice.number"));
        p.put(prefix + "allow-unverified", List.of("billing.ticket_seq"));
        p.put(prefix + "allocation", "hilo:50");
        p.put(prefix + "margin", 100);
        p.put(prefix + "statement-timeout", "30s");
        p.put(prefix + "lock-timeout", "5s");
        p.put(prefix + "lock-wait-timeout", "20s");
        p.put(prefix + "time-limit", "90s");
        p.put(prefix + "jobs", 3);
        p.put(prefix + "capacity-warning", 0.5);
        p.put(prefix + "on-standby", "warn");
        p.put(prefix + "on-enabled-subscription", "proceed");
        p.put(prefix + "on-incomplete", "warn");
        p.put(prefix + "block-writers-during-repair", true);
        p.put(prefix + "application-name", "billing");
        p.put(prefix + "journal", true);
        p.put(prefix + "journal-table", "ops.seqguard_runs");
        GuardConfiguration g = configure(p, "main");
        assertThat(g.getDataSource()).isSameAs(NO_DATABASE);
        assertThat(g.getMode()).isEqualTo(GuardMode.VERIFY);
        assertThat(g.getLockWaitTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(g.getTimeLimit()).isEqualTo(Duration.ofSeconds(90));
        assertThat(g.getOnStandby()).isEqualTo(StandbyAction.WARN);
        assertThat(g.getOnEnabledSubscription()).isEqualTo(SubscriptionAction.PROCEED);
        assertThat(g.getOnIncomplete().name()).isEqualTo("WARN");
        assertThat(g.getApplicationName()).isEqualTo("billing");
        assertThat(g.isJournal()).isTrue();
        assertThat(g.getJournalTable()).isEqualTo("ops.seqguard_runs");
        assertThat(g.getVocabulary().name("allowUnverified")).isEqualTo("seqguard.datasources.main.allow-unverified");

        AlignerConfiguration a = g.load().aligner().configuration();
        assertThat(a.getSchemas()).containsExactly("public", "billing");
        assertThat(a.getExcludedSchemas()).containsExactly("audit");
        assertThat(a.getExcludedSequences()).containsExactly("billing.legacy_seq");
        assertThat(a.getExcludedTables()).containsExactly("public.staging");
        assertThat(a.getMappings()).containsExactly(
                SequenceMapping.parse("billing.invoice_number_seq=billing.invoice.number"));
        assertThat(a.getAllowedUnverified()).containsExactly("billing.ticket_seq");
        assertThat(a.getAllocation()).isEqualTo(AllocationRule.hilo(50));
        assertThat(a.getMargin()).isEqualTo(100);
        assertThat(a.getStatementTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(a.getLockTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(a.getJobs()).isEqualTo(3);
        assertThat(a.getCapacityWarning()).isEqualTo(0.5);
        assertThat(a.isBlockWritersDuringRepair()).isTrue();
    }

    @Test
    void globalKeysApplyToEveryDataSourceAndADataSourcesOwnKeysOverThem() {
        Map<String, Object> p = Map.of("seqguard.mode", "verify", "seqguard.jobs", 3,
                "seqguard.datasources.main.jobs", 1, "seqguard.datasources.main.schemas", List.of());
        GuardConfiguration main = configure(p, "main");
        GuardConfiguration other = configure(p, "other");
        assertThat(main.getMode()).isEqualTo(GuardMode.VERIFY);
        assertThat(other.getMode()).isEqualTo(GuardMode.VERIFY);
        assertThat(main.load().aligner().configuration().getJobs()).isEqualTo(1);
        assertThat(other.load().aligner().configuration().getJobs()).isEqualTo(3);
        // messages name each data source's own properties where it has them, else the global ones
        assertThat(main.getVocabulary().name("jobs")).isEqualTo("seqguard.datasources.main.jobs");
        assertThat(other.getVocabulary().name("jobs")).isEqualTo("seqguard.jobs");
        assertThat(other.getVocabulary().repair()).isEqualTo("the application with seqguard.mode=repair");
    }

    @Test
    void listsAsYamlWritesThemAsIndexedKeysAndAsText() {
        GuardConfiguration g = configure(Map.of("seqguard.schemas", List.of("public", "\"Sales, EU\""),
                "seqguard.exclude-tables[0]", "public.staging", "seqguard.exclude-tables[1]", "public.tmp",
                "seqguard.exclude-sequences", "a_seq, \"B, c\""), "default");
        AlignerConfiguration a = g.load().aligner().configuration();
        assertThat(a.getSchemas()).containsExactly("public", "\"Sales, EU\"");
        assertThat(a.getExcludedTables()).containsExactly("public.staging", "public.tmp");
        assertThat(a.getExcludedSequences()).containsExactly("a_seq", "\"B, c\"");
    }

    /** Nothing set: every value is the core's default, and the application's name names the application. */
    @Test
    void everyDefaultIsTheCoresDefault() throws Exception {
        GuardConfiguration g;
        try (ApplicationContext context = TestApps.start(Map.of())) {
            g = new SeqguardSettings(context.getEnvironment()).configure("default", NO_DATABASE, "books-service",
                    null);
        }
        StartupGuard guard = g.load();
        GuardConfiguration core = StartupGuard.configure();
        for (GuardOption<?> option : GuardOption.all()) {
            if (option.scope() == GuardOption.Scope.INTEGRATION) {
                continue;
            }
            Object holder = option.scope() == GuardOption.Scope.GUARD ? guard.configuration()
                    : guard.aligner().configuration();
            Object actual = getter(holder, option.method()).invoke(holder);
            if (option == GuardOption.APPLICATION_NAME) {
                assertThat(actual).isEqualTo("books-service");
            } else if (option == GuardOption.LOCK_WAIT_TIMEOUT) {
                assertThat(actual).isEqualTo(core.getLockWaitTimeout());
            } else {
                assertThat(actual).as("default of seqguard.%s", option.key()).isEqualTo(option.defaultValue());
            }
        }
    }

    /** The module's README lists every option with the core's description. */
    @Test
    void theReadmeDocumentsEveryOption() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        for (GuardOption<?> option : GuardOption.all()) {
            assertThat(readme).contains("| `" + option.key() + "` | ").contains(" | " + option.description() + " |");
        }
    }

    private static Method getter(Object holder, String method) throws NoSuchMethodException {
        String capitalized = Character.toUpperCase(method.charAt(0)) + method.substring(1);
        try {
            return holder.getClass().getMethod(GETTERS.getOrDefault(method, "get" + capitalized));
        } catch (NoSuchMethodException e) {
            return holder.getClass().getMethod("is" + capitalized);
        }
    }

    @Test
    void yamlOffMeansModeOff() {
        // YAML 1.1 reads a bare off as the boolean false
        assertThat(configure(Map.of("seqguard.datasources.main.mode", false), "main").getMode())
                .isEqualTo(GuardMode.OFF);
    }

    @Test
    void anInvalidValueNamesTheKeyAndWhatIsAccepted() {
        assertInvalid(Map.of("seqguard.datasources.main.mode", "sometimes"),
                "seqguard.datasources.main.mode: 'sometimes' is not a guard mode; use repair, verify or off (context). "
                        + "mode: ");
        assertInvalid(Map.of("seqguard.allocation", "greedy"), "seqguard.allocation: 'greedy' is not an allocation "
                + "rule");
        assertInvalid(Map.of("seqguard.datasources.main.mappings", List.of("no_equals_sign")),
                "seqguard.datasources.main.mappings: mapping: 'no_equals_sign' has no '='");
        assertInvalid(Map.of("seqguard.datasources.main.jobs", 0),
                "seqguard.datasources.main.jobs: must be between 1 and 64, was 0 (context). jobs: Connections used");
        assertInvalid(Map.of("seqguard.mode", List.of("verify", "repair")), "seqguard.mode: takes one value");
        try (ApplicationContext context = TestApps.start(Map.of("seqguard.datasources.main.lock-wait-timeout", "3m"))) {
            GuardConfiguration g = new SeqguardSettings(context.getEnvironment()).configure("main", NO_DATABASE, null,
                    null);
            assertThatThrownBy(() -> SeqguardSettings.load("main", g)).isInstanceOf(ConfigurationException.class)
                    .hasMessageStartingWith("Micronaut data source 'main': seqguard.datasources.main.lock-wait-timeout "
                            + "(180000 ms) must not exceed seqguard.datasources.main.time-limit (120000 ms)");
        }
    }

    private static void assertInvalid(Map<String, Object> properties, String message) {
        assertThatThrownBy(() -> configure(properties, "main")).isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith(message);
    }

    @Test
    void globalSwitchRemovesTheGuard() {
        try (ApplicationContext context = TestApps.start(Map.of(SeqguardDataSourceListener.ENABLED, false))) {
            assertThat(context.containsBean(SeqguardDataSourceListener.class)).isFalse();
            assertThat(context.containsBean(SeqguardMetrics.class)).isFalse();
            assertThat(context.containsBean(SeqguardHealthIndicator.class)).isFalse();
        }
        try (ApplicationContext context = TestApps.start(Map.of())) {
            assertThat(context.containsBean(SeqguardDataSourceListener.class)).isTrue();
        }
    }

    /** Only PostgreSQL is guarded: an H2 data source is left alone, and properties of its own are a mistake. */
    @Test
    void aDatabaseOtherThanPostgresqlIsSkippedUnlessConfigured() {
        Map<String, Object> h2 = Map.of("datasources.h2.url", "jdbc:h2:mem:seqguard_h2;DB_CLOSE_DELAY=-1",
                "datasources.h2.driver-class-name", "org.h2.Driver", "datasources.h2.username", "sa");
        try (ApplicationContext context = TestApps.start(h2)) {
            SeqguardRuns runs = context.getBean(SeqguardRuns.class);
            assertThat(runs.latest("h2")).isEmpty();
            assertThat(runs.unguarded()).containsExactly(Map.entry("h2", "not PostgreSQL (H2)"));
        }
        Map<String, Object> configured = TestApps.merge(h2, Map.of("seqguard.datasources.h2.mode", "verify"));
        assertThatThrownBy(() -> TestApps.start(configured).close())
                .satisfies(thrown -> assertThat(TestApps.causes(thrown).map(Throwable::getMessage))
                        .anySatisfy(message -> assertThat(message).isEqualTo("seqguard.datasources.h2 is configured, "
                                + "but data source 'h2' is H2, not PostgreSQL: seqguard guards PostgreSQL only. "
                                + "Remove those properties or set seqguard.datasources.h2.enabled=false.")));
    }

    @Test
    void healthIsUnknownBeforeAnyRunAndListsUnguardedDataSources() {
        try (ApplicationContext context = TestApps.start(Map.of("seqguard.datasources.off.enabled", false))) {
            SeqguardHealthIndicator health = context.getBean(SeqguardHealthIndicator.class);
            assertThat(health.result().getStatus()).isEqualTo(HealthStatus.UNKNOWN);

            context.getBean(SeqguardDataSourceListener.class).guard("off", NO_DATABASE);
            HealthResult result = health.result();
            assertThat(result.getStatus()).isEqualTo(HealthStatus.UNKNOWN);
            @SuppressWarnings("unchecked")
            Map<String, Object> details = (Map<String, Object>) result.getDetails();
            assertThat(details).containsEntry("unguarded", Map.of("off", "seqguard.datasources.off.enabled=false"));
        }
    }
}
