package io.seqguard.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads names the way PostgreSQL does: unquoted parts fold to lower case, {@code "double quoted"} parts keep case
 * and may hold dots, spaces and {@code ""} for a quote. The parts are then matched against the catalog as values
 * (bound parameters), never pasted into SQL.
 */
public final class SqlNames {

    private SqlNames() {
    }

    /**
     * Splits a possibly qualified name into its parts.
     *
     * @param text the name as written
     * @param what what the name is, for the error message (a property name)
     * @return the parts, 1 to 3
     */
    public static List<String> parse(String text, String what) {
        List<String> parts = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        boolean quoted = false;
        boolean partWasQuoted = false;
        String s = text.trim();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < s.length() && s.charAt(i + 1) == '"') {
                        part.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    part.append(c);
                }
            } else if (c == '"') {
                quoted = true;
                partWasQuoted = true;
            } else if (c == '.') {
                parts.add(finish(part, partWasQuoted, text, what));
                part.setLength(0);
                partWasQuoted = false;
            } else {
                part.append(c);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException(what + ": '" + text + "' has an unclosed double quote");
        }
        parts.add(finish(part, partWasQuoted, text, what));
        if (parts.size() > 3) {
            throw new IllegalArgumentException(what + ": '" + text + "' has more than three dotted parts");
        }
        return parts;
    }

    /**
     * Parses {@code name} or {@code schema.name}; a missing schema means {@code public}.
     *
     * @return schema and name
     */
    public static List<String> parseQualified(String text, String what) {
        List<String> parts = parse(text, what);
        if (parts.size() == 1) {
            return List.of("public", parts.get(0));
        }
        if (parts.size() == 2) {
            return parts;
        }
        throw new IllegalArgumentException(what + ": '" + text + "' must be NAME or SCHEMA.NAME");
    }

    private static String finish(StringBuilder part, boolean wasQuoted, String text, String what) {
        String value = wasQuoted ? part.toString() : part.toString().trim().toLowerCase(Locale.ROOT);
        if (value.isEmpty()) {
            throw new IllegalArgumentException(what + ": '" + text + "' has an empty name part");
        }
        return value;
    }

    /** Quotes one name part for display and for {@link #parse} to read back; never used to build executed SQL. */
    public static String quote(String part) {
        return '"' + part.replace("\"", "\"\"") + '"';
    }

    /** The index of {@code token} in {@code text} outside double quotes, or -1. */
    public static int indexOutsideQuotes(String text, String token) {
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '"') {
                quoted = !quoted;
            } else if (!quoted && text.startsWith(token, i)) {
                return i;
            }
        }
        return -1;
    }
}
