package io.seqguard.spring.boot.autoconfigure;

import io.seqguard.GuardOption;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.OriginLookup;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Every key the application sets under {@code seqguard.}, checked against {@link GuardOption#all()} before any guard
 * runs: {@code seqguard.<key>} and {@code seqguard.datasources.<name>.<key>} (with an index for list options). A key
 * that is none stops start-up, naming it, where it was set and what is accepted; one that only an environment
 * variable sets is logged instead, since any stray variable of the process would otherwise stop start-up.
 */
final class PropertyCheck {

    private static final Log log = LogFactory.getLog(SeqguardInitializer.class);

    static final String PREFIX = "seqguard.";
    static final String DATASOURCES = PREFIX + "datasources.";
    private static final ConfigurationPropertyName ROOT = ConfigurationPropertyName.of("seqguard");
    private static final String ENVIRONMENT_PREFIX = "SEQGUARD_";

    /** Each option by its key in Spring's uniform form (lower case, letters and digits only). */
    private static final Map<String, GuardOption<?>> BY_UNIFORM_KEY = new LinkedHashMap<>();

    static {
        for (GuardOption<?> option : GuardOption.all()) {
            BY_UNIFORM_KEY.put(uniform(option.key()), option);
        }
    }

    /** The {@code seqguard.datasources} names set outside environment variables, as written, with where. */
    private final Map<String, String> dataSourceKeys;
    /** The {@code seqguard.datasources} names that environment variables set, in Spring's uniform form. */
    private final Set<String> environmentDataSourceKeys;

    private PropertyCheck(Map<String, String> dataSourceKeys, Set<String> environmentDataSourceKeys) {
        this.dataSourceKeys = dataSourceKeys;
        this.environmentDataSourceKeys = environmentDataSourceKeys;
    }

    /** {@return nothing to check: no environment (an initializer made by hand)} */
    static PropertyCheck none() {
        return new PropertyCheck(Map.of(), Set.of());
    }

    /**
     * Reads every property source of the environment.
     *
     * @throws SeqguardConfigurationException naming each key under {@code seqguard.} that is no option
     */
    static PropertyCheck of(Environment environment) {
        if (!(environment instanceof ConfigurableEnvironment configurable)) {
            return none();
        }
        Map<String, String> dataSourceKeys = new LinkedHashMap<>();
        Set<String> environmentDataSourceKeys = new LinkedHashSet<>();
        List<String> unknown = new ArrayList<>();
        Set<String> suggestions = new LinkedHashSet<>();
        for (PropertySource<?> source : configurable.getPropertySources()) {
            if (ConfigurationPropertySources.isAttachedConfigurationPropertySource(source)
                    || !(source instanceof EnumerablePropertySource<?> enumerable)) {
                continue;
            }
            boolean variables = source instanceof SystemEnvironmentPropertySource;
            for (String raw : enumerable.getPropertyNames()) {
                if (variables) {
                    checkVariable(raw, environmentDataSourceKeys);
                    continue;
                }
                ConfigurationPropertyName name = ConfigurationPropertyName.adapt(raw, '.');
                if (!ROOT.isAncestorOf(name) || raw.startsWith(PREFIX + GuardOption.TEST_KIT_KEYS)) {
                    continue;
                }
                Key key = Key.of(raw, name);
                if (key.dataSource != null) {
                    dataSourceKeys.putIfAbsent(key.dataSource, origin(source, raw));
                }
                if (key.option == null) {
                    unknown.add(raw + origin(source, raw));
                    key.suggestion().ifPresent(suggestions::add);
                }
            }
        }
        if (!unknown.isEmpty()) {
            throw unknownKeys(unknown, suggestions);
        }
        return new PropertyCheck(dataSourceKeys, environmentDataSourceKeys);
    }

    /** Whether {@code seqguard.datasources.<key>} comes from environment variables only. */
    boolean isFromEnvironmentOnly(String dataSourceKey) {
        return !dataSourceKeys.containsKey(dataSourceKey)
                && environmentDataSourceKeys.contains(uniform(dataSourceKey));
    }

    /** Where the first property of {@code seqguard.datasources.<key>} is set, for messages; empty when unknown. */
    String dataSourceOrigin(String dataSourceKey) {
        return dataSourceKeys.getOrDefault(dataSourceKey, "");
    }

    /** Where a property is set, for messages: {@code class path resource [application.properties] - 3:1}. */
    static String origin(PropertySource<?> source, String raw) {
        if (source instanceof OriginLookup<?>) {
            @SuppressWarnings("unchecked")
            Origin origin = ((OriginLookup<String>) source).getOrigin(raw);
            if (origin != null) {
                return " (" + origin + ")";
            }
        }
        return " (property source '" + source.getName() + "')";
    }

    /** Where a property is set in this environment; empty when no source sets it under that name. */
    static String origin(Environment environment, String key) {
        if (environment instanceof ConfigurableEnvironment configurable) {
            for (PropertySource<?> source : configurable.getPropertySources()) {
                if (!ConfigurationPropertySources.isAttachedConfigurationPropertySource(source)
                        && source.containsProperty(key)) {
                    return origin(source, key);
                }
            }
        }
        return "";
    }

    /** {@return every accepted key, for messages: the options beneath both prefixes} */
    static String accepted() {
        return "The seqguard properties are seqguard.<key> for every DataSource bean and "
                + "seqguard.datasources.<DataSource bean name>.<key> for one, where <key> is one of: "
                + GuardOption.all().stream().map(GuardOption::key).collect(Collectors.joining(", ")) + ".";
    }

    private static SeqguardConfigurationException unknownKeys(List<String> unknown, Set<String> suggestions) {
        String description = (unknown.size() == 1 ? "This property is not a seqguard property: "
                : "These properties are not seqguard properties: ") + String.join(", ", unknown) + ".";
        String action = (suggestions.isEmpty() ? "" : "Did you mean " + String.join(", ", suggestions) + "? ")
                + accepted();
        return new SeqguardConfigurationException(unknown.get(0).replaceFirst(" \\(.*$", ""), description, action,
                null);
    }

    /** An environment variable {@code SEQGUARD_...}: only logged when it sets no option. */
    private static void checkVariable(String variable, Set<String> environmentDataSourceKeys) {
        if (!variable.toUpperCase(Locale.ROOT).startsWith(ENVIRONMENT_PREFIX)) {
            return;
        }
        List<String> parts = List.of(variable.substring(ENVIRONMENT_PREFIX.length()).split("_+"));
        if (isOption(parts, 0)) {
            return;
        }
        if (parts.size() > 2 && uniform(parts.get(0)).equals("datasources")) {
            // SEQGUARD_DATASOURCES_<NAME>_<KEY>: the name may hold underscores itself
            for (int end = 2; end < parts.size(); end++) {
                if (isOption(parts, end)) {
                    environmentDataSourceKeys.add(uniform(String.join("", parts.subList(1, end))));
                    return;
                }
            }
        }
        log.warn("seqguard: environment variable " + variable + " sets no seqguard property; it is ignored. "
                + accepted());
    }

    private static boolean isOption(List<String> parts, int from) {
        String joined = uniform(String.join("", parts.subList(from, parts.size())));
        if (BY_UNIFORM_KEY.containsKey(joined)) {
            return true;
        }
        // a list element: SEQGUARD_SCHEMAS_0
        return parts.size() - from > 1 && parts.get(parts.size() - 1).chars().allMatch(Character::isDigit)
                && isOption(parts.subList(0, parts.size() - 1), from);
    }

    static String uniform(String text) {
        return text.replaceAll("[^A-Za-z0-9]", "").toLowerCase(Locale.ROOT);
    }

    /** One key under {@code seqguard.}: which data source block it is in, and which option it sets, if any. */
    private record Key(String raw, String dataSource, GuardOption<?> option, String tail) {

        static Key of(String raw, ConfigurationPropertyName name) {
            int elements = name.getNumberOfElements();
            int at = 1;
            String dataSource = null;
            if (elements > 2 && name.getElement(1, Form.UNIFORM).equals("datasources")) {
                dataSource = name.getElement(2, Form.ORIGINAL);
                at = 3;
            }
            GuardOption<?> option = null;
            if (elements > at && (elements > 2 || !name.getElement(1, Form.UNIFORM).equals("datasources"))) {
                option = BY_UNIFORM_KEY.get(name.getElement(at, Form.UNIFORM));
                int rest = elements - at - 1;
                boolean listElement = rest == 1 && option != null && option.type() == List.class
                        && name.isNumericIndex(at + 1);
                if (rest > 0 && !listElement) {
                    option = null;
                }
            }
            List<String> tail = new ArrayList<>();
            for (int i = at; i < elements; i++) {
                tail.add(name.getElement(i, Form.ORIGINAL));
            }
            return new Key(raw, dataSource, option, String.join(".", tail));
        }

        /** {@return the key the user most likely meant: the same prefix with the nearest option} */
        Optional<String> suggestion() {
            if (tail.isEmpty()) {
                return Optional.empty();
            }
            String prefix = dataSource == null ? PREFIX : DATASOURCES + dataSource + ".";
            // seqguard.journal.enabled: an option with a sub-key it does not have
            Optional<GuardOption<?>> nearest = Optional.ofNullable(BY_UNIFORM_KEY.get(uniform(tail.split("\\.")[0])));
            if (nearest.isEmpty()) {
                nearest = GuardOption.closest(tail);
            }
            return nearest.map(option -> prefix + option.key());
        }
    }
}
