package io.seqguard.quarkus.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.runtime.configuration.ConfigurationException;
import io.seqguard.GuardConfiguration;
import io.seqguard.GuardMode;
import io.seqguard.GuardOption;
import io.seqguard.IncompleteAction;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

class SeqguardSettingsTest {

    /** Never connected to: the configuration only holds it. */
    private static final DataSource POOL = new PGSimpleDataSource();

    private static final Map<String, String> KINDS = kinds("<default>", "postgresql", "orders", "postgresql",
            "reports.eu", "postgresql", "legacy", "mysql");

    @Test
    void theConfigurationDeclaresEveryOptionOnceUnderItsKey() {
        List<String> declared = new ArrayList<>();
        for (Method method : SeqguardOptions.class.getDeclaredMethods()) {
            declared.add(method.getName());
        }
        List<String> options = new ArrayList<>();
        for (GuardOption<?> option : GuardOption.all()) {
            options.add(option.method());
        }
        assertThat(declared).containsExactlyInAnyOrderElementsOf(options);
        for (Method method : SeqguardOptions.class.getDeclaredMethods()) {
            assertThat(method.getGenericReturnType().getTypeName()).as(method.getName())
                    .isEqualTo("java.util.Optional<java.lang.String>");
        }
    }

    @Test
    void aDatasourcesOwnKeyWinsOverTheGlobalOne() {
        SeqguardSettings settings = read(Map.of(
                "quarkus.seqguard.mode", "verify",
                "quarkus.seqguard.lock-timeout", "3s",
                "quarkus.seqguard.\"orders\".mode", "repair",
                "quarkus.seqguard.\"reports.eu\".on-incomplete", "warn"));
        GuardConfiguration orders = settings.forDataSource("orders").configure(POOL, null);
        GuardConfiguration main = settings.forDataSource("<default>").configure(POOL, null);
        GuardConfiguration reports = settings.forDataSource("reports.eu").configure(POOL, null);
        assertThat(orders.getMode()).isEqualTo(GuardMode.REPAIR);
        assertThat(main.getMode()).isEqualTo(GuardMode.VERIFY);
        assertThat(reports.getMode()).isEqualTo(GuardMode.VERIFY);
        assertThat(reports.getOnIncomplete()).isEqualTo(IncompleteAction.WARN);
        assertThat(main.getOnIncomplete()).isEqualTo(IncompleteAction.FAIL);
        DataSourceSettings ordersSettings = settings.forDataSource("orders");
        assertThat(ordersSettings.key(GuardOption.MODE)).isEqualTo("quarkus.seqguard.\"orders\".mode");
        assertThat(settings.forDataSource("orders").key(GuardOption.LOCK_TIMEOUT))
                .isEqualTo("quarkus.seqguard.lock-timeout");
        assertThat(settings.forDataSource("<default>").key(GuardOption.JOBS)).isEqualTo("quarkus.seqguard.jobs");
        assertThat(ordersSettings.key(GuardOption.JOBS)).isEqualTo("quarkus.seqguard.\"orders\".jobs");
    }

    @Test
    void anUnquotedDatasourceNameWorksToo() {
        SeqguardSettings settings = read(Map.of("quarkus.seqguard.orders.mode", "off"));
        assertThat(settings.forDataSource("orders").configure(POOL, null).getMode()).isEqualTo(GuardMode.OFF);
        assertThat(settings.forDataSource("<default>").configure(POOL, null).getMode()).isEqualTo(GuardMode.REPAIR);
    }

    @Test
    void enabledFalseTurnsOneDatasourceOff() {
        SeqguardSettings settings = read(Map.of("quarkus.seqguard.\"orders\".enabled", "false"));
        assertThat(settings.forDataSource("orders").enabled()).isFalse();
        assertThat(settings.forDataSource("<default>").enabled()).isTrue();
    }

