package io.seqguard.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Which databases of the server verify, plan and repair run on: the URL's, a list, or every one. */
final class DatabaseOptions {

    @Option(names = "--database", paramLabel = "NAME",
            description = "Run on this database of the --url server instead of the URL's; repeat for several (one "
                    + "report with a section per database; the source's database of the same name is the witness).")
    List<String> databases = new ArrayList<>();

    @Option(names = "--all-databases",
            description = "Run on every database of the --url server the role may connect to (templates excluded), "
                    + "one after another, each with --jobs connections.")
    boolean allDatabases;

    /** Whether the run covers several databases (a list of one too: its report has the shape of several). */
    boolean several() {
        return allDatabases || !databases.isEmpty();
    }
}
