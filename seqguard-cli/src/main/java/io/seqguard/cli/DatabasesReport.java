package io.seqguard.cli;

import io.seqguard.AlignmentReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The report of a run over several databases, as text, JSON or SQL: a section per database holding that database's
 * own report as a single-database run prints it, and the worst outcome. The JSON is a document of its own shape with
 * its own {@code databasesFormatVersion} (README, "JSON of several databases"); each database's report inside keeps
 * the single-database shape and its {@code formatVersion}.
 */
final class DatabasesReport {

    /** Bumped when a field of the several-databases document changes meaning or disappears. */
    static final int FORMAT_VERSION = 1;

    private static final Pattern PLAIN_NAME = Pattern.compile("[a-z_][a-z0-9_$]*");

    private final String command;
    private final String server;
    private final Instant startedAt;
    private final Duration duration;
    private final List<DatabasesRun.Section> sections;
    private final List<DatabasesRun.NotChecked> notChecked;

    DatabasesReport(String command, String server, Instant startedAt, Duration duration,
            List<DatabasesRun.Section> sections, List<DatabasesRun.NotChecked> notChecked) {
        this.command = command;
        this.server = server;
        this.startedAt = startedAt;
        this.duration = duration;
        this.sections = List.copyOf(sections);
        this.notChecked = List.copyOf(notChecked);
    }

    /** The worst of the databases' exit codes: failure (1), then drift or refusal (3), incomplete (4), aligned (0). */
    int exitCode() {
        int worst = ExitCode.ALIGNED;
        for (DatabasesRun.Section section : sections) {
            if (rank(section.exitCode()) > rank(worst)) {
                worst = section.exitCode();
            }
        }
        return worst;
    }

    private static int rank(int exitCode) {
        switch (exitCode) {
            case ExitCode.FAILURE:
                return 3;
            case ExitCode.DRIFT:
                return 2;
            case ExitCode.INCOMPLETE:
                return 1;
            default:
                return 0;
        }
    }

    /** The worst outcome in a word, as the summary and the JSON say it. */
    String outcome() {
        switch (exitCode()) {
            case ExitCode.FAILURE:
                return "failed";
            case ExitCode.DRIFT:
                return sections.stream().anyMatch(s -> s.outcome().equals("drift")) ? "drift" : "refused";
            case ExitCode.INCOMPLETE:
                return "incomplete";
            default:
                return "aligned";
        }
    }

    /** How many databases came to each outcome, in the order of the worst first. */
    private String counts() {
        Map<Integer, Integer> byOrder = new TreeMap<>();
        Map<Integer, String> names = new TreeMap<>();
        List<String> order = List.of("failed", "drift", "refused", "incomplete", "aligned");
        for (DatabasesRun.Section section : sections) {
            int index = order.indexOf(section.outcome());
            byOrder.merge(index, 1, Integer::sum);
            names.put(index, section.outcome());
        }
        List<String> parts = new ArrayList<>();
        for (Map.Entry<Integer, Integer> e : byOrder.entrySet()) {
            parts.add(e.getValue() + " " + names.get(e.getKey()));
        }
        return parts.isEmpty() ? "no database" : String.join(", ", parts);
    }

    String text() {
        return written(this::writeText);
    }

    String json() {
        return written(this::writeJson);
    }

    String sql() {
        return written(this::writeSql);
    }

