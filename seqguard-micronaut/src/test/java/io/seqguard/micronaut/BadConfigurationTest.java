package io.seqguard.micronaut;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.PropertySource;
import io.micronaut.context.exceptions.ConfigurationException;
import io.seqguard.GuardMode;
import io.seqguard.StartupGuardException;
import io.seqguard.test.TestDatabase;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bad configurations, as a Micronaut user writes them, against a database whose sequence lags (Flyway
 * loads rows with their ids): start-up stops before any guard runs, so nothing is repaired, with a message that names
 * the key and what is accepted. {@code seqguard.mode} is a global key that takes effect. Environment variables that
 * set no property are only logged.
 */
class BadConfigurationTest {

    private TestDatabase books;

    @BeforeEach
    void database() {
        books = TestDatabase.create("micronaut_badconfig");
    }

    @AfterEach
    void nothingWasRepaired() {
        assertNothingRepaired(books, "book_id_seq");
        books.close();
    }

    /**
     * Flyway may have migrated the database (its listener runs before the guard's; data sources are created in no
     * fixed order, so a refusal on one may come before the other was migrated): the guard did nothing.
     */
    private static void assertNothingRepaired(TestDatabase database, String sequence) {
        if (database.queryForString("SELECT to_regclass('" + sequence + "')::text") != null) {
            assertThat(TestApps.nextValue(database, sequence)).as("nothing repaired").isEqualTo(1);
        }
    }

    private Throwable start(Map<String, Object> seqguard) {
        return catchThrowable(() -> TestApps.start(TestApps.merge(TestApps.dataSource("default", books, "books"),
                seqguard)).close());
    }

    private static String configurationMessage(Throwable thrown) {
        assertThat(thrown).as("start-up fails").isNotNull();
        return TestApps.causes(thrown).filter(ConfigurationException.class::isInstance).map(Throwable::getMessage)
                .reduce((first, cause) -> cause).orElseThrow(() -> new AssertionError(thrown));
    }

    @Test
    void aMisspeltKey() {
        assertThat(configurationMessage(start(Map.of("seqguard.datasources.default.moode", "verify"))))
                .isEqualTo("seqguard: this property is not a seqguard property: seqguard.datasources.default.moode "
                        + "(context). Did you mean seqguard.datasources.default.mode? The seqguard properties are "
                        + "seqguard.<key> for every data source and seqguard.datasources.<data source name>.<key> for "
                        + "one, where <key> is one of: enabled, mode, schemas, exclude-schemas, exclude-sequences, "
                        + "exclude-tables, mappings, allow-unverified, allocation, margin, statement-timeout, "
                        + "lock-timeout, lock-wait-timeout, time-limit, jobs, capacity-warning, on-standby, "
                        + "on-enabled-subscription, on-pending-sequence-sync, on-incomplete, "
                        + "block-writers-during-repair, application-name, journal, journal-table.");
    }

    /** The test kit's own keys (seqguard-test) are left alone: an application's tests choose their PostgreSQL. */
    @Test
    void theTestKitsKeysAreNoneOfTheGuardsBusiness() {
        assertThat(start(Map.of("seqguard.test.postgres", "embedded", "seqguard.enabled", "false"))).isNull();
    }

    @Test
    void theGlobalModeTakesEffect() {
        Throwable thrown = start(Map.of("seqguard.mode", "verify"));
        SeqguardStartupException refusal = TestApps.causes(thrown).filter(SeqguardStartupException.class::isInstance)
                .map(SeqguardStartupException.class::cast).findFirst().orElseThrow(() -> new AssertionError(thrown));
        assertThat(refusal.getGuardException().reason()).isEqualTo(StartupGuardException.Reason.DRIFT);
        assertThat(refusal.getMessage()).startsWith("Micronaut data source 'default': seqguard startup guard (mode "
                + GuardMode.VERIFY.name().toLowerCase() + ") refuses start-up")
                .contains("Fix: run the application with seqguard.mode=repair");
    }

    @Test
    void aDurationThatIsNone() {
        assertThat(configurationMessage(start(Map.of("seqguard.lock-timeout", "ten"))))
                .startsWith("seqguard.lock-timeout: 'ten' is not a duration; use for example 10s, 500ms, 2m or PT10S "
                        + "(context). lock-timeout: Upper bound for each wait");
    }

    @Test
    void aNumberThatIsNone() {
        assertThat(configurationMessage(start(Map.of("seqguard.jobs", "two"))))
                .startsWith("seqguard.jobs: 'two' is not a whole number (context). jobs: Connections used in parallel");
    }

    @Test
    void aMisspeltDataSourceNameStopsStartUpBeforeAnyDataSourceIsGuarded() {
        try (TestDatabase invoices = TestDatabase.create("micronaut_badconfig_invoices")) {
            Throwable thrown = catchThrowable(() -> TestApps.start(TestApps.merge(
                    TestApps.dataSource("default", books, "books"),
                    TestApps.dataSource("reporting", invoices, "invoices-lagging"),
                    Map.of("seqguard.datasources.defualt.mode", "verify"))).close());
            assertThat(configurationMessage(thrown))
                    .startsWith("seqguard.datasources.defualt (context): there is no data source named 'defualt'.")
                    .endsWith("This application's data sources: [default, reporting].");
            assertNothingRepaired(invoices, "invoice_id_seq");
        }
    }

    @Test
    void aSystemPropertyIsCheckedToo() {
        System.setProperty("seqguard.moode", "verify");
        try {
            assertThat(configurationMessage(start(Map.of()))).startsWith("seqguard: this property is not a seqguard "
                    + "property: seqguard.moode (System.properties). Did you mean seqguard.mode?");
        } finally {
            System.clearProperty("seqguard.moode");
        }
    }

    @Test
    void anEnvironmentVariableThatIsNoPropertyIsOnlyLogged() {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try (ApplicationContext context = ApplicationContext.builder()
                .properties(TestApps.merge(TestApps.dataSource("default", books, "books"),
                        Map.of("seqguard.mode", "off")))
                .propertySources(PropertySource.of("test-env", Map.of("SEQGUARD_MOODE", "verify",
                        "SEQGUARD_DATASOURCES_DEFAULT_LOCK_TIMEOUT", "5s", "SEQGUARD_DATASOURCES_DEFUALT_MODE", "x"),
                        PropertySource.PropertyConvention.ENVIRONMENT_VARIABLE))
                .deduceEnvironment(false).start()) {
            assertThat(context.getBean(SeqguardRuns.class).latest("default").orElseThrow().passed()).isTrue();
        } finally {
            System.setErr(err);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8))
                .contains("seqguard: environment variable SEQGUARD_MOODE sets no seqguard property")
                .contains("seqguard: environment variable SEQGUARD_DATASOURCES_DEFUALT_MODE sets no seqguard property")
                .doesNotContain("SEQGUARD_DATASOURCES_DEFAULT_LOCK_TIMEOUT sets");
    }
}