    @Test
    void everyBadKeyAndValueIsNamedAtOnceWithWhatIsAccepted() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("quarkus.seqguard.moode", "verify");
        properties.put("quarkus.seqguard.\"defualt\".mode", "verify");
        properties.put("quarkus.seqguard.lock-timeout", "ten");
        properties.put("quarkus.seqguard.\"orders\".jobs", "two");
        properties.put("quarkus.seqguard.\"orders\".capacity-warning", "2");
        properties.put("quarkus.seqguard.mode", "verifi");
        assertThatThrownBy(() -> read(properties))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("quarkus.seqguard.moode: 'moode' is no seqguard option; the options are enabled, "
                        + "mode, schemas")
                .hasMessageContaining("quarkus.seqguard.\"defualt\".mode: there is no datasource 'defualt'; the "
                        + "datasources are \"<default>\", \"orders\"")
                .hasMessageContaining("quarkus.seqguard.lock-timeout: 'ten' is not a duration")
                .hasMessageContaining("'ten' is not a duration; use for example 10s, 500ms, 2m or PT10S (set in "
                        + "PropertiesConfigSource[source=test])")
                .satisfies(e -> assertThat(e.getMessage().split("'ten' is not a duration", -1)).hasSize(2))
                .hasMessageContaining("quarkus.seqguard.\"orders\".jobs: 'two' is not a whole number")
                .hasMessageContaining("quarkus.seqguard.\"orders\".capacity-warning:")
                .hasMessageContaining("quarkus.seqguard.mode:")
                .hasMessageContaining("no datasource was guarded")
                .satisfies(e -> assertThat(((ConfigurationException) e).getConfigKeys())
                        .contains("quarkus.seqguard.moode", "quarkus.seqguard.\"orders\".jobs"));
    }

    @Test
    void optionsForADatasourceThatIsNotPostgresAreRefused() {
        assertThatThrownBy(() -> read(Map.of("quarkus.seqguard.\"legacy\".mode", "verify")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("datasource 'legacy' is mysql, not PostgreSQL");
        // a global option is meant for the PostgreSQL datasources and does not name this one
        assertThat(read(Map.of("quarkus.seqguard.mode", "verify")).forDataSource("legacy").enabled()).isTrue();
    }

    @Test
    void contradictingValuesAreNamedWhenTheGuardLoads() {
        SeqguardSettings settings = read(Map.of("quarkus.seqguard.time-limit", "5s",
                "quarkus.seqguard.\"orders\".lock-wait-timeout", "10s"));
        DataSourceSettings orders = settings.forDataSource("orders");
        assertThatThrownBy(() -> orders.load(orders.configure(POOL, null)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("datasource 'orders'")
                .satisfies(e -> assertThat(((ConfigurationException) e).getConfigKeys())
                        .contains("quarkus.seqguard.\"orders\".lock-wait-timeout", "quarkus.seqguard.time-limit"));
    }

    @Test
    void messagesNameTheQuarkusKeys() {
        SeqguardSettings settings = read(Map.of("quarkus.seqguard.\"orders\".allow-unverified", "a.b"));
        assertThat(settings.forDataSource("orders").vocabulary().option("allowUnverified"))
                .isEqualTo("quarkus.seqguard.\"orders\".allow-unverified");
        assertThat(settings.forDataSource("orders").vocabulary().option("onIncomplete"))
                .isEqualTo("quarkus.seqguard.\"orders\".on-incomplete");
        assertThat(settings.forDataSource("<default>").vocabulary().option("onIncomplete"))
                .isEqualTo("quarkus.seqguard.on-incomplete");
        assertThat(settings.forDataSource("<default>").vocabulary().repair())
                .contains("quarkus.seqguard.mode=repair");
    }

    @Test
    void environmentVariablesThatNameNoOptionAreWarnedAbout() {
        SeqguardSettings settings = SeqguardSettings.read(config(Map.of()), KINDS, Map.of(
                "QUARKUS_SEQGUARD_MODE", "verify",
                "QUARKUS_SEQGUARD__ORDERS__LOCK_TIMEOUT", "1s",
                "QUARKUS_SEQGUARD_ORDERS_JOBS", "1",
                "QUARKUS_SEQGUARD_MODEE", "verify",
                "PATH", "/bin"));
        assertThat(settings.warnings()).hasSize(1);
        assertThat(settings.warnings().get(0)).contains("QUARKUS_SEQGUARD_MODEE names no seqguard option");
    }

    @Test
    void environmentVariablesSetOptionsAsQuarkusMapsThem() {
        // as at run time: the mapping registered, so that SmallRye Config knows the dashed names
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(SeqguardRuntimeConfig.class)
                .withSources(new EnvConfigSource(Map.of(
                        "QUARKUS_SEQGUARD_ON_INCOMPLETE", "warn",
                        "QUARKUS_SEQGUARD__ORDERS__LOCK_TIMEOUT", "1s",
                        "QUARKUS_SEQGUARD__ORDERS__MODE", "verify"), 300))
                .build();
        SeqguardSettings settings = SeqguardSettings.read(config, KINDS, Map.of());
        GuardConfiguration orders = settings.forDataSource("orders").configure(POOL, null);
        assertThat(orders.getOnIncomplete()).isEqualTo(IncompleteAction.WARN);
        assertThat(orders.getMode()).isEqualTo(GuardMode.VERIFY);
        assertThat(settings.forDataSource("<default>").configure(POOL, null).getMode()).isEqualTo(GuardMode.REPAIR);
        assertThat(config.getConfigMapping(SeqguardRuntimeConfig.class).datasources().get("orders").lockTimeout())
                .contains("1s");
    }

    @Test
    void aMisspeltEnvironmentVariableIsNamedAsTheUserWroteIt() {
        Map<String, String> environment = Map.of("QUARKUS_SEQGUARD_MODEE", "verify", "QUARKUS_SEQGUARD_JOBS", "two");
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(SeqguardRuntimeConfig.class)
                .withSources(new EnvConfigSource(environment, 300))
                .build();
        assertThatThrownBy(() -> SeqguardSettings.read(config, KINDS, environment))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("quarkus.seqguard.modee: 'modee' is no seqguard option")
                .hasMessageContaining("(set as environment variable QUARKUS_SEQGUARD_MODEE)")
                .hasMessageContaining("quarkus.seqguard.jobs: 'two' is not a whole number (set as environment variable "
                        + "QUARKUS_SEQGUARD_JOBS)");
    }

    @Test
    void theModuleReadmeListsEveryOption() throws java.io.IOException {
        String readme = java.nio.file.Files.readString(java.nio.file.Path.of("README.md"));
        for (GuardOption<?> option : GuardOption.all()) {
            assertThat(readme).as(option.key()).contains("| `" + option.key() + "` | ")
                    .contains(" | " + option.description() + " |");
        }
    }

    @Test
    void durationsReadAsEverywhereElse() {
        GuardConfiguration guard = read(Map.of("quarkus.seqguard.time-limit", "1500"))
                .forDataSource("<default>").configure(POOL, null);
        // a plain number is milliseconds, as in every seqguard adapter (Quarkus' own converter would read seconds)
        assertThat(guard.getTimeLimit()).isEqualTo(Duration.ofMillis(1500));
    }

    private static SeqguardSettings read(Map<String, String> properties) {
        return SeqguardSettings.read(config(properties), KINDS, Map.of());
    }

    private static SmallRyeConfig config(Map<String, String> properties) {
        return new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(properties, "test", 100)).build();
    }

    private static Map<String, String> kinds(String... namesAndKinds) {
        Map<String, String> kinds = new LinkedHashMap<>();
        for (int i = 0; i < namesAndKinds.length; i += 2) {
            kinds.put(namesAndKinds[i], namesAndKinds[i + 1]);
        }
        return kinds;
    }
}
