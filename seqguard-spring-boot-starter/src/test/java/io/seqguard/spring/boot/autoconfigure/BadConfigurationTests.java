package io.seqguard.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.seqguard.StartupGuardException;
import io.seqguard.spring.boot.Causes;
import io.seqguard.test.TestDatabase;

import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * The bad configurations, each against a database whose sequence lags: start-up stops before any guard runs
 * (nothing is repaired), and Spring Boot's failure analysis names the key as the user wrote it and what is accepted.
 * Keys that only environment variables set are logged instead.
 */
@ExtendWith(OutputCaptureExtension.class)
class BadConfigurationTests {

    private final SeqguardConfigurationFailureAnalyzer analyzer = new SeqguardConfigurationFailureAnalyzer();

    private TestDatabase db;
    private ApplicationContextRunner runner;

    @BeforeEach
    void laggingDatabase() {
        db = TestDatabase.create("badconfig");
        db.execute("CREATE TABLE orders (id bigserial PRIMARY KEY)",
                "INSERT INTO orders SELECT g FROM generate_series(1, 40) g");
        runner = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                        SeqguardAutoConfiguration.class))
                .withPropertyValues("spring.datasource.url=" + db.jdbcUrl(),
                        "spring.datasource.username=" + db.server().superuser(),
                        "spring.datasource.hikari.maximum-pool-size=4", "spring.datasource.hikari.minimum-idle=0");
    }

    @AfterEach
    void nothingWasRepaired() {
        assertThat(db.queryForLong("SELECT last_value FROM orders_id_seq")).as("nothing repaired").isEqualTo(1);
        db.close();
    }

    /** The test kit's own keys (seqguard-test) are left alone: an application's tests choose their PostgreSQL. */
    @Test
    void theTestKitsKeysAreNoneOfTheGuardsBusiness() {
        runner.withPropertyValues("seqguard.test.postgres=embedded", "seqguard.enabled=false")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void aMisspeltKeyInADataSourcesBlock() {
        FailureAnalysis analysis = refused("seqguard.datasources.default.moode=verify");
        assertThat(analysis.getDescription()).isEqualTo("This property is not a seqguard property: "
                + "seqguard.datasources.default.moode (property source 'test').");
        assertThat(analysis.getAction()).startsWith("Did you mean seqguard.datasources.default.mode? The seqguard "
                + "properties are seqguard.<key> for every DataSource bean and seqguard.datasources.<DataSource bean "
                + "name>.<key> for one, where <key> is one of: enabled, mode, schemas,")
                .contains("allow-unverified").contains("on-incomplete").contains("journal-table");
        assertThat(((SeqguardConfigurationException) analysis.getCause()).getProperty())
                .isEqualTo("seqguard.datasources.default.moode");
    }

    @Test
    void misspeltKeysAreAllNamedAtOnce() {
        FailureAnalysis analysis = refused("seqguard.datasources.dataSource.moode=verify",
                "seqguard.journal.enabled=true", "seqguard.lockTimeout=5s");
        assertThat(analysis.getDescription()).startsWith("These properties are not seqguard properties: ")
                .contains("seqguard.datasources.dataSource.moode").contains("seqguard.journal.enabled")
                .doesNotContain("lockTimeout");
        assertThat(analysis.getAction()).startsWith("Did you mean seqguard.datasources.dataSource.mode, "
                + "seqguard.journal?");
    }

    @Test
    void theGlobalModeTakesEffect() {
        runner.withPropertyValues("seqguard.mode=verify").run(context -> {
            assertThat(context).hasFailed();
            SeqguardStartupException refusal = Causes.find(context.getStartupFailure(), SeqguardStartupException.class);
            assertThat(refusal.getMode().name()).isEqualTo("VERIFY");
            assertThat(refusal.getGuardException().reason()).isEqualTo(StartupGuardException.Reason.DRIFT);
        });
    }

    @Test
    void aDurationThatIsNone() {
        FailureAnalysis analysis = refused("seqguard.lock-timeout=ten");
        assertThat(analysis.getDescription()).isEqualTo("seqguard.lock-timeout: 'ten' is not a duration; use for "
                + "example 10s, 500ms, 2m or PT10S (\"seqguard.lock-timeout\" from property source \"test\").");
        assertThat(analysis.getAction()).startsWith("Change seqguard.lock-timeout. lock-timeout: Upper bound");
        assertThat(analysis.getCause()).isInstanceOf(BindException.class);
    }

    @Test
    void aNumberThatIsNone() {
        FailureAnalysis analysis = refused("seqguard.datasources.dataSource.jobs=two");
        assertThat(analysis.getDescription()).startsWith("seqguard.datasources.datasource.jobs: 'two' is not a whole "
                + "number");
        assertThat(analysis.getAction()).startsWith("Change seqguard.datasources.datasource.jobs. jobs: Connections");
    }

    @Test
    void aValueOutOfRange() {
        FailureAnalysis analysis = refused("seqguard.jobs=0");
        assertThat(analysis.getDescription()).isEqualTo("seqguard.jobs: must be between 1 and 64, was 0 (property "
                + "source 'test').");
    }

    @Test
    void aSystemPropertyIsCheckedToo() {
        runner.withSystemProperties("seqguard.moode=verify").run(context -> {
            assertThat(context).hasFailed();
            assertThat(analyzer.analyze(context.getStartupFailure()).getDescription())
                    .isEqualTo("This property is not a seqguard property: seqguard.moode (property source "
                            + "'systemProperties').");
        });
    }

    @Test
    void anEnvironmentVariableThatIsNoPropertyIsOnlyLogged(CapturedOutput output) {
        runner.withPropertyValues("seqguard.mode=off")
                .withInitializer(context -> context.getEnvironment().getPropertySources().addFirst(
                        new SystemEnvironmentPropertySource("test-systemEnvironment",
                                Map.of("SEQGUARD_MOODE", "verify", "SEQGUARD_LOCK_TIMEOUT", "5s"))))
                .run(context -> assertThat(context).hasNotFailed());
        assertThat(output).contains("seqguard: environment variable SEQGUARD_MOODE sets no seqguard property; it is "
                + "ignored.").doesNotContain("SEQGUARD_LOCK_TIMEOUT sets no");
    }

    private FailureAnalysis refused(String... properties) {
        FailureAnalysis[] analysis = new FailureAnalysis[1];
        runner.withPropertyValues(properties).run(context -> {
            assertThat(context).hasFailed();
            analysis[0] = analyzer.analyze(context.getStartupFailure());
            assertThat(analysis[0]).as("analysis of %s", context.getStartupFailure()).isNotNull();
        });
        return analysis[0];
    }
}
