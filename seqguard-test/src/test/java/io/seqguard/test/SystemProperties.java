package io.seqguard.test;

import java.util.LinkedHashMap;
import java.util.Map;

/** Sets system properties for the length of a try block and restores the previous values after it. */
final class SystemProperties implements AutoCloseable {

    private final Map<String, String> previous = new LinkedHashMap<>();

    private SystemProperties() {
    }

    /** Pairs of name and value; a null value clears the property. */
    static SystemProperties set(String... namesAndValues) {
        SystemProperties properties = new SystemProperties();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            String name = namesAndValues[i];
            properties.previous.putIfAbsent(name, System.getProperty(name));
            put(name, namesAndValues[i + 1]);
        }
        return properties;
    }

    private static void put(String name, String value) {
        if (value == null) {
            System.clearProperty(name);
        } else {
            System.setProperty(name, value);
        }
    }

    @Override
    public void close() {
        previous.forEach(SystemProperties::put);
    }
}
