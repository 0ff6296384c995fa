package io.seqguard.spring.boot.autoconfigure;

import io.seqguard.AlignerConfiguration;
import io.seqguard.AllocationRule;
import io.seqguard.GuardConfiguration;
import io.seqguard.GuardMode;
import io.seqguard.SequenceAligner;
import io.seqguard.SequenceMapping;
import io.seqguard.StandbyAction;
import io.seqguard.SubscriptionAction;
import io.seqguard.spring.boot.autoconfigure.SeqguardProperties.DataSourceGuard;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * The settings in effect for one DataSource bean: the global {@code seqguard.*} values with the bean's
 * {@code seqguard.datasources.<name>.*} values over them, each remembering the property it came from so that an
 * invalid value is reported under the name the user wrote.
 */
final class GuardSettings {

    private static final String PREFIX = "seqguard.";

    private final String dataSourceName;
    private final String overridePrefix;
    private final SeqguardProperties global;
    private final DataSourceGuard override;

    GuardSettings(String dataSourceName, String overrideKey, SeqguardProperties global, DataSourceGuard override) {
        this.dataSourceName = dataSourceName;
        this.overridePrefix = PREFIX + "datasources." + overrideKey + ".";
        this.global = global;
        this.override = override != null ? override : new DataSourceGuard();
    }

    String dataSourceName() {
        return dataSourceName;
    }

    /** Whether set explicitly for this bean: null when it follows the default. */
    Boolean enabledOverride() {
        return override.getEnabled();
    }

    GuardMode mode() {
        return pick(override.getMode(), global.getMode());
    }

    /** The property that decides the mode, for messages that tell the user what to change. */
    String modeProperty() {
        return override.getMode() != null ? overridePrefix + "mode" : PREFIX + "mode";
    }

    /** The property prefix a message should point at for this bean: its own. */
    String ownPrefix() {
        return overridePrefix;
    }

    int jobs() {
        return pick(override.getJobs(), global.getJobs());
    }

    String jobsProperty() {
        return name(override.getJobs(), "jobs");
    }

    /**
     * Writes these settings into a guard configuration.
     *
     * @param guard the configuration, its data source already set
     * @param defaultApplicationName used when no application name is configured; may be null
     * @param jobs the parallel reads to use (the configured value, or fewer for a small pool)
     * @throws InvalidConfigurationPropertyValueException naming the property whose value core refused
     */
    void applyTo(GuardConfiguration guard, String defaultApplicationName, int jobs) {
        GuardMode mode = mode();
        guard.mode(mode);
        Duration timeLimit = pick(override.getTimeLimit(), global.getTimeLimit());
        Duration lockWaitTimeout = pick(override.getLockWaitTimeout(), global.getLockWaitTimeout());
        apply(name(override.getTimeLimit(), "time-limit"), timeLimit, guard::timeLimit);
        if (lockWaitTimeout != null) {
            apply(name(override.getLockWaitTimeout(), "lock-wait-timeout"), lockWaitTimeout, guard::lockWaitTimeout);
            if (timeLimit != null && lockWaitTimeout.compareTo(timeLimit) > 0) {
                throw new InvalidConfigurationPropertyValueException(
                        name(override.getLockWaitTimeout(), "lock-wait-timeout"), lockWaitTimeout,
                        "It must not exceed the time limit " + name(override.getTimeLimit(), "time-limit") + " ("
                                + timeLimit + ") of DataSource '" + dataSourceName + "'.");
            }
        }
        apply(name(override.getOnStandby(), "on-standby"), pick(override.getOnStandby(), global.getOnStandby()),
                (StandbyAction action) -> guard.onStandby(action));
        apply(name(override.getOnEnabledSubscription(), "on-enabled-subscription"),
                pick(override.getOnEnabledSubscription(), global.getOnEnabledSubscription()),
                (SubscriptionAction action) -> guard.onEnabledSubscription(action));
        String applicationName = pick(override.getApplicationName(), global.getApplicationName());
        if (applicationName == null || applicationName.isBlank()) {
            applicationName = defaultApplicationName;
        }
        if (applicationName != null && !applicationName.isBlank()) {
            apply(name(override.getApplicationName(), "application-name"), applicationName,
                    guard::applicationName);
        }
        guard.journal(pick(override.getJournal().getEnabled(), global.getJournal().isEnabled()));
        apply(name(override.getJournal().getTable(), "journal.table"),
                pick(override.getJournal().getTable(), global.getJournal().getTable()), guard::journalTable);
        if (mode == GuardMode.OFF) {
            return;
        }
        // Validate here, where the property names are known; the aligner customizer below then cannot fail.
        AlignerSettings aligner = alignerSettings(jobs);
        guard.aligner(aligner::applyTo);
    }

