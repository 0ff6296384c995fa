package io.seqguard.internal;

import io.seqguard.AlignmentReport;
import io.seqguard.CitusCluster;
import io.seqguard.ColumnSource;
import io.seqguard.FedColumn;
import io.seqguard.SequenceReport;
import io.seqguard.SequenceStatus;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the JSON form of a report. The shape is a contract (README, "JSON report"): fields are only ever added, and
 * {@code formatVersion} changes when one changes meaning. Hand-written to keep the core free of a JSON library.
 */
final class ReportJson {

    /** Bumped when a field changes meaning or disappears. */
    static final int FORMAT_VERSION = 1;

    private ReportJson() {
    }

    static String render(AlignmentReport report) {
        return ReportText.rendered(report, ReportJson::write, 600);
    }

    /** Writes the JSON a sequence at a time: the whole of it is never held. */
    static void write(AlignmentReport report, Appendable out) throws IOException {
        StringBuilder json = new StringBuilder(4096);
        json.append("{\n");
        field(json, 1, "formatVersion", FORMAT_VERSION, true);
        field(json, 1, "operation", lower(report.operation().name()), true);
        field(json, 1, "database", report.database(), true);
        field(json, 1, "serverVersion", report.serverVersion(), true);
        field(json, 1, "allocation", report.allocation().toString(), true);
        field(json, 1, "margin", report.margin(), true);
        field(json, 1, "startedAt", report.startedAt().toString(), true);
        field(json, 1, "durationMillis", report.duration().toMillis(), true);
        field(json, 1, "verdict", lower(report.verdict().name()), true);
        field(json, 1, "aligned", report.isAligned(), true);
        indent(json, 1).append("\"counts\": {");
        boolean first = true;
        for (Map.Entry<SequenceStatus, Integer> entry : report.countsByStatus().entrySet()) {
            json.append(first ? "" : ", ").append('"').append(lower(entry.getKey().name())).append("\": ")
                    .append(entry.getValue());
            first = false;
        }
        json.append("},\n");
        indent(json, 1).append("\"sourceOnlySequences\": [");
        for (int i = 0; i < report.sourceOnlySequences().size(); i++) {
            json.append(i == 0 ? "" : ", ");
            string(json, report.sourceOnlySequences().get(i));
        }
        json.append("],\n");
        indent(json, 1).append("\"enabledSubscriptions\": [");
        for (int i = 0; i < report.enabledSubscriptions().size(); i++) {
            json.append(i == 0 ? "" : ", ");
            string(json, report.enabledSubscriptions().get(i));
        }
        json.append("],\n");
        citus(json, report.citus());
        indent(json, 1).append("\"sequences\": [");
        List<SequenceReport> sequences = report.sequences();
        for (int i = 0; i < sequences.size(); i++) {
            json.append(i == 0 ? "\n" : ",\n");
            sequence(json, sequences.get(i));
            out.append(json);
            json.setLength(0);
        }
        json.append(sequences.isEmpty() ? "]\n" : "\n  ]\n").append("}\n");
        out.append(json);
    }

