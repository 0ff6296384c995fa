package io.seqguard.cli;

import java.util.regex.Pattern;

/** JDBC URLs as they may be shown: a password in them never reaches the terminal or a log. */
final class Urls {

    /** {@code password=...} as a URL parameter (up to the next {@code &}), and {@code user:password@} before a host. */
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)([?&;]password=)[^&]*");
    private static final Pattern USER_INFO = Pattern.compile("(//[^/@:?]*:)[^/@?]*@");

    private Urls() {
    }

    /** {@return whether the URL has a {@code user:password@} or {@code user@} before its host} */
    static boolean hasUserInfo(String url) {
        int hosts = url.indexOf("//");
        if (hosts < 0) {
            return false;
        }
        int end = hosts + 2;
        while (end < url.length() && "/?".indexOf(url.charAt(end)) < 0) {
            end++;
        }
        return url.substring(hosts + 2, end).contains("@");
    }

    static String masked(String url) {
        String masked = PASSWORD_PARAMETER.matcher(url).replaceAll("$1***");
        return USER_INFO.matcher(masked).replaceAll("$1***@");
    }
}
