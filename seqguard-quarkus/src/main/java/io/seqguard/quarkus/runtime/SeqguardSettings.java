package io.seqguard.quarkus.runtime;

import io.quarkus.datasource.common.runtime.DataSourceUtil;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.seqguard.GuardOption;
import io.seqguard.StartupGuard;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.Config;

/**
 * seqguard's options as the user set them, read from the configuration key by key along {@link GuardOption#all()}
 * (so that no option is declared twice and each means what it means in every other adapter), and checked before any
 * guard runs: every key under {@code quarkus.seqguard.} must be an option, globally or for a datasource that exists,
 * and every value must be accepted, else {@link #read} throws a {@link ConfigurationException} that names each key and
 * what it accepts. Quarkus itself only warns about unknown keys; a misspelt {@code quarkus.seqguard.moode=verify} would
 * otherwise leave the guard repairing. A misspelt environment variable reaches it as the key SmallRye Config makes
 * of it (the message then names the variable); a {@code QUARKUS_SEQGUARD_*} variable that SmallRye Config does not
 * turn into a key is warned about.
 *
 * <p>The same check runs at build time on the configuration the build sees, so that a bad value in
 * {@code application.properties} fails the build.
 */
public final class SeqguardSettings {

    /** The prefix of every key. */
    public static final String PREFIX = "quarkus.seqguard.";

    private static final String ENV_PREFIX = "QUARKUS_SEQGUARD_";

    private final Map<String, DataSourceSettings> dataSources;
    private final List<String> warnings;

    private SeqguardSettings(Map<String, DataSourceSettings> dataSources, List<String> warnings) {
        this.dataSources = dataSources;
        this.warnings = warnings;
    }

    /**
     * Reads and checks the options of every datasource.
     *
     * @param config the configuration
     * @param kinds the application's datasources ({@code <default>} for the default one) and their database kinds
     * @param environment the environment variables, to warn about those that name no option
     * @return the settings
     * @throws ConfigurationException naming every key that is not an option or whose value is not accepted, and
     *     options set for one datasource that is not PostgreSQL
     */
    public static SeqguardSettings read(Config config, Map<String, String> kinds, Map<String, String> environment) {
        Collection<String> dataSourceNames = kinds.keySet();
        List<String> errors = new ArrayList<>();
        Set<String> keys = new LinkedHashSet<>();
        for (String name : config.getPropertyNames()) {
            if (name.startsWith(PREFIX)) {
                int before = errors.size();
                checkKey(name, dataSourceNames, errors);
                if (errors.size() > before) {
                    errors.set(before, errors.get(before) + whereFrom(config, name, environment));
                }
                keys.add(name);
            }
        }
        Map<String, DataSourceSettings> dataSources = new LinkedHashMap<>();
        for (String dataSource : dataSourceNames) {
            Map<GuardOption<?>, DataSourceSettings.Setting> settings = new LinkedHashMap<>();
            for (GuardOption<?> option : GuardOption.all()) {
                String key = null;
                String text = null;
                for (String candidate : keysFor(dataSource, option)) {
                    Optional<String> value = config.getOptionalValue(candidate, String.class);
                    if (value.isPresent()) {
                        key = candidate;
                        text = value.get();
                        break;
                    }
                }
                if (key != null) {
                    keys.add(key);
                    int before = errors.size();
                    Object value = parse(option, text, key, errors);
                    if (errors.size() > before) {
                        errors.set(before, errors.get(before) + whereFrom(config, key, environment));
                    }
                    if (value != null) {
                        boolean global = key.equals(PREFIX + option.key());
                        settings.put(option, new DataSourceSettings.Setting(value, key, global));
                    }
                }
            }
            dataSources.put(dataSource, new DataSourceSettings(dataSource, settings));
        }
        if (!errors.isEmpty()) {
            // a global key is read for every datasource: name each bad one once
            throw new ConfigurationException("seqguard's configuration is invalid, so no datasource was guarded:\n  - "
                    + String.join("\n  - ", new LinkedHashSet<>(errors)), keys);
        }
        SeqguardSettings settings = new SeqguardSettings(dataSources, unknownVariables(environment, dataSourceNames));
        settings.checkKinds(kinds);
        return settings;
    }

    /** Refuses options set for one datasource that is not PostgreSQL: seqguard guards PostgreSQL only. */
    private void checkKinds(Map<String, String> kinds) {
        for (Map.Entry<String, String> kind : kinds.entrySet()) {
            DataSourceSettings dataSource = forDataSource(kind.getKey());
            if (!isPostgres(kind.getValue()) && dataSource.configuredExplicitly()) {
                throw new ConfigurationException(PREFIX + "\"" + kind.getKey() + "\".* is set, but datasource '"
                        + kind.getKey() + "' is " + kind.getValue() + ", not PostgreSQL: seqguard guards PostgreSQL "
                        + "only. Remove those keys.");
            }
        }
    }

    /** {@return whether Quarkus' database kind is PostgreSQL, under any of its names} */
    static boolean isPostgres(String kind) {
        return kind != null && (kind.equalsIgnoreCase("postgresql") || kind.equalsIgnoreCase("postgres")
                || kind.equalsIgnoreCase("pgsql") || kind.equalsIgnoreCase("pg"));
    }

