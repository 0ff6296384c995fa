package io.seqguard.internal;

import io.seqguard.AlignmentReport;
import io.seqguard.CitusCluster;
import io.seqguard.FedColumn;
import io.seqguard.RepairAction;
import io.seqguard.SequenceReport;
import io.seqguard.SequenceStatus;
import io.seqguard.Verdict;
import io.seqguard.Vocabulary;
import io.seqguard.Witness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders reports for people: a summary line, a table, then what to read about everything not aligned. */
final class ReportText {

    private ReportText() {
    }

    /** How many names a log line or a summary lists before it says "and N more". */
    static final int NAMES_LISTED = 20;

    /** One line: the verb, the database, the verdict and the counts. */
    static String summary(AlignmentReport report) {
        StringBuilder text = new StringBuilder();
        text.append(report.operation().name().toLowerCase(Locale.ROOT)).append(" of database ")
                .append(shown(report.database()));
        if (report.citus() != null) {
            text.append(" (Citus ").append(report.citus().coordinator() ? "coordinator" : "worker").append(", group ")
                    .append(report.citus().group()).append(')');
        }
        text.append(": ").append(verdict(report)).append("; ")
                .append(report.sequences().size()).append(report.sequences().size() == 1 ? " sequence" : " sequences");
        for (Map.Entry<SequenceStatus, Integer> entry : report.countsByStatus().entrySet()) {
            if (entry.getValue() > 0) {
                text.append(", ").append(entry.getValue()).append(' ').append(label(entry.getKey()));
            }
        }
        int repaired = report.withAction(RepairAction.REPAIRED).size();
        int failed = report.withAction(RepairAction.FAILED).size();
        int planned = report.withAction(RepairAction.PLANNED).size();
        if (planned > 0) {
            text.append("; ").append(planned).append(" to move forward");
        }
        if (repaired > 0) {
            text.append("; ").append(repaired).append(" moved forward");
        }
        if (failed > 0) {
            text.append("; ").append(failed).append(" could not be repaired");
        }
        text.append(" (").append(report.duration().toMillis()).append(" ms, allocation ")
                .append(report.allocation()).append(')');
        return text.toString();
    }

    /** Something that writes a rendering of a report piece by piece. */
    @FunctionalInterface
    interface Rendering {
        void write(AlignmentReport report, Appendable out) throws IOException;
    }

