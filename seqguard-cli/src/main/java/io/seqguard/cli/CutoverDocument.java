package io.seqguard.cli;

import io.seqguard.AlignmentReport;
import java.io.IOException;
import java.util.List;

/**
 * What {@code cutover --format json} prints, the change record of a cutover: the subscription, every step that ran as
 * standard error showed it, how it ended, and the repair's and the final verify's reports in the single-database
 * shape. A document of its own shape with its own {@code cutoverFormatVersion} (README, "JSON of a cutover"), printed
 * whenever a step ran, also when one refused or timed out, so that a saved record says how far the cutover got.
 *
 * @param outcome in a word, as {@link Part#outcome()} says it, or {@code stopped before the repair}
 * @param failure why it failed (exit 1, or 2 for a name the user gave); null otherwise
 * @param refusal why a step refused to go on, or why it stopped before the repair; null otherwise
 * @param nextStatement the statement that finishes a cutover stopped before the repair; null otherwise
 * @param repair the repair's report; null when the cutover did not get that far
 * @param verify the final verify's report; null when the cutover did not get that far
 */
record CutoverDocument(String subscription, List<String> steps, String outcome, int exitCode, String failure,
        String refusal, String nextStatement, AlignmentReport repair, AlignmentReport verify) {

    /** Bumped when a field of the cutover document changes meaning or disappears. */
    static final int FORMAT_VERSION = 1;

    private static final String INDENT = "  ";

    CutoverDocument {
        steps = List.copyOf(steps);
    }

    void writeJson(Appendable out) throws IOException {
        StringBuilder json = new StringBuilder(1024);
        json.append("{\n  \"cutoverFormatVersion\": ").append(FORMAT_VERSION).append(",\n  \"operation\": \"cutover\"")
                .append(",\n  \"subscription\": ");
        Json.string(json, subscription);
        json.append(",\n  \"aligned\": ").append(exitCode == ExitCode.ALIGNED).append(",\n  \"outcome\": ");
        Json.string(json, outcome);
        json.append(",\n  \"exitCode\": ").append(exitCode).append(",\n  \"failure\": ");
        Json.nullable(json, failure);
        json.append(",\n  \"refusal\": ");
        Json.nullable(json, refusal);
        json.append(",\n  \"nextStatement\": ");
        Json.nullable(json, nextStatement);
        json.append(",\n  \"steps\": [");
        for (int i = 0; i < steps.size(); i++) {
            json.append(i == 0 ? "\n    " : ",\n    ");
            Json.string(json, steps.get(i));
        }
        json.append(steps.isEmpty() ? "]" : "\n  ]").append(",\n  \"repair\": ");
        writeReport(out, json, repair);
        json.append(",\n  \"verify\": ");
        writeReport(out, json, verify);
        out.append(json.append("\n}\n"));
    }

    /** The report as its own document, indented to sit in this one; what {@code json} holds is written first. */
    private static void writeReport(Appendable out, StringBuilder json, AlignmentReport report) throws IOException {
        if (report == null) {
            json.append("null");
            return;
        }
        out.append(json);
        json.setLength(0);
        report.writeJson(new Json.Indented(out, INDENT));
    }
}
