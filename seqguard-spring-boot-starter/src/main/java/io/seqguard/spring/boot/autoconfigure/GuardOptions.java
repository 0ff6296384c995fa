package io.seqguard.spring.boot.autoconfigure;

import io.seqguard.GuardConfiguration;
import io.seqguard.GuardOption;
import io.seqguard.Vocabulary;
import io.seqguard.spring.boot.autoconfigure.SeqguardProperties.DataSourceGuard;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Reads each {@link GuardOption} from the bound properties by its key, so that no option is mapped by hand: the
 * components of {@link SeqguardProperties} and {@link DataSourceGuard} are the options' keys in camel case (a test
 * checks both against {@link GuardOption#all()}).
 */
final class GuardOptions {

    private static final Map<String, RecordComponent> GLOBAL = components(SeqguardProperties.class);
    private static final Map<String, RecordComponent> OWN = components(DataSourceGuard.class);

    private GuardOptions() {
    }

    /** The record's components by key ({@code lockTimeout} as {@code lock-timeout}), in declaration order. */
    static Map<String, RecordComponent> components(Class<? extends Record> type) {
        Map<String, RecordComponent> components = new LinkedHashMap<>();
        for (RecordComponent component : type.getRecordComponents()) {
            components.put(Vocabulary.kebabCase(component.getName()), component);
        }
        return Collections.unmodifiableMap(components);
    }

    /** The global value of an option, {@code seqguard.<key>}: the default when not set. */
    static Object global(SeqguardProperties properties, GuardOption<?> option) {
        return read(GLOBAL, properties, option);
    }

    /** A DataSource's own value of an option, {@code seqguard.datasources.<name>.<key>}: null when not set. */
    static Object own(DataSourceGuard properties, GuardOption<?> option) {
        return properties == null ? null : read(OWN, properties, option);
    }

    private static Object read(Map<String, RecordComponent> components, Record properties, GuardOption<?> option) {
        RecordComponent component = components.get(option.key());
        if (component == null) {
            throw new IllegalStateException(properties.getClass().getSimpleName() + " has no property for option "
                    + option.key());
        }
        try {
            return component.getAccessor().invoke(properties);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + component.getName(), e);
        }
    }

    /**
     * Sets a bound value: one of the option's type as it is, any other (the allocation rule's text) through the
     * option's parser; both checked as the core checks them.
     *
     * @param key the property as the user writes it, named in the message
     * @param origin where the property is set, for the message, such as {@code  (class path resource [...] - 3:1)}
     * @throws SeqguardConfigurationException naming the property when the core refuses the value
     */
    static <T> void set(GuardConfiguration guard, GuardOption<T> option, Object value, String key,
            Supplier<String> origin) {
        if (value == null) {
            return;
        }
        try {
            T typed = option.type().isInstance(value) ? cast(value) : option.parse(String.valueOf(value), key);
            option.apply(guard, typed, key);
        } catch (IllegalArgumentException e) {
            throw new SeqguardConfigurationException(key, e.getMessage() + origin.get() + ".",
                    "Change " + key + ". " + option.key() + ": " + option.description(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object value) {
        return (T) value;
    }
}
