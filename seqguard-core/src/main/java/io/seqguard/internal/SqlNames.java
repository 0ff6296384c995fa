package io.seqguard.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Reads names the way PostgreSQL does: unquoted parts fold to lower case, {@code "double quoted"} parts keep case
 * and may hold dots, spaces and {@code ""} for a quote. The parts are then matched against the catalog as values
 * (bound parameters), never pasted into SQL.
 */
public final class SqlNames {

    /** A name part that unquoted folds to itself. */
    private static final Pattern PLAIN = Pattern.compile("[a-z_][a-z0-9_]*");

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
        int unicodeFrom = -1; // where a U&"..." part's escaped text starts in part, while it is read
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
                        if (unicodeFrom >= 0) {
                            String escaped = part.substring(unicodeFrom);
                            part.setLength(unicodeFrom);
                            part.append(unescape(escaped, text, what));
                            unicodeFrom = -1;
                        }
                    }
                } else {
                    part.append(c);
                }
            } else if (c == '"') {
                quoted = true;
                if (!partWasQuoted && part.toString().trim().equalsIgnoreCase("U&")) {
                    part.setLength(0); // as printable() writes a name with control characters
                    unicodeFrom = 0;
                }
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
            throw new IllegalArgumentException(what + ": '" + printable(text) + "' has an unclosed double quote");
        }
        parts.add(finish(part, partWasQuoted, text, what));
        if (parts.size() > 3) {
            throw new IllegalArgumentException(what + ": '" + printable(text) + "' has more than three dotted parts");
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
        throw new IllegalArgumentException(what + ": '" + printable(text) + "' must be NAME or SCHEMA.NAME");
    }

    private static String finish(StringBuilder part, boolean wasQuoted, String text, String what) {
        String value = wasQuoted ? part.toString() : part.toString().trim().toLowerCase(Locale.ROOT);
        if (value.isEmpty()) {
            throw new IllegalArgumentException(what + ": '" + printable(text) + "' has an empty name part");
        }
        return value;
    }

    /**
     * One name part as {@link #parse} reads it back, quoted only when it must be: a part of lower-case letters,
     * digits and underscores, not starting with a digit, stays as it is (unquoted, it folds to itself).
     */
    public static String quoteIfNeeded(String part) {
        return PLAIN.matcher(part).matches() ? part : quote(part);
    }

    /**
     * Quotes one name part for display and for {@link #parse} to read back ({@link #printable} where it holds control
     * characters); never used to build executed SQL.
     */
    public static String quote(String part) {
        return printable('"' + part.replace("\"", "\"\"") + '"');
    }

    /**
     * Text to show on a line of its own, with the names in it kept exact: a double-quoted name holding a control
     * character (a line break, a tab) is written as PostgreSQL's Unicode escape form, {@code U&"we\000aird"}, which
     * SQL and {@link #parse} read back as the same name; a control character outside quotes is written as a
     * backslash, {@code u} and four hex digits. A name with a line break could otherwise split a report's line, or
     * forge one.
     *
     * @param text a name as the server quotes it, or a message holding such names
     * @return the text, unchanged when it has no control character
     */
    public static String printable(String text) {
        if (text == null || !hasControl(text, 0, text.length())) {
            return text;
        }
        StringBuilder shown = new StringBuilder(text.length() + 16);
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            int close = c == '"' ? closingQuote(text, i) : -1;
            if (close > 0) {
                if (hasControl(text, i + 1, close)) {
                    shown.append("U&\"");
                    for (int k = i + 1; k < close; k++) {
                        char q = text.charAt(k);
                        if (q == '\\') {
                            shown.append("\\\\");
                        } else if (isControl(q)) {
                            shown.append('\\').append(String.format("%04x", (int) q));
                        } else {
                            shown.append(q);
                        }
                    }
                    shown.append('"');
                } else {
                    shown.append(text, i, close + 1);
                }
                i = close + 1;
            } else {
                if (isControl(c)) {
                    shown.append("\\u").append(String.format("%04x", (int) c));
                } else {
                    shown.append(c);
                }
                i++;
            }
        }
        return shown.toString();
    }

    /** The index of the quote closing the one at {@code open} ({@code ""} inside is a quote), or -1. */
    private static int closingQuote(String text, int open) {
        for (int k = open + 1; k < text.length(); k++) {
            if (text.charAt(k) == '"') {
                if (k + 1 < text.length() && text.charAt(k + 1) == '"') {
                    k++;
                } else {
                    return k;
                }
            }
        }
        return -1;
    }

    private static boolean hasControl(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            if (isControl(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /** C0 and C1 controls, and the Unicode line and paragraph separators some terminals break lines at. */
    private static boolean isControl(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029';
    }

    /** A {@code U&"..."} part's text: {@code \\} is a backslash, {@code \XXXX} and {@code \+XXXXXX} a code point. */
    private static String unescape(String escaped, String text, String what) {
        StringBuilder out = new StringBuilder(escaped.length());
        for (int i = 0; i < escaped.length(); i++) {
            char c = escaped.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            int digits = i + 1 < escaped.length() && escaped.charAt(i + 1) == '+' ? 6 : 4;
            int from = digits == 6 ? i + 2 : i + 1;
            if (i + 1 < escaped.length() && escaped.charAt(i + 1) == '\\') {
                out.append('\\');
                i++;
            } else if (from + digits <= escaped.length() && isCodePoint(escaped.substring(from, from + digits))) {
                out.appendCodePoint(Integer.parseInt(escaped.substring(from, from + digits), 16));
                i = from + digits - 1;
            } else {
                throw new IllegalArgumentException(what + ": '" + printable(text) + "' has an invalid Unicode escape "
                        + "in a U&\"...\" name: write \\XXXX with four hex digits, \\+XXXXXX with six, or \\\\");
            }
        }
        return out.toString();
    }

    /** ASCII hex digits naming a character PostgreSQL takes in a name: not 0, not a surrogate, at most U+10FFFF. */
    private static boolean isCodePoint(String hex) {
        if (!hex.chars().allMatch(d -> d >= '0' && d <= '9' || d >= 'a' && d <= 'f' || d >= 'A' && d <= 'F')) {
            return false;
        }
        int code = Integer.parseInt(hex, 16);
        return code > 0 && code <= Character.MAX_CODE_POINT && !(code >= 0xd800 && code <= 0xdfff);
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