    /** A rendering as one string, for the {@code toText()}, {@code toJson()} and {@code toSql()} of a report. */
    static String rendered(AlignmentReport report, Rendering rendering, int bytesPerSequence) {
        StringBuilder text = new StringBuilder(4096 + report.sequences().size() * bytesPerSequence);
        try {
            rendering.write(report, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringBuilder does not fail
        }
        return text.toString();
    }

    /** The full text report. */
    static String render(AlignmentReport report) {
        return rendered(report, ReportText::write, 100);
    }

    private static final String[] HEADINGS =
        {"STATUS", "SEQUENCE", "NEXT", "IN USE", "REQUIRED", "ACTION", "ALLOCATION", "USED"};

    /** A sequence's row of the table. */
    private static String[] cells(SequenceReport s) {
        return new String[] {label(s.status()), shown(s.qualifiedName()),
            s.previousNextValue() != null ? s.previousNextValue() + " -> " + s.nextValue() : str(s.nextValue()),
            str(s.dataBound()), str(s.requiredNextValue()), s.action().name().toLowerCase(Locale.ROOT),
            allocation(s), s.rangeUsed() == null ? "" : percent(s.rangeUsed())};
    }

    /**
     * Writes the full text report a sequence at a time: the rows are made twice, once for the columns' widths and once
     * to write them, so that the whole table is never held.
     */
    static void write(AlignmentReport report, Appendable out) throws IOException {
        out.append(summary(report)).append('\n');
        if (!report.enabledSubscriptions().isEmpty()) {
            out.append("warning: ").append(shown(subscriptionsStillFeed(report))).append('\n');
        }
        if (report.citus() != null) {
            out.append(citus(report)).append('\n');
        }
        out.append('\n');
        int[] widths = new int[HEADINGS.length];
        for (int i = 0; i < HEADINGS.length; i++) {
            widths[i] = HEADINGS[i].length();
        }
        for (SequenceReport s : report.sequences()) {
            String[] row = cells(s);
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        // padded by hand: String.format parses its pattern for every cell, 70,000 times at 10,000 sequences
        StringBuilder line = new StringBuilder();
        row(out, line, HEADINGS, widths);
        for (SequenceReport s : report.sequences()) {
            row(out, line, cells(s), widths);
        }
        StringBuilder details = new StringBuilder();
        for (SequenceReport s : report.sequences()) {
            boolean showWitness = s.sourceNextValue() != null
                    && (s.status() == SequenceStatus.BEHIND || s.action() == RepairAction.REPAIRED);
            // the table already shows a repair's from -> to; details are for what needs reading
            if (s.status() == SequenceStatus.ALIGNED && s.notes().isEmpty() && !showWitness) {
                continue;
            }
            if ((s.status() == SequenceStatus.EMPTY || s.status() == SequenceStatus.NOT_USED_ON_NODE)
                    && s.notes().isEmpty()) {
                continue;
            }
            details.setLength(0);
            details.append("\n").append(shown(s.qualifiedName())).append(" (").append(label(s.status())).append(")\n");
            for (FedColumn c : s.columns()) {
                details.append("  feeds ").append(shown(c.qualifiedTable() + '.' + c.column())).append(" [")
                        .append(c.dataType()).append(", ")
                        .append(c.sources().stream().map(source -> source.name().toLowerCase(Locale.ROOT))
                                .collect(java.util.stream.Collectors.joining(", "))).append(']');
                if (!c.entities().isEmpty()) {
                    details.append(" (entity ").append(shown(String.join(", ", c.entities()))).append(')');
                }
                if (c.citusTable() != null) {
                    details.append(" (Citus ").append(shown(c.citusTable())).append(" table)");
                }
                // an unreadable column's note is quoted whole in the reason below: once is enough
                if (c.note() != null && (s.reason() == null || !s.reason().contains(c.note()))) {
                    details.append(": ").append(shown(c.note()));
                }
                details.append('\n');
            }
            if (s.reason() != null) {
                details.append("  why: ").append(shown(s.reason())).append('\n');
            }
            if (showWitness) {
                details.append("  witness: ").append(shown(witness(s))).append('\n');
            }
            for (String note : s.notes()) {
                details.append("  note: ").append(shown(note)).append('\n');
            }
            if (s.sql() != null) {
                // a statement is shown only as it runs: a name's line break is a line break in it
                details.append("  sql: ").append(s.sql().equals(shown(s.sql())) ? s.sql() + ";"
                        : "(its names hold control characters: take it from the SQL form of this report)")
                        .append('\n');
            }
            out.append(details);
        }
        if (!report.sourceOnlySequences().isEmpty()) {
            out.append("\non the source only (no sequence of that name here): ")
                    .append(shown(String.join(", ", report.sourceOnlySequences()))).append('\n');
        }
        List<SequenceReport> acknowledged = new ArrayList<>();
        for (SequenceReport s : report.sequences()) {
            if (s.acknowledged()) {
                acknowledged.add(s);
            }
        }
        if (!acknowledged.isEmpty()) {
            out.append("\nacknowledged as not verified (allowed by configuration): ").append(names(acknowledged))
                    .append('\n');
        }
        out.append("\nverdict: ").append(verdict(report)).append('\n');
    }

    /** One line of the table, its cells padded to the columns' widths, without trailing blanks. */
    private static void row(Appendable out, StringBuilder line, String[] cells, int[] widths) throws IOException {
        line.setLength(0);
        for (int i = 0; i < cells.length; i++) {
            line.append(cells[i]);
            if (i + 1 < cells.length) {
                line.append(" ".repeat(widths[i] - cells[i].length() + 2));
            }
        }
        int end = line.length();
        while (end > 0 && Character.isWhitespace(line.charAt(end - 1))) {
            end--;
        }
        line.setLength(end);
        out.append(line).append('\n');
    }

    /** The verdict in a few words: aligned, drift (how many), incomplete (how many not verified). */
    static String verdict(AlignmentReport report) {
        switch (report.verdict()) {
            case DRIFT:
                long drift = report.sequences().stream().filter(s -> s.status().isDrift()).count();
                int unverified = report.unverified().size();
                boolean outside = report.sequences().stream()
                        .anyMatch(s -> s.status() == SequenceStatus.OUTSIDE_NODE_RANGE);
                boolean mismatched = report.sequences().stream().anyMatch(s -> s.status() == SequenceStatus.MISMATCHED);
                String kinds = outside && mismatched ? " behind, exhausted, mismatched or outside their node's range"
                        : outside ? " behind, exhausted or outside their node's range"
                        : mismatched ? " behind, exhausted or mismatched" : " behind or exhausted";
                return "drift (" + drift + " sequence" + (drift == 1 ? "" : "s") + kinds
                        + (unverified > 0 ? ", " + unverified + " not verified" : "") + ")";
            case INCOMPLETE:
                int n = report.unverified().size();
                return "incomplete (" + n + " sequence" + (n == 1 ? "" : "s") + " not verified)";
            default:
                long acknowledged = report.sequences().stream().filter(SequenceReport::acknowledged).count();
                return acknowledged == 0 ? "aligned" : "aligned (" + acknowledged + " sequence"
                        + (acknowledged == 1 ? "" : "s") + " acknowledged as not verified)";
        }
    }

    /**
     * Names as the options take them (quoted where needed, to be copied into allowUnverified or a mapping), at most
     * {@value #NAMES_LISTED}, then how many more.
     */
    static String names(List<SequenceReport> sequences) {
        return listed(sequences, false);
    }

    /** As {@link #names(List)}, each with its status: {@code public.customer_seq (no privilege)}. */
    static String namesWithStatus(List<SequenceReport> sequences) {
        return listed(sequences, true);
    }

    private static String listed(List<SequenceReport> sequences, boolean withStatus) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < Math.min(sequences.size(), NAMES_LISTED); i++) {
            SequenceReport s = sequences.get(i);
            text.append(i == 0 ? "" : ", ").append(shown(s.qualifiedName()));
            if (withStatus) {
                text.append(" (").append(label(s.status())).append(')');
            }
        }
        if (sequences.size() > NAMES_LISTED) {
            text.append(" and ").append(sequences.size() - NAMES_LISTED).append(" more");
        }
        return text.toString();
    }

