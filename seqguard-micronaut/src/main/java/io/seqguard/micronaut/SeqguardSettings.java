package io.seqguard.micronaut;

import io.micronaut.context.env.Environment;
import io.micronaut.context.env.PropertySource;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.naming.NameUtils;
import io.seqguard.GuardConfiguration;
import io.seqguard.GuardOption;
import io.seqguard.StartupGuard;
import io.seqguard.Vocabulary;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.slf4j.LoggerFactory;

/**
 * The {@code seqguard.*} properties of the application, read through {@link GuardOption}: every option at the global
 * level {@code seqguard.<key>} and per data source {@code seqguard.datasources.<name>.<key>}, the data source's own
 * value over the global one. No option is declared here: keys, parsing, defaults and range checks are the core's.
 */
final class SeqguardSettings {

    static final String PREFIX = "seqguard.";
    static final String DATASOURCES = PREFIX + "datasources.";

    private static final org.slf4j.Logger log = LoggerFactory.getLogger(SeqguardDataSourceListener.class);
    private static final String VARIABLE_PREFIX = "SEQGUARD_";

    private final Environment environment;

    SeqguardSettings(Environment environment) {
        this.environment = environment;
    }

    /**
     * {@return the names of the data sources that have properties of their own, {@code seqguard.datasources.<name>}}
     */
    Set<String> blocks() {
        return new TreeSet<>(environment.getPropertyEntries(PREFIX + "datasources"));
    }

    /** Where a data source's settings are: {@code seqguard.datasources.<name>.} when it has its own, else global. */
    String prefix(String name) {
        return blocks().contains(name) ? DATASOURCES + name + "." : PREFIX;
    }

    /** The data source's own {@code enabled}; null when it does not set one. */
    @Nullable Boolean enabled(String name) {
        Object value = environment.getProperty(DATASOURCES + name + "." + GuardOption.ENABLED.key(), Object.class)
                .orElse(null);
        return value == null ? null : parse(GuardOption.ENABLED, value, DATASOURCES + name + ".enabled");
    }

    /**
     * Checks the whole configuration before any guard runs: every key under {@code seqguard.} must be an option
     * (environment variables are only logged), every {@code seqguard.datasources} name a data source, every value
     * acceptable for every data source.
     *
     * @param dataSources the names of the application's data sources
     * @throws ConfigurationException naming each key or name that is wrong and what is accepted
     */
    void check(Collection<String> dataSources) {
        List<String> unknown = new ArrayList<>();
        Set<String> suggestions = new LinkedHashSet<>();
        Set<String> named = new TreeSet<>();
        for (PropertySource source : environment.getPropertySources()) {
            boolean variables = source.getConvention() == PropertySource.PropertyConvention.ENVIRONMENT_VARIABLE;
            for (String raw : source) {
                if (variables) {
                    checkVariable(raw, dataSources);
                } else {
                    checkKey(raw, source, unknown, suggestions, named);
                }
            }
        }
        if (!unknown.isEmpty()) {
            throw new ConfigurationException((unknown.size() == 1 ? "seqguard: this property is not a seqguard "
                    + "property: " : "seqguard: these properties are not seqguard properties: ")
                    + String.join(", ", unknown) + ". " + (suggestions.isEmpty() ? "" : "Did you mean "
                    + String.join(", ", suggestions) + "? ") + accepted());
        }
        Set<String> misspelt = new TreeSet<>(named);
        misspelt.removeAll(dataSources);
        if (!misspelt.isEmpty()) {
            String first = DATASOURCES + misspelt.iterator().next();
            throw new ConfigurationException((misspelt.size() == 1 ? first + origin(first) + ": there is no data "
                    + "source named '" + misspelt.iterator().next() + "'." : "seqguard: there are no data sources "
                    + "named " + misspelt + ".") + " The names under " + DATASOURCES + "<name> must be data source "
                    + "names (datasources.<name>), so that a misspelt one does not leave its data source on the global "
                    + "settings. This application's data sources: " + new TreeSet<>(dataSources) + ".");
        }
        for (String name : new TreeSet<>(dataSources)) {
            if (!Boolean.FALSE.equals(enabled(name))) {
                load(name, configure(name, NO_CONNECTION, null, null));
            }
        }
    }

