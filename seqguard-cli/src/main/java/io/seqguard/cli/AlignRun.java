package io.seqguard.cli;

import io.seqguard.AlignerConfiguration;
import io.seqguard.AlignmentReport;
import io.seqguard.RepairAction;
import io.seqguard.SequenceAligner;
import io.seqguard.SequenceMapping;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import picocli.CommandLine;

/** One verify, plan or repair from the command line: options to configuration, report to output, code to exit. */
final class AlignRun {

    private final CommandLine commandLine;
    private final AlignOptions options;
    private final Map<String, String> environment;

    AlignRun(CommandLine commandLine, AlignOptions options, Map<String, String> environment) {
        this.commandLine = commandLine;
        this.options = options;
        this.environment = environment;
    }

    /** Drawn only for a person at a terminal; tests and pipes get none. */
    private final ProgressBar progressBar = System.console() != null ? new ProgressBar(System.err) : null;

    int verify() {
        if (options.format == AlignOptions.Format.sql) {
            throw new CommandLine.ParameterException(commandLine,
                    "--format sql lists repair statements: use it with plan or repair");
        }
        AlignmentReport report = aligner().verify();
        print(report);
        return report.isAligned() ? ExitCode.ALIGNED : ExitCode.DRIFT;
    }

    int plan() {
        AlignmentReport report = aligner().plan();
        print(report);
        return report.isAligned() ? ExitCode.ALIGNED : ExitCode.DRIFT;
    }

    int repair() {
        AlignmentReport report = aligner().repair();
        print(report);
        boolean failed = !report.withAction(RepairAction.FAILED).isEmpty();
        return report.isAligned() && !failed ? ExitCode.ALIGNED : ExitCode.DRIFT;
    }

    private void print(AlignmentReport report) {
        if (progressBar != null) {
            progressBar.finish();
        }
        PrintWriter out = commandLine.getOut();
        switch (options.format) {
            case json:
                out.print(report.toJson());
                break;
            case sql:
                out.print(report.toSql());
                break;
            default:
                out.print(report.toText());
        }
        out.flush();
    }

    private SequenceAligner aligner() {
        List<SequenceMapping> mappings = new ArrayList<>();
        for (String mapping : options.mappings) {
            try {
                mappings.add(SequenceMapping.parse(mapping));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(commandLine, "--map " + e.getMessage());
            }
        }
        AlignerConfiguration configuration;
        try {
            configuration = SequenceAligner.configure().dataSource(dataSource()).schemas(options.schemas)
                    .excludeSequences(options.excludes).excludeTables(options.excludes).mappings(mappings)
                    .allocation(options.allocationRule()).margin(options.margin).jobs(options.jobs)
                    .lockTimeout(options.lockTimeout).statementTimeout(options.statementTimeout);
            if (progressBar != null) {
                configuration.progressListener(progressBar);
            }
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(commandLine, "--" + e.getMessage());
        }
        return configuration.load();
    }

    private DataSource dataSource() {
        if (!options.url.startsWith("jdbc:postgresql:")) {
            throw new CommandLine.ParameterException(commandLine, "--url: '" + options.url
                    + "' is not a PostgreSQL JDBC URL; expected jdbc:postgresql://HOST[:PORT]/DATABASE");
        }
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        try {
            dataSource.setUrl(options.url);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(commandLine, "--url: '" + options.url
                    + "' is malformed; expected jdbc:postgresql://HOST[:PORT]/DATABASE");
        }
        if (options.user != null) {
            dataSource.setUser(options.user);
        }
        if (options.password != null) {
            dataSource.setPassword(new String(options.password));
        } else if (environment.get("PGPASSWORD") != null) {
            dataSource.setPassword(environment.get("PGPASSWORD"));
        }
        dataSource.setApplicationName("seqguard");
        dataSource.setConnectTimeout(10);
        return dataSource;
    }
}