    /**
     * {@return the keys that may set {@code option} for the datasource, the most specific first: quoted datasource
     * name, unquoted (for names without a dot), global}
     */
    static List<String> keysFor(String dataSource, GuardOption<?> option) {
        List<String> keys = new ArrayList<>(3);
        keys.add(PREFIX + "\"" + dataSource + "\"." + option.key());
        if (!dataSource.contains(".") && !dataSource.contains("\"")) {
            keys.add(PREFIX + dataSource + "." + option.key());
        }
        keys.add(PREFIX + option.key());
        return keys;
    }

    /** The key the user should write for {@code option} of the datasource when setting it for that one alone. */
    static String keyFor(String dataSource, GuardOption<?> option) {
        return DataSourceUtil.isDefault(dataSource) ? PREFIX + option.key()
                : PREFIX + "\"" + dataSource + "\"." + option.key();
    }

    private static Object parse(GuardOption<?> option, String text, String key, List<String> errors) {
        try {
            return tryValue(option, text, key);
        } catch (IllegalArgumentException e) {
            errors.add(e.getMessage());
            return null;
        }
    }

    /** Parses the value and tries it on a scratch configuration, so that a value out of range is refused here. */
    private static <T> T tryValue(GuardOption<T> option, String text, String key) {
        T value = option.parse(text, key);
        option.apply(StartupGuard.configure(), value, key);
        return value;
    }

    private static void checkKey(String name, Collection<String> dataSourceNames, List<String> errors) {
        String rest = name.substring(PREFIX.length());
        String dataSource = null;
        String option = rest;
        if (rest.startsWith("\"")) {
            int close = rest.indexOf('"', 1);
            if (close < 0 || close + 1 >= rest.length() || rest.charAt(close + 1) != '.') {
                errors.add(name + ": not a seqguard key; per datasource write " + PREFIX + "\"<datasource>\".<option>");
                return;
            }
            dataSource = rest.substring(1, close);
            option = rest.substring(close + 2);
        } else if (rest.contains(".")) {
            dataSource = rest.substring(0, rest.indexOf('.'));
            option = rest.substring(rest.indexOf('.') + 1);
        }
        if (GuardOption.forKey(option).isEmpty()) {
            errors.add(name + ": '" + option + "' is no seqguard option; the options are " + optionKeys());
            return;
        }
        if (dataSource != null && !dataSourceNames.contains(dataSource)) {
            errors.add(name + ": there is no datasource '" + dataSource + "'; the datasources are "
                    + dataSourceNames.stream().map(d -> "\"" + d + "\"").collect(Collectors.joining(", ")));
        }
    }

    /**
     * Where the key is set, for messages: the environment variable the user wrote, else the configuration source
     * (for example {@code application.properties} with its location); empty when that is not known.
     */
    private static String whereFrom(Config config, String key, Map<String, String> environment) {
        String variable = environmentName(key);
        if (environment.containsKey(variable)) {
            return " (set as environment variable " + variable + ")";
        }
        String source = config.getConfigValue(key).getSourceName();
        return source == null ? "" : " (set in " + source + ")";
    }

    private static String optionKeys() {
        return GuardOption.all().stream().map(GuardOption::key).collect(Collectors.joining(", "));
    }

    private static List<String> unknownVariables(Map<String, String> environment, Collection<String> dataSources) {
        Set<String> known = new TreeSet<>();
        for (GuardOption<?> option : GuardOption.all()) {
            for (String dataSource : dataSources) {
                for (String key : keysFor(dataSource, option)) {
                    known.add(environmentName(key));
                }
            }
        }
        List<String> warnings = new ArrayList<>();
        for (String variable : new TreeSet<>(environment.keySet())) {
            if (variable.startsWith(ENV_PREFIX) && !known.contains(variable)) {
                warnings.add("environment variable " + variable + " names no seqguard option and is ignored; the "
                        + "options are " + optionKeys() + ", for example QUARKUS_SEQGUARD_MODE or, for datasource "
                        + "'orders', QUARKUS_SEQGUARD__ORDERS__MODE");
            }
        }
        return warnings;
    }

    /** SmallRye Config's environment name of a key: every character but letters and digits becomes '_'. */
    static String environmentName(String key) {
        StringBuilder name = new StringBuilder(key.length());
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            name.append(Character.isLetterOrDigit(c) ? Character.toUpperCase(c) : '_');
        }
        return name.toString().toUpperCase(Locale.ROOT);
    }

    /**
     * {@return the settings of one datasource}
     *
     * @param dataSource the datasource's name
     */
    public DataSourceSettings forDataSource(String dataSource) {
        DataSourceSettings settings = dataSources.get(dataSource);
        if (settings == null) {
            throw new IllegalArgumentException("no datasource '" + dataSource + "' was read: " + dataSources.keySet());
        }
        return settings;
    }

    /** {@return what is worth a warning but does not stop start-up} */
    public List<String> warnings() {
        return warnings;
    }
}