    private static String written(AlignOptions.Rendering rendering) {
        StringBuilder text = new StringBuilder();
        try {
            rendering.writeTo(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringBuilder does not fail
        }
        return text.toString();
    }

    /** The text: a line with the worst outcome, a section per database with its own report, the verdict. */
    void writeText(Appendable out) throws IOException {
        out.append(command).append(" of ").append(String.valueOf(sections.size()))
                .append(sections.size() == 1 ? " database" : " databases").append(" on ").append(server).append(": ")
                .append(outcome()).append(" (exit ").append(String.valueOf(exitCode())).append("); ").append(counts())
                .append(" (").append(String.valueOf(duration.toMillis())).append(" ms)\n");
        for (int i = 0; i < sections.size(); i++) {
            DatabasesRun.Section section = sections.get(i);
            out.append("\n== database ").append(quoted(section.database())).append(" (")
                    .append(String.valueOf(i + 1)).append(" of ").append(String.valueOf(sections.size()))
                    .append("): ").append(section.outcome()).append("\n\n");
            if (section.result() == null) {
                out.append("seqguard: ").append(section.failure()).append('\n');
            } else if (section.result().report() == null) {
                out.append("seqguard: refused: ").append(section.result().refusal()).append('\n');
            } else {
                section.result().report().writeText(out);
            }
        }
        if (!notChecked.isEmpty()) {
            out.append("\nnot checked (--all-databases covers the databases the role may connect to):\n");
            for (DatabasesRun.NotChecked n : notChecked) {
                out.append("  ").append(quoted(n.database())).append(": ").append(n.reason()).append('\n');
            }
        }
        List<String> outcomes = new ArrayList<>();
        for (DatabasesRun.Section section : sections) {
            outcomes.add(quoted(section.database()) + " " + section.outcome());
        }
        out.append("\ndatabases: ").append(String.join(", ", outcomes)).append("\nverdict: ").append(outcome())
                .append(" (exit ").append(String.valueOf(exitCode())).append(")\n");
    }

    /** The document of several databases, each database's own report written into it as it is, indented. */
    void writeJson(Appendable out) throws IOException {
        StringBuilder json = new StringBuilder(4096);
        json.append("{\n");
        json.append("  \"databasesFormatVersion\": ").append(FORMAT_VERSION).append(",\n");
        json.append("  \"operation\": ");
        string(json, command);
        json.append(",\n  \"server\": ");
        string(json, server);
        json.append(",\n  \"startedAt\": ");
        string(json, startedAt.toString());
        json.append(",\n  \"durationMillis\": ").append(duration.toMillis()).append(",\n");
        json.append("  \"outcome\": ");
        string(json, outcome());
        json.append(",\n  \"exitCode\": ").append(exitCode()).append(",\n");
        json.append("  \"notChecked\": [");
        for (int i = 0; i < notChecked.size(); i++) {
            json.append(i == 0 ? "\n" : ",\n").append("    {\"database\": ");
            string(json, notChecked.get(i).database());
            json.append(", \"reason\": ");
            string(json, notChecked.get(i).reason());
            json.append('}');
        }
        json.append(notChecked.isEmpty() ? "],\n" : "\n  ],\n");
        json.append("  \"databases\": [");
        for (int i = 0; i < sections.size(); i++) {
            DatabasesRun.Section section = sections.get(i);
            AlignmentReport report = section.result() == null ? null : section.result().report();
            json.append(i == 0 ? "\n" : ",\n").append("    {\n      \"database\": ");
            string(json, section.database());
            json.append(",\n      \"outcome\": ");
            string(json, section.outcome());
            json.append(",\n      \"exitCode\": ").append(section.exitCode()).append(",\n      \"failure\": ");
            nullable(json, section.failure());
            json.append(",\n      \"refusal\": ");
            nullable(json, section.result() == null ? null : section.result().refusal());
            json.append(",\n      \"report\": ");
            if (report == null) {
                json.append("null");
            } else {
                out.append(json);
                json.setLength(0);
                // the single-database document as it is, indented to sit here
                report.writeJson(new Indented(out, "      "));
            }
            json.append("\n    }");
        }
        json.append(sections.isEmpty() ? "]\n" : "\n  ]\n").append("}\n");
        out.append(json);
    }

    /**
     * The statements of every database as one psql script: each database's part opens with {@code \\connect} to it,
     * a database that failed or was refused is a comment saying so.
     */
    void writeSql(Appendable out) throws IOException {
        for (DatabasesRun.Section section : sections) {
            out.append("-- database ").append(oneLine(quoted(section.database()))).append(": ")
                    .append(section.outcome()).append('\n');
            if (section.result() == null || section.result().report() == null) {
                String why = section.result() == null ? section.failure() : "refused: " + section.result().refusal();
                out.append("-- ").append(why.replace("\r", "").replace("\n", "\n-- ")).append("\n\n");
                continue;
            }
            out.append("\\connect ").append(psqlArgument(section.database())).append('\n');
            section.result().report().writeSql(out);
            out.append('\n');
        }
    }

    /**
     * Writes to another {@link Appendable}, with {@code indent} after each line break but the last: a JSON document
     * set inside another one. The trailing line break is dropped.
     */
    private static final class Indented implements Appendable {
        private final Appendable out;
        private final String indent;
        private boolean pendingBreak;

        Indented(Appendable out, String indent) {
            this.out = out;
            this.indent = indent;
        }

        @Override
        public Appendable append(CharSequence text) throws IOException {
            return append(text, 0, text.length());
        }

        @Override
        public Appendable append(CharSequence text, int start, int end) throws IOException {
            int from = start;
            for (int i = start; i < end; i++) {
                if (text.charAt(i) == '\n') {
                    if (i > from) {
                        flushBreak();
                        out.append(text, from, i);
                    }
                    flushBreak();
                    pendingBreak = true;
                    from = i + 1;
                }
            }
            if (end > from) {
                flushBreak();
                out.append(text, from, end);
            }
            return this;
        }

        private void flushBreak() throws IOException {
            if (pendingBreak) {
                out.append('\n').append(indent);
                pendingBreak = false;
            }
        }

        @Override
        public Appendable append(char c) throws IOException {
            flushBreak();
            if (c == '\n') {
                pendingBreak = true;
            } else {
                out.append(c);
            }
            return this;
        }
    }

    /** A database name as SQL writes it: plain when it may be, else in double quotes. */
    static String quoted(String name) {
        return PLAIN_NAME.matcher(name).matches() ? name : '"' + name.replace("\"", "\"\"") + '"';
    }

    private static String oneLine(String text) {
        return text.replace("\r", "\\r").replace("\n", "\\n");
    }

    /** A psql meta-command argument: in single quotes, where psql reads {@code ''} and C-like backslash escapes. */
    static String psqlArgument(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "''").replace("\n", "\\n").replace("\r", "\\r") + "'";
    }

    private static void nullable(StringBuilder json, String value) {
        if (value == null) {
            json.append("null");
        } else {
            string(json, value);
        }
    }

    /** A JSON string, escaped as RFC 8259 requires. */
    private static void string(StringBuilder json, String value) {
        json.append('"');
        for (char c : value.toCharArray()) {
            String escape = c == '"' ? "\\\"" : c == '\\' ? "\\\\" : c == '\n' ? "\\n" : c == '\r' ? "\\r"
                    : c == '\t' ? "\\t" : c < 0x20 || c == 0x2028 || c == 0x2029 ? String.format("\\u%04x", (int) c)
                    : null;
            if (escape != null) {
                json.append(escape);
            } else {
                json.append(c);
            }
        }
        json.append('"');
    }
}