    /**
     * Loads a configuration made by {@link #configure}, possibly customized.
     *
     * @throws ConfigurationException when its values contradict each other, naming the properties
     */
    static StartupGuard load(String name, GuardConfiguration guard) {
        try {
            return guard.load();
        } catch (IllegalStateException | IllegalArgumentException e) {
            // values that contradict each other, such as a lock wait longer than the time limit, or a customizer's
            throw new ConfigurationException("Micronaut data source '" + name + "': " + e.getMessage()
                    + " (the values come from the seqguard properties and any SeqguardConfigurationCustomizer)", e);
        }
    }

    /**
     * The guard's configuration for one data source: every option, the data source's own value where it has one.
     *
     * @param pool the pool itself
     * @param applicationName the name when {@code application-name} is not set; may be null
     * @param hikariMaximumPoolSize the pool's size when it is a Hikari pool, else null: {@code jobs} is cut to fit
     * @throws ConfigurationException naming the property whose value the core refuses
     */
    GuardConfiguration configure(String name, DataSource pool, @Nullable String applicationName,
            @Nullable Integer hikariMaximumPoolSize) {
        String prefix = prefix(name);
        GuardConfiguration guard = StartupGuard.configure().dataSource(pool).vocabulary(Vocabulary.properties(prefix,
                "the application with " + prefix + "mode=repair", "a SeqguardConfigurationCustomizer bean calling"));
        for (GuardOption<?> option : GuardOption.all()) {
            if (option != GuardOption.ENABLED) {
                apply(name, guard, option, applicationName, hikariMaximumPoolSize);
            }
        }
        return guard;
    }

    private <T> void apply(String name, GuardConfiguration guard, GuardOption<T> option,
            @Nullable String applicationName, @Nullable Integer hikariMaximumPoolSize) {
        String key = DATASOURCES + name + "." + option.key();
        Object value = environment.getProperty(key, Object.class).orElse(null);
        if (value == null) {
            key = PREFIX + option.key();
            value = environment.getProperty(key, Object.class).orElse(null);
        }
        if (value == null && option == GuardOption.JOBS && hikariMaximumPoolSize != null) {
            // unset is the default, which must fit the pool too
            value = option.defaultValue();
        }
        if (value == null && option == GuardOption.APPLICATION_NAME && applicationName != null) {
            key = "micronaut.application.name";
            value = applicationName;
        }
        if (value == null) {
            return;
        }
        T typed = parse(option, value, key);
        if (option == GuardOption.JOBS && hikariMaximumPoolSize != null) {
            typed = cast(jobsFor(name, (Integer) typed, key, hikariMaximumPoolSize));
        }
        try {
            option.apply(guard, typed, key);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(e.getMessage() + origin(key) + ". " + option.key() + ": "
                    + option.description(), e);
        }
    }

    /**
     * Where a property (or the first property under it) is set, for messages, for example
     * {@code  (classpath:application.yml)}; empty when no property source has it.
     */
    private String origin(String key) {
        for (PropertySource source : environment.getPropertySources()) {
            for (String raw : source) {
                String name = NameUtils.hyphenate(raw, true);
                if (name.equals(key) || name.startsWith(key + ".") || name.startsWith(key + "[")) {
                    return " (" + source.getOrigin().location() + ")";
                }
            }
        }
        return "";
    }

