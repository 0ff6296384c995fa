package io.seqguard.cli;

import io.seqguard.AlignmentReport;
import io.seqguard.Verdict;
import java.io.IOException;
import java.util.List;

/**
 * One part of a run over several targets (a database of a server with {@code --database}/{@code --all-databases},
 * a node of a Citus cluster with {@code --all-nodes}): the command's result there, or the failure that stopped it.
 * Both documents write their parts in this one shape, each holding the single-database report unchanged.
 */
record Part(AlignRun.Result result, String failure) {

    int exitCode() {
        return result != null ? result.exitCode() : ExitCode.FAILURE;
    }

    /** In a word: aligned, incomplete, drift, repair failed, refused or failed. */
    String outcome() {
        if (result == null) {
            return "failed";
        }
        AlignmentReport report = result.report();
        if (report == null) {
            return "refused";
        }
        switch (result.exitCode()) {
            case ExitCode.ALIGNED:
                return "aligned";
            case ExitCode.INCOMPLETE:
                return "incomplete";
            default:
                return report.verdict() == Verdict.DRIFT ? "drift" : "repair failed";
        }
    }

    /** Why there is no report, in one phrase: the failure, or the refusal; null when there is a report. */
    String message() {
        if (result == null) {
            return failure;
        }
        return result.report() == null ? "refused: " + result.refusal() : null;
    }

    /** The worst of the exit codes: failure (1) over drift or a refusal (3) over incomplete (4) over aligned (0). */
    static int worst(List<Part> parts) {
        int worst = ExitCode.ALIGNED;
        for (Part part : parts) {
            worst = ExitCode.worse(worst, part.exitCode());
        }
        return worst;
    }

    /** The worst outcome of the parts in a word, as a document's summary says it. */
    static String outcome(List<Part> parts) {
        switch (worst(parts)) {
            case ExitCode.FAILURE:
                return "failed";
            case ExitCode.DRIFT:
                for (String outcome : List.of("drift", "repair failed")) {
                    if (parts.stream().anyMatch(p -> p.outcome().equals(outcome))) {
                        return outcome;
                    }
                }
                return "refused";
            case ExitCode.INCOMPLETE:
                return "incomplete";
            default:
                return "aligned";
        }
    }

    /**
     * Writes the fields every part has, after the ones naming it that {@code head} holds, and closes the object:
     * {@code "outcome", "exitCode", "failure", "refusal", "report"}, the report the single-database document as it
     * is, indented to sit there.
     */
    void writeJson(Appendable out, StringBuilder head, String indent) throws IOException {
        head.append(",\n").append(indent).append("\"outcome\": ");
        Json.string(head, outcome());
        head.append(",\n").append(indent).append("\"exitCode\": ").append(exitCode()).append(",\n").append(indent)
                .append("\"failure\": ");
        Json.nullable(head, failure);
        head.append(",\n").append(indent).append("\"refusal\": ");
        Json.nullable(head, result == null ? null : result.refusal());
        head.append(",\n").append(indent).append("\"report\": ");
        AlignmentReport report = result == null ? null : result.report();
        if (report == null) {
            head.append("null");
            out.append(head);
        } else {
            out.append(head);
            report.writeJson(new Json.Indented(out, indent));
        }
        head.setLength(0);
    }
}
