package io.seqguard;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads option values from configuration text, for every interface the same way, and renames messages to the key
 * the user wrote. Messages of the core's setters start with their method name ({@code jobs: ...}); the option model
 * puts the user's key there instead.
 */
final class OptionText {

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ns|us|ms|s|m|h|d)?");

    private OptionText() {
    }

    static Boolean bool(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        if (value.equals("true") || value.equals("false")) {
            return Boolean.valueOf(value);
        }
        throw new IllegalArgumentException("'" + text + "' is not true or false");
    }

    static Integer integer(String text) {
        try {
            return Integer.valueOf(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a whole number", e);
        }
    }

    static Long wholeNumber(String text) {
        try {
            return Long.valueOf(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a whole number", e);
        }
    }

    static Double decimal(String text) {
        try {
            return Double.valueOf(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a number", e);
        }
    }

    static String text(String text) {
        return text;
    }

    /**
     * {@code 10s}, {@code 500ms}, {@code 2m}, {@code 1h}, {@code 1d}, a plain number of milliseconds, or ISO-8601
     * ({@code PT10S}).
     */
    static Duration duration(String text) {
        String value = text.trim();
        boolean minus = value.startsWith("-");
        String unsigned = minus ? value.substring(1).trim() : value;
        Duration parsed = unsignedDuration(unsigned, text);
        if (minus || parsed.isNegative()) {
            // a duration, but none any option takes: say that, not that it is no duration
            throw new IllegalArgumentException("'" + text + "' is negative; use a positive duration"
                    + (minus ? ", for example " + unsigned : ""));
        }
        return parsed;
    }

    /** {@link #duration} of text without a leading minus; errors name {@code text}, as the user wrote it. */
    private static Duration unsignedDuration(String value, String text) {
        Matcher m = DURATION.matcher(value.toLowerCase(Locale.ROOT));
        if (m.matches()) {
            long amount;
            try {
                amount = Long.parseLong(m.group(1));
            } catch (NumberFormatException e) {
                throw durationError(text, e);
            }
            String unit = m.group(2) == null ? "ms" : m.group(2);
            switch (unit) {
                case "ns":
                    return Duration.ofNanos(amount);
                case "us":
                    return Duration.ofNanos(Math.multiplyExact(amount, 1000L));
                case "ms":
                    return Duration.ofMillis(amount);
                case "s":
                    return Duration.ofSeconds(amount);
                case "m":
                    return Duration.ofMinutes(amount);
                case "h":
                    return Duration.ofHours(amount);
                default:
                    return Duration.ofDays(amount);
            }
        }
        try {
            return Duration.parse(value);
        } catch (DateTimeParseException e) {
            throw durationError(text, e);
        }
    }

    private static IllegalArgumentException durationError(String text, Exception cause) {
        return new IllegalArgumentException("'" + text + "' is not a duration; use for example 10s, 500ms, 2m or "
                + "PT10S", cause);
    }

    /** Comma-separated, each item trimmed, empty items dropped; a comma inside double quotes belongs to a name. */
    static List<String> list(String text) {
        List<String> items = new ArrayList<>();
        StringBuilder item = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == ',' && !quoted) {
                add(items, item);
            } else {
                item.append(c);
            }
        }
        add(items, item);
        return items;
    }

    private static void add(List<String> items, StringBuilder item) {
        String value = item.toString().trim();
        if (!value.isEmpty()) {
            items.add(value);
        }
        item.setLength(0);
    }

    /**
     * A message for the user's key: {@code "jobs: must be ..."} (a setter's, which names its method) becomes
     * {@code "seqguard.jobs: must be ..."}; a message that names no method gets the key in front.
     */
    static String renamed(String message, String method, String key) {
        String text = message == null ? "invalid value" : message;
        if (text.startsWith(method + ": ")) {
            return key + text.substring(method.length());
        }
        if (text.startsWith(method + " ")) {
            return key + ":" + text.substring(method.length());
        }
        return key + ": " + text;
    }
}
