package io.seqguard;

import java.util.List;

/**
 * Hostile identifiers for generated schemas, and the quoting the tests use to write their own DDL. The quoting here
 * is the test's, never the library's: the library must cope with whatever these names turn into.
 */
final class GeneratedNames {

    /**
     * Valid PostgreSQL identifiers (when double-quoted) that break naive SQL, JSON and text handling. Each is well
     * below 63 bytes so that a suffix keeps it unique without truncation.
     */
    static final List<String> HOSTILE = List.of(
            "Order Lines; DROP TABLE x",
            "say \"hi\"",
            "it's",
            "ümlaut Ñ 日本語",
            "rocket \uD83D\uDE80",
            "semi;colon",
            "a.b",
            "UPPER Case",
            "back\\slash",
            "%I %s $1 ?",
            "-- dash",
            "/* c */",
            "s'::regclass)",
            "nextval('x')",
            "plain",
            "tab\there");

    private GeneratedNames() {
    }

    /** A hostile name made unique by a suffix. */
    static String hostile(int index, String suffix) {
        return HOSTILE.get(Math.floorMod(index, HOSTILE.size())) + " " + suffix;
    }

    /** {@code "name"} with embedded quotes doubled. */
    static String ident(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    /** {@code "schema"."name"}. */
    static String qualified(String schema, String name) {
        return ident(schema) + "." + ident(name);
    }

    /** A standard-conforming string literal ({@code standard_conforming_strings} is on by default). */
    static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