    /** The statements of a plan or repair, one per line. */
    static String sql(AlignmentReport report) {
        return rendered(report, ReportText::writeSql, 0);
    }

    /** Writes the statements of a plan or repair, one per line, a sequence at a time. */
    static void writeSql(AlignmentReport report, Appendable out) throws IOException {
        // A saved script is read later without the run's log: it says first what it does not fix.
        if (!report.enabledSubscriptions().isEmpty()) {
            out.append("-- warning: ").append(shown(subscriptionsStillFeed(report))).append('\n');
        }
        if (report.verdict() != Verdict.ALIGNED) {
            List<String> uncovered = new ArrayList<>();
            for (SequenceReport s : report.sequences()) {
                if (s.sql() == null && (s.status().isDrift() || s.unverified())) {
                    // an exhausted sequence's notes say what would make room for it: the script is all its reader has
                    String notes = s.status() == SequenceStatus.EXHAUSTED && !s.notes().isEmpty()
                            ? "; " + String.join("; ", s.notes()) : "";
                    uncovered.add("-- " + shown(s.qualifiedName()) + " ("
                            + s.status().name().toLowerCase(Locale.ROOT) + "): "
                            + shown((s.reason() == null ? "" : s.reason()) + notes));
                }
            }
            out.append("-- verdict: ").append(report.verdict().name().toLowerCase(Locale.ROOT))
                    .append(uncovered.isEmpty() ? "\n" : "; not fixed by this script:\n");
            for (String line : uncovered) {
                out.append(line).append('\n');
            }
        }
        StringBuilder sql = new StringBuilder();
        for (SequenceReport s : report.sequences()) {
            if (s.sql() != null) {
                Long from = s.previousNextValue() != null ? s.previousNextValue() : s.nextValue();
                sql.setLength(0);
                sql.append("-- ").append(shown(s.qualifiedName())).append(": next value ").append(from)
                        .append(" -> ").append(s.descending() ? "at most " : "at least ").append(s.requiredNextValue())
                        .append('\n').append(s.sql()).append(";\n");
                out.append(sql);
            }
        }
    }

