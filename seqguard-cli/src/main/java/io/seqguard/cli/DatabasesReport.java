package io.seqguard.cli;

import java.io.IOException;
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

    /**
     * The worst of the databases' exit codes: failure (1), then drift or refusal (3), incomplete (4), aligned (0). A
     * database {@code --all-databases} could not check makes the run incomplete at best: not every sequence of the
     * server was verified.
     */
    int exitCode() {
        int worst = Part.worst(parts());
        return notChecked.isEmpty() ? worst : ExitCode.worse(worst, ExitCode.INCOMPLETE);
    }

    private List<Part> parts() {
        List<Part> parts = new ArrayList<>();
        for (DatabasesRun.Section section : sections) {
            parts.add(section.part());
        }
        return parts;
    }

    /** The worst outcome in a word, as the summary and the JSON say it. */
    String outcome() {
        return exitCode() == ExitCode.INCOMPLETE ? "incomplete" : Part.outcome(parts());
    }

    /** How many databases came to each outcome, in the order of the worst first. */
    private String counts() {
        Map<Integer, Integer> byOrder = new TreeMap<>();
        Map<Integer, String> names = new TreeMap<>();
        List<String> order = List.of("failed", "drift", "repair failed", "refused", "incomplete", "aligned");
        for (DatabasesRun.Section section : sections) {
            int index = order.indexOf(section.part().outcome());
            byOrder.merge(index, 1, Integer::sum);
            names.put(index, section.part().outcome());
        }
        List<String> parts = new ArrayList<>();
        for (Map.Entry<Integer, Integer> e : byOrder.entrySet()) {
            parts.add(e.getValue() + " " + names.get(e.getKey()));
        }
        if (!notChecked.isEmpty()) {
            parts.add(notChecked.size() + " not checked");
        }
        return parts.isEmpty() ? "no database" : String.join(", ", parts);
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
                    .append("): ").append(section.part().outcome()).append("\n\n");
            if (section.part().message() != null) {
                out.append("seqguard: ").append(section.part().message()).append('\n');
            } else {
                section.part().result().report().writeText(out);
            }
        }
        if (!notChecked.isEmpty()) {
            // not verified, so the run is incomplete at best: a database left out is named, never skipped silently
            out.append("\nnot checked (--all-databases covers the databases the role may connect to):\n");
            for (DatabasesRun.NotChecked n : notChecked) {
                out.append("  ").append(quoted(n.database())).append(": ").append(n.reason()).append('\n');
            }
        }
        List<String> outcomes = new ArrayList<>();
        for (DatabasesRun.Section section : sections) {
            outcomes.add(quoted(section.database()) + " " + section.part().outcome());
        }
        for (DatabasesRun.NotChecked n : notChecked) {
            outcomes.add(quoted(n.database()) + " not checked");
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
        Json.string(json, command);
        json.append(",\n  \"server\": ");
        Json.string(json, server);
        json.append(",\n  \"startedAt\": ");
        Json.string(json, startedAt.toString());
        json.append(",\n  \"durationMillis\": ").append(duration.toMillis()).append(",\n");
        json.append("  \"outcome\": ");
        Json.string(json, outcome());
        json.append(",\n  \"exitCode\": ").append(exitCode()).append(",\n");
        json.append("  \"notChecked\": [");
        for (int i = 0; i < notChecked.size(); i++) {
            json.append(i == 0 ? "\n" : ",\n").append("    {\"database\": ");
            Json.string(json, notChecked.get(i).database());
            json.append(", \"reason\": ");
            Json.string(json, notChecked.get(i).reason());
            json.append('}');
        }
        json.append(notChecked.isEmpty() ? "],\n" : "\n  ],\n");
        json.append("  \"databases\": [");
        for (int i = 0; i < sections.size(); i++) {
            DatabasesRun.Section section = sections.get(i);
            json.append(i == 0 ? "\n" : ",\n").append("    {\n      \"database\": ");
            Json.string(json, section.database());
            section.part().writeJson(out, json, "      ");
            json.append("\n    }");
        }
        json.append(sections.isEmpty() ? "]\n" : "\n  ]\n").append("}\n");
        out.append(json);
    }

    /**
     * The statements of every database as one psql script: each database's part opens with {@code \\connect} to it,
     * a database that failed or was refused is a comment saying so, and so is one not checked. psql ends a script
     * whose {@code \\connect} fails, so no statement runs in another database than its own.
     */
    void writeSql(Appendable out) throws IOException {
        for (DatabasesRun.Section section : sections) {
            out.append("-- database ").append(oneLine(quoted(section.database()))).append(": ")
                    .append(section.part().outcome()).append('\n');
            String why = section.part().message();
            String connect = connectArguments(section.database());
            if (why == null && connect == null) {
                why = "its name holds both a double quote and a line break, which no \\connect of psql takes: plan it "
                        + "on its own (--url naming it)";
            }
            if (why != null) {
                out.append("-- ").append(why.replace("\r", "").replace("\n", "\n-- ")).append("\n\n");
                continue;
            }
            out.append("\\connect ").append(connect).append('\n');
            section.part().result().report().writeSql(out);
            out.append('\n');
        }
        for (DatabasesRun.NotChecked n : notChecked) {
            out.append("-- database ").append(oneLine(quoted(n.database()))).append(": not checked: ")
                    .append(oneLine(n.reason())).append('\n');
        }
    }

    /** A database name as SQL writes it: plain when it may be, else in double quotes. */
    static String quoted(String name) {
        return PLAIN_NAME.matcher(name).matches() ? name : '"' + name.replace("\"", "\"\"") + '"';
    }

    private static String oneLine(String text) {
        return text.replace("\r", "\\r").replace("\n", "\\n");
    }

    /**
     * What follows {@code \\connect} to reach a database by name, or null when psql cannot take it. A bare name
     * would be read as an option ({@code -reuse-previous=on}) or a connection string ({@code dbname=shop}, a URI), so
     * the name goes in a connection string, {@code dbname='...'} (a backslash and a quote escaped with a backslash),
     * with {@code -reuse-previous=on} keeping the host, port and user. psql takes that argument as an identifier: it
     * drops double quotes, even inside single quotes, unless they are doubled inside double quotes, so the argument
     * goes in double quotes; only a line break, which psql writes {@code \\n} in single quotes alone (there
     * {@code ''} is a quote and a backslash is doubled), takes single quotes. A name with both a line break and a
     * double quote gets null.
     */
    static String connectArguments(String name) {
        String conninfo = "dbname='" + name.replace("\\", "\\\\").replace("'", "\\'") + "'";
        boolean lineBreak = name.indexOf('\n') >= 0 || name.indexOf('\r') >= 0;
        if (!lineBreak) {
            return "-reuse-previous=on \"" + conninfo.replace("\"", "\"\"") + "\"";
        }
        if (name.indexOf('"') >= 0) {
            return null;
        }
        return "-reuse-previous=on '" + conninfo.replace("\\", "\\\\").replace("'", "''").replace("\n", "\\n")
                .replace("\r", "\\r") + "'";
    }
}