    /** Text and numbers through the option's parser; a list (YAML's, or {@code key[0]}) element by element. */
    private <T> T parse(GuardOption<T> option, Object value, String key) {
        try {
            if (value instanceof Iterable<?> items) {
                if (option.type() != List.class) {
                    throw new IllegalArgumentException(key + ": takes one value, not a list");
                }
                List<String> list = new ArrayList<>();
                items.forEach(item -> list.add(String.valueOf(item)));
                return option.type().isInstance(list) ? cast(list) : option.parse(String.join(",", list), key);
            }
            return option.parse(String.valueOf(value), key);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(e.getMessage() + origin(key) + ". " + option.key() + ": "
                    + option.description(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object value) {
        return (T) value;
    }

    /**
     * The guard borrows one connection for its lock and the aligner up to jobs more: a Hikari pool that lends fewer
     * is read with fewer jobs; one that lends only one is refused now rather than timing out later.
     */
    private static int jobsFor(String name, int jobs, String key, int maximumPoolSize) {
        if (jobs + 1 <= maximumPoolSize) {
            return jobs;
        }
        if (maximumPoolSize < 2) {
            throw new ConfigurationException("Micronaut data source '" + name + "' is a Hikari pool of at most "
                    + maximumPoolSize + " connection, but seqguard's startup guard needs 2 at once (one holds its "
                    + "lock, one reads). Raise datasources." + name + ".maximum-pool-size to 2 or more, or set "
                    + DATASOURCES + name + ".enabled=false.");
        }
        log.info("seqguard: data source '{}' lends at most {} connections; reading with {} job(s) instead of {} ({})",
                name, maximumPoolSize, maximumPoolSize - 1, jobs, key);
        return maximumPoolSize - 1;
    }

    /** A key under {@code seqguard.} from a configuration file, system property or the like. */
    private static void checkKey(String raw, PropertySource source, List<String> unknown, Set<String> suggestions,
            Set<String> named) {
        String key = NameUtils.hyphenate(raw, true);
        if (!key.startsWith(PREFIX) || key.startsWith(PREFIX + GuardOption.TEST_KIT_KEYS)) {
            return;
        }
        String rest = key.substring(PREFIX.length());
        String prefix = PREFIX;
        if (rest.startsWith("datasources.")) {
            int dot = rest.indexOf('.', "datasources.".length());
            if (dot > 0) {
                String name = rest.substring("datasources.".length(), dot);
                named.add(name);
                prefix = DATASOURCES + name + ".";
                rest = rest.substring(dot + 1);
            }
        }
        // a list element: schemas[0]
        String optionKey = rest.replaceFirst("\\[\\d+]$", "");
        boolean element = !optionKey.equals(rest);
        Optional<GuardOption<?>> option = GuardOption.forKey(optionKey)
                .filter(o -> !element || o.type() == List.class);
        if (option.isEmpty()) {
            unknown.add(raw + " (" + source.getOrigin().location() + ")");
            Optional<GuardOption<?>> nearest = GuardOption.forKey(optionKey.split("\\.")[0]);
            if (nearest.isEmpty()) {
                nearest = GuardOption.closest(optionKey);
            }
            String suggestionPrefix = prefix;
            nearest.ifPresent(o -> suggestions.add(suggestionPrefix + o.key()));
        }
    }

    /**
     * An environment variable {@code SEQGUARD_...}: only logged when it sets no option, or names no data source,
     * since any stray variable of the process would otherwise stop start-up.
     */
    private static void checkVariable(String variable, Collection<String> dataSources) {
        String upper = variable.toUpperCase(Locale.ROOT);
        if (!upper.startsWith(VARIABLE_PREFIX)) {
            return;
        }
        String rest = squeezed(upper.substring(VARIABLE_PREFIX.length()));
        for (GuardOption<?> option : GuardOption.all()) {
            String key = squeezed(option.key());
            if (rest.equals(key)) {
                return;
            }
            if (rest.startsWith("datasources") && rest.endsWith(key)) {
                String name = rest.substring("datasources".length(), rest.length() - key.length());
                if (dataSources.stream().map(SeqguardSettings::squeezed).anyMatch(name::equals)) {
                    return;
                }
            }
        }
        log.warn("seqguard: environment variable {} sets no seqguard property of a data source of this application; "
                + "it is ignored. Data sources: {}. {}", variable, new TreeSet<>(dataSources), accepted());
    }

    private static String squeezed(String text) {
        return text.replaceAll("[^A-Za-z0-9]", "").toLowerCase(Locale.ROOT);
    }

    /** {@return every accepted key, for messages} */
    static String accepted() {
        return "The seqguard properties are seqguard.<key> for every data source and seqguard.datasources.<data "
                + "source name>.<key> for one, where <key> is one of: "
                + GuardOption.all().stream().map(GuardOption::key).collect(Collectors.joining(", ")) + ".";
    }

    /** Stands for a data source when only the configuration is checked: never asked for a connection. */
    private static final DataSource NO_CONNECTION = (DataSource) Proxy.newProxyInstance(
            SeqguardSettings.class.getClassLoader(), new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                if (method.getDeclaringClass() == Object.class) {
                    return method.getName().equals("toString") ? "the data source, not connected"
                            : method.getName().equals("hashCode") ? 0 : proxy == args[0];
                }
                throw new UnsupportedOperationException("only the configuration is checked");
            });
}