    /**
     * What a report read while subscriptions still feed the database is worth, and what to do (a repair through the
     * start-up guard refuses such a database: the report is the one place that says it for a verify or a plan).
     */
    static String subscriptionsStillFeed(AlignmentReport report) {
        List<String> names = report.enabledSubscriptions();
        boolean one = names.size() == 1;
        List<String> statements = new ArrayList<>();
        for (String name : names) {
            statements.add("ALTER SUBSCRIPTION " + name + " DISABLE");
        }
        return "subscription" + (one ? " " : "s ") + String.join(", ", names) + (one ? " is" : " are")
                + " still enabled on this database: rows may still arrive with their ids, so this report holds only "
                + "for now. Once the old primary no longer writes and " + (one ? "the subscription has" : "they have")
                + " caught up, disable " + (one ? "it" : "them") + " (" + String.join("; ", statements)
                + "), then repair and verify.";
    }

    /**
     * A name or message as a line of text shows it: names exact, no line break or other control character (inside
     * a {@code --} comment a line break would end the comment early).
     */
    private static String shown(String text) {
        return SqlNames.printable(text);
    }

    /**
     * What is wrong and how to fix it, for an exception or a refused start-up: each sequence behind or exhausted,
     * then each one not verified, with why and the fix, in the words of the interface in use. Empty when aligned.
     */
    static String problems(AlignmentReport report, Vocabulary words) {
        List<SequenceReport> drift = new ArrayList<>();
        for (SequenceReport s : report.sequences()) {
            if (s.status().isDrift()) {
                drift.add(s);
            }
        }
        List<SequenceReport> unverified = report.unverified();
        StringBuilder text = new StringBuilder();
        if (!drift.isEmpty()) {
            text.append(drift.size()).append(" sequence(s) in database ").append(report.database())
                    .append(" would hand out ids that already exist, or none at all:");
            for (SequenceReport s : drift) {
                text.append("\n  - ").append(shown(s.qualifiedName())).append(": ").append(shown(driftLine(s)));
            }
            boolean failed = drift.stream().anyMatch(s -> s.action() == RepairAction.FAILED);
            boolean repairable = drift.stream().anyMatch(s -> s.status() == SequenceStatus.BEHIND);
            text.append(failed ? "\nFix: what each failed repair names, then run " + words.repair() + " again."
                    : repairable ? "\nFix: run " + words.repair() + ", or the forward-only statements of a plan."
                    : "\nFix: as each line says; a repair alone cannot change these.");
            if (drift.stream().anyMatch(s -> s.status() == SequenceStatus.MISMATCHED)) {
                text.append(" A mismatched sequence needs the increment or allocation size its line names: moving a "
                        + "sequence forward does not end overlapping blocks.");
            }
        }
        if (!unverified.isEmpty()) {
            text.append(text.length() == 0 ? "" : "\n").append(unverified.size()).append(" sequence(s) in database ")
                    .append(report.database()).append(" could not be verified, so nothing can be said about them:");
            for (SequenceReport s : unverified) {
                text.append("\n  - ").append(shown(s.qualifiedName())).append(" (").append(label(s.status()))
                        .append("): ").append(shown(s.reason()));
            }
            text.append("\nFix each as its line says; a sequence that is knowingly not verified can be acknowledged (")
                    .append(words.name("allowUnverified")).append(") or excluded (")
                    .append(words.name("excludeSequences")).append(").");
        }
        return text.toString();
    }

