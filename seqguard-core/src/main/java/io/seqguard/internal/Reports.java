package io.seqguard.internal;

import io.seqguard.AlignmentReport;
import io.seqguard.Operation;

/** Copies of reports with one thing changed, for the guard, which runs the aligner's verbs and reports its own. */
final class Reports {

    private Reports() {
    }

    /** The same report under another verb: a repair that found nothing to move is reported as the repair it was. */
    static AlignmentReport withOperation(AlignmentReport report, Operation operation) {
        return new AlignmentReport(operation, report.database(), report.serverVersion(), report.allocation(),
                report.margin(), report.startedAt(), report.duration(), report.sequences(),
                report.sourceOnlySequences());
    }
}
