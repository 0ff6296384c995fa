package io.seqguard.cli;

import java.util.regex.Pattern;

/** JDBC URLs as they may be shown: a password in them never reaches the terminal or a log. */
final class Urls {

    /** {@code password=...} as a URL parameter (up to the next {@code &}), and {@code user:password@} before a host. */
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)([?&;]password=)[^&]*");
    private static final Pattern USER_INFO = Pattern.compile("(//[^/@:?]*:)[^/@?]*@");

    private Urls() {
    }

    static String masked(String url) {
        String masked = PASSWORD_PARAMETER.matcher(url).replaceAll("$1***");
        return USER_INFO.matcher(masked).replaceAll("$1***@");
    }
}