    private static String driftLine(SequenceReport s) {
        if (s.status() == SequenceStatus.MISMATCHED) {
            return "mismatched, " + s.reason() + ".";
        }
        if (s.status() == SequenceStatus.OUTSIDE_NODE_RANGE) {
            return "outside this Citus node's range: " + s.reason() + ". A forward-only repair cannot take it back: "
                    + "after checking which ids it handed out, set it back by hand on this node.";
        }
        if (s.status() == SequenceStatus.EXHAUSTED && s.nodeRangeStart() != null) {
            return "exhausted, " + s.reason() + ". A node's range does not grow (Citus refuses ALTER SEQUENCE on a "
                    + "distributed sequence): write through another node.";
        }
        if (s.status() == SequenceStatus.EXHAUSTED) {
            String room = Judged.roomStatement(s);
            return "exhausted, " + s.reason() + (room != null
                    ? ". Its own " + (s.descending() ? "MINVALUE" : "MAXVALUE") + " ends its range first: " + room
                            + " gives it room, then a repair can move it."
                    : ". Widen the sequence (ALTER SEQUENCE " + s.qualifiedName() + " AS bigint MAXVALUE ...) and its "
                            + "column.");
        }
        String needs = " (needs " + (s.descending() ? "at most " : "at least ") + s.requiredNextValue() + ")";
        String line = s.witness() == Witness.SOURCE
                ? "next value " + s.nextValue() + ", but the source had handed out values up to its next value "
                        + s.sourceNextValue() + needs
                : "next value " + s.nextValue() + ", but " + (s.descending() ? "min" : "max") + " in use is "
                        + s.dataBound() + needs;
        return s.action() == RepairAction.FAILED ? line + "; repair failed: " + s.reason() : line;
    }

    /**
     * The Citus line: which node this is, the range it hands out ids from, and that every node is judged on its own.
     */
    static String citus(AlignmentReport report) {
        CitusCluster citus = report.citus();
        long fed = report.sequences().stream()
                .filter(s -> s.columns().stream().anyMatch(c -> c.citusTable() != null)).count();
        StringBuilder text = new StringBuilder("Citus ").append(citus.version()).append(": ")
                .append(citus.coordinator() ? "coordinator" : "worker").append(", group ").append(citus.group())
                .append(" (bigint ids ").append(citus.rangeStart()).append("..").append(citus.rangeEnd())
                .append("); groups that hand out ids: ").append(citus.groups()).append("; ").append(fed)
                .append(" sequence(s) feed its ").append(citus.citusTables()).append(" Citus table(s)");
        if (citus.unsupported() != null) {
            return text.append(", not judged here: ").append(citus.unsupported()).toString();
        }
        return text.append(fed == 0 ? "" : ", each judged against the data in this node's range; setval() reaches "
                + "no other node, so every node is verified and repaired on its own").toString();
    }

    /** Which requirement decided, with both values. */
    static String witness(SequenceReport s) {
        return s.witness().name().toLowerCase(Locale.ROOT) + " decided (required next value "
                + str(s.requiredNextValue()) + "; data " + (s.descending() ? "min" : "max") + " in use "
                + str(s.dataBound()) + ", source next value " + str(s.sourceNextValue()) + ")";
    }

    /** A share as a percentage with one decimal, as {@code %.1f%%} would print it, rounding half up. */
    static String percent(double share) {
        long tenths = Math.round(share * 1000);
        return tenths / 10 + "." + tenths % 10 + "%";
    }

    /** The rule applied and where it came from, for example {@code pooled:50 (entity)}. */
    private static String allocation(SequenceReport s) {
        return s.allocation() + " (" + s.allocationSource().name().toLowerCase(Locale.ROOT) + ")";
    }

    static String label(SequenceStatus status) {
        return status.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    private static String str(Object value) {
        return value == null ? "-" : value.toString();
    }
}