    private static void sequence(StringBuilder json, SequenceReport s) {
        indent(json, 2).append("{\n");
        field(json, 3, "schema", s.schema(), true);
        field(json, 3, "name", s.name(), true);
        field(json, 3, "qualifiedName", s.qualifiedName(), true);
        field(json, 3, "dataType", s.dataType(), true);
        field(json, 3, "increment", s.increment(), true);
        field(json, 3, "minValue", s.minValue(), true);
        field(json, 3, "maxValue", s.maxValue(), true);
        field(json, 3, "cycle", s.cycle(), true);
        field(json, 3, "status", lower(s.status().name()), true);
        field(json, 3, "reason", s.reason(), true);
        field(json, 3, "action", lower(s.action().name()), true);
        field(json, 3, "previousNextValue", s.previousNextValue(), true);
        field(json, 3, "nextValue", s.nextValue(), true);
        field(json, 3, "dataBound", s.dataBound(), true);
        field(json, 3, "requiredNextValue", s.requiredNextValue(), true);
        field(json, 3, "witness", lower(s.witness().name()), true);
        field(json, 3, "sourceNextValue", s.sourceNextValue(), true);
        field(json, 3, "acknowledged", s.acknowledged(), true);
        field(json, 3, "dataUnread", s.dataUnread(), true);
        field(json, 3, "nodeRangeStart", s.nodeRangeStart(), true);
        field(json, 3, "nodeRangeEnd", s.nodeRangeEnd(), true);
        field(json, 3, "exists", s.exists(), true);
        field(json, 3, "allocation", s.allocation().toString(), true);
        field(json, 3, "allocationSource", lower(s.allocationSource().name()), true);
        field(json, 3, "rangeUsed", s.rangeUsed(), true);
        field(json, 3, "sql", s.sql(), true);
        indent(json, 3).append("\"notes\": [");
        for (int i = 0; i < s.notes().size(); i++) {
            json.append(i == 0 ? "" : ", ");
            string(json, s.notes().get(i));
        }
        json.append("],\n");
        indent(json, 3).append("\"columns\": [");
        for (int i = 0; i < s.columns().size(); i++) {
            FedColumn c = s.columns().get(i);
            json.append(i == 0 ? "\n" : ",\n");
            indent(json, 4).append("{");
            inline(json, "schema", c.schema(), false);
            inline(json, "table", c.table(), true);
            inline(json, "column", c.column(), true);
            inline(json, "qualifiedTable", c.qualifiedTable(), true);
            inline(json, "dataType", c.dataType(), true);
            json.append(", \"sources\": [");
            boolean first = true;
            for (ColumnSource source : ColumnSource.values()) {
                if (c.sources().contains(source)) {
                    json.append(first ? "" : ", ").append('"').append(lower(source.name())).append('"');
                    first = false;
                }
            }
            json.append(']');
            inline(json, "compared", c.compared(), true);
            inline(json, "note", c.note(), true);
            inline(json, "citusTable", c.citusTable(), true);
            json.append(", \"entities\": [");
            for (int e = 0; e < c.entities().size(); e++) {
                json.append(e == 0 ? "" : ", ");
                string(json, c.entities().get(e));
            }
            json.append("]}");
        }
        json.append(s.columns().isEmpty() ? "]\n" : "\n      ]\n");
        indent(json, 2).append('}');
    }

    /** The Citus node the report is of; null when the database is no Citus node. */
    private static void citus(StringBuilder json, CitusCluster citus) {
        indent(json, 1).append("\"citus\": ");
        if (citus == null) {
            json.append("null,\n");
            return;
        }
        json.append('{');
        inline(json, "version", citus.version(), false);
        inline(json, "group", citus.group(), true);
        inline(json, "coordinator", citus.coordinator(), true);
        inline(json, "rangeStart", citus.rangeStart(), true);
        inline(json, "rangeEnd", citus.rangeEnd(), true);
        json.append(", \"groups\": ").append(citus.groups());
        inline(json, "citusTables", citus.citusTables(), true);
        inline(json, "unsupported", citus.unsupported(), true);
        json.append(", \"nodes\": [");
        for (int i = 0; i < citus.nodes().size(); i++) {
            CitusCluster.Node node = citus.nodes().get(i);
            json.append(i == 0 ? "{" : ", {");
            inline(json, "group", node.group(), false);
            inline(json, "host", node.host(), true);
            inline(json, "port", node.port(), true);
            json.append('}');
        }
        json.append("]},\n");
    }

    private static void field(StringBuilder json, int depth, String name, Object value, boolean comma) {
        indent(json, depth).append('"').append(name).append("\": ");
        value(json, value);
        json.append(comma ? ",\n" : "\n");
    }

    private static void inline(StringBuilder json, String name, Object value, boolean comma) {
        json.append(comma ? ", " : "").append('"').append(name).append("\": ");
        value(json, value);
    }

    private static void value(StringBuilder json, Object value) {
        if (value == null) {
            json.append("null");
        } else if (value instanceof Number || value instanceof Boolean) {
            json.append(value);
        } else {
            string(json, value.toString());
        }
    }

    private static StringBuilder indent(StringBuilder json, int depth) {
        for (int i = 0; i < depth; i++) {
            json.append("  ");
        }
        return json;
    }

    /** Writes a JSON string, escaping what RFC 8259 requires (and nothing a reader would trip over). */
    static void string(StringBuilder json, String value) {
        json.append('"');
        int plain = 0;
        while (plain < value.length() && !needsEscape(value.charAt(plain))) {
            plain++;
        }
        // most names and reasons need no escape: appended at once rather than character by character
        json.append(value, 0, plain);
        for (int i = plain; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"':
                    json.append("\\\"");
                    break;
                case '\\':
                    json.append("\\\\");
                    break;
                case '\n':
                    json.append("\\n");
                    break;
                case '\r':
                    json.append("\\r");
                    break;
                case '\t':
                    json.append("\\t");
                    break;
                default:
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
            }
        }
        json.append('"');
    }

    private static boolean needsEscape(char c) {
        return c == '"' || c == '\\' || c < 0x20 || c == 0x2028 || c == 0x2029;
    }

    private static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