    private AlignerSettings alignerSettings(int jobs) {
        AlignerSettings a = new AlignerSettings();
        a.schemas = pick(override.getSchemas(), global.getSchemas());
        a.excludeSchemas = pick(override.getExcludeSchemas(), global.getExcludeSchemas());
        a.excludeSequences = pick(override.getExcludeSequences(), global.getExcludeSequences());
        a.excludeTables = pick(override.getExcludeTables(), global.getExcludeTables());
        List<String> mappingTexts = pick(override.getMappings(), global.getMappings());
        String mappingsProperty = name(override.getMappings(), "mappings");
        a.mappings = new ArrayList<>();
        for (int i = 0; i < mappingTexts.size(); i++) {
            String text = mappingTexts.get(i);
            a.mappings.add(convert(mappingsProperty + "[" + i + "]", text, SequenceMapping::parse));
        }
        String allocation = pick(override.getAllocation(), global.getAllocation());
        a.allocation = convert(name(override.getAllocation(), "allocation"), allocation, AllocationRule::parse);
        a.margin = pick(override.getMargin(), global.getMargin());
        a.statementTimeout = pick(override.getStatementTimeout(), global.getStatementTimeout());
        a.lockTimeout = pick(override.getLockTimeout(), global.getLockTimeout());
        a.jobs = jobs;
        a.capacityWarning = pick(override.getCapacityWarning(), global.getCapacityWarning());
        a.blockWritersDuringRepair = pick(override.getBlockWritersDuringRepair(),
                global.isBlockWritersDuringRepair());
        // a trial run of every setter, so that a refused value names its property now
        AlignerConfiguration trial = SequenceAligner.configure();
        apply(name(override.getSchemas(), "schemas"), a.schemas, (List<String> v) -> trial.schemas(v));
        apply(name(override.getExcludeSchemas(), "exclude-schemas"), a.excludeSchemas,
                (List<String> v) -> trial.excludeSchemas(v));
        apply(name(override.getExcludeSequences(), "exclude-sequences"), a.excludeSequences,
                (List<String> v) -> trial.excludeSequences(v));
        apply(name(override.getExcludeTables(), "exclude-tables"), a.excludeTables,
                (List<String> v) -> trial.excludeTables(v));
        apply(name(override.getMargin(), "margin"), a.margin, trial::margin);
        apply(name(override.getStatementTimeout(), "statement-timeout"), a.statementTimeout,
                trial::statementTimeout);
        apply(name(override.getLockTimeout(), "lock-timeout"), a.lockTimeout, trial::lockTimeout);
        apply(jobsProperty(), a.jobs, trial::jobs);
        apply(name(override.getCapacityWarning(), "capacity-warning"), a.capacityWarning, trial::capacityWarning);
        return a;
    }

    /** Aligner values, validated; applied to the aligner configuration the guard builds. */
    private static final class AlignerSettings {
        List<String> schemas;
        List<String> excludeSchemas;
        List<String> excludeSequences;
        List<String> excludeTables;
        List<SequenceMapping> mappings;
        AllocationRule allocation;
        long margin;
        Duration statementTimeout;
        Duration lockTimeout;
        int jobs;
        double capacityWarning;
        boolean blockWritersDuringRepair;

        void applyTo(AlignerConfiguration a) {
            a.schemas(schemas).excludeSchemas(excludeSchemas).excludeSequences(excludeSequences)
                    .excludeTables(excludeTables).mappings(mappings).allocation(allocation).margin(margin)
                    .statementTimeout(statementTimeout).lockTimeout(lockTimeout).jobs(jobs)
                    .capacityWarning(capacityWarning).blockWritersDuringRepair(blockWritersDuringRepair);
        }
    }

    private String name(Object overrideValue, String property) {
        return (overrideValue != null ? overridePrefix : PREFIX) + property;
    }

    private static <T> T pick(T overrideValue, T globalValue) {
        return overrideValue != null ? overrideValue : globalValue;
    }

    private static <T> void apply(String property, T value, Consumer<T> setter) {
        if (value == null) {
            throw new InvalidConfigurationPropertyValueException(property, null, "A value is required.");
        }
        try {
            setter.accept(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationPropertyValueException(property, value, e.getMessage());
        }
    }

    private static <T> T convert(String property, String text, Function<String, T> parser) {
        if (text == null) {
            throw new InvalidConfigurationPropertyValueException(property, null, "A value is required.");
        }
        try {
            return parser.apply(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationPropertyValueException(property, text, e.getMessage());
        }
    }
}
