package io.seqguard.quarkus.runtime;

import io.quarkus.datasource.common.runtime.DataSourceUtil;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.seqguard.GuardConfiguration;
import io.seqguard.GuardOption;
import io.seqguard.StartupGuard;
import io.seqguard.Vocabulary;

import java.util.Map;
import java.util.Set;

/** The options set for one datasource, each with the key it came from, so that messages name that key. */
public final class DataSourceSettings {

    /** A value and the key the user wrote it under. */
    static final class Setting {
        final Object value;
        final String key;
        /** Whether it was set for every datasource, not for this one. */
        final boolean global;

        Setting(Object value, String key, boolean global) {
            this.value = value;
            this.key = key;
            this.global = global;
        }
    }

    private final String dataSource;
    private final Map<GuardOption<?>, Setting> settings;

    DataSourceSettings(String dataSource, Map<GuardOption<?>, Setting> settings) {
        this.dataSource = dataSource;
        this.settings = settings;
    }

    /** {@return the datasource's name} */
    public String dataSource() {
        return dataSource;
    }

    /** {@return false when {@code enabled=false} applies to this datasource} */
    public boolean enabled() {
        Setting enabled = settings.get(GuardOption.ENABLED);
        return enabled == null || (Boolean) enabled.value;
    }

    /**
     * {@return the key to name for {@code option}: the one the user set it under, else the one that would set it for
     * this datasource}
     *
     * @param option the option
     */
    public String key(GuardOption<?> option) {
        Setting setting = settings.get(option);
        return setting != null ? setting.key : SeqguardSettings.keyFor(dataSource, option);
    }

    /** {@return whether any option is set for this datasource alone, not globally} */
    public boolean configuredExplicitly() {
        return settings.values().stream().anyMatch(s -> !s.global);
    }

    /**
     * Starts the guard's configuration: the pool, messages in Quarkus' words, every option set.
     *
     * @param pool the datasource itself
     * @param defaultApplicationName used when {@code application-name} is not set; may be null
     * @return the configuration, not loaded yet
     */
    public GuardConfiguration configure(javax.sql.DataSource pool, String defaultApplicationName) {
        GuardConfiguration guard = StartupGuard.configure().dataSource(pool).vocabulary(vocabulary());
        if (defaultApplicationName != null) {
            guard.applicationName(defaultApplicationName);
        }
        for (Map.Entry<GuardOption<?>, Setting> entry : settings.entrySet()) {
            apply(guard, entry.getKey(), entry.getValue());
        }
        return guard;
    }

    @SuppressWarnings("unchecked")
    private static <T> void apply(GuardConfiguration guard, GuardOption<T> option, Setting setting) {
        option.apply(guard, (T) setting.value, setting.key);
    }

    /**
     * Loads a configuration, naming the keys when their values contradict each other (a lock wait longer than the
     * time limit).
     *
     * @param guard the configuration
     * @return the guard
     * @throws ConfigurationException when the values contradict each other
     */
    public StartupGuard load(GuardConfiguration guard) {
        try {
            return guard.load();
        } catch (IllegalStateException e) {
            throw new ConfigurationException("seqguard, datasource '" + dataSource + "': " + e.getMessage()
                    + " (the values come from these keys and any SeqguardConfigurationCustomizer)",
                    Set.of(key(GuardOption.LOCK_WAIT_TIMEOUT), key(GuardOption.TIME_LIMIT)));
        }
    }

    /** {@return how messages name options and the repair: the Quarkus keys of this datasource} */
    public Vocabulary vocabulary() {
        return new Vocabulary() {
            @Override
            public String option(String method) {
                for (GuardOption<?> option : GuardOption.all()) {
                    if (option.method().equals(method)) {
                        return key(option);
                    }
                }
                return null;
            }

            @Override
            public String repair() {
                return "the guard with " + key(GuardOption.MODE) + "=repair (the seqguard init task does it once per "
                        + "rollout)";
            }
        };
    }

    /** {@return how the datasource is named in messages} */
    String displayName() {
        return DataSourceUtil.isDefault(dataSource) ? "the default datasource" : "datasource '" + dataSource + "'";
    }
}
