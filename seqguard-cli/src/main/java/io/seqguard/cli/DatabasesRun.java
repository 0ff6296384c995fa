package io.seqguard.cli;

import io.seqguard.SeqguardException;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import picocli.CommandLine;

/**
 * verify, plan or repair on several databases of one server ({@code --database}, {@code --all-databases}): one after
 * another, each with {@code --jobs} connections, so the run stays within {@code --jobs} however many databases it
 * covers. One report with a section per database, and the worst exit code: a failure (1) over drift or a refused
 * repair (3) over incomplete (4) over aligned (0). A database that cannot be reached is a failure of the run, never
 * left out.
 */
final class DatabasesRun {

    /** Every database the role may connect to is in scope; the others are named in the report as not checked. */
    private static final String DATABASES = "SELECT datname, has_database_privilege(oid, 'CONNECT'), datallowconn,"
            + " quote_ident(datname), quote_ident(current_user) FROM pg_catalog.pg_database WHERE NOT datistemplate"
            + " ORDER BY datname COLLATE \"C\"";

    /** One database's part of the run. */
    record Section(String database, Part part) {
    }

    /** A database of the server left out of {@code --all-databases}, and why. */
    record NotChecked(String database, String reason) {
    }

    private final CommandLine commandLine;
    private final AlignOptions options;
    private final DatabaseOptions databases;
    private final AlignRun base;

    DatabasesRun(CommandLine commandLine, AlignOptions options, DatabaseOptions databases, AlignRun base) {
        this.commandLine = commandLine;
        this.options = options;
        this.databases = databases;
        this.base = base;
    }

    int run(String command) {
        if (databases.allDatabases && !databases.databases.isEmpty()) {
            throw new CommandLine.ParameterException(commandLine,
                    "--all-databases and --database: give one of them (--all-databases covers every database)");
        }
        Instant startedAt = Instant.now();
        long t0 = System.nanoTime();
        List<NotChecked> notChecked = new ArrayList<>();
        List<String> names = databases.allDatabases ? listDatabases(notChecked)
                : new ArrayList<>(new LinkedHashSet<>(databases.databases));
        ProgressBar bar = ProgressBar.forTerminal();
        List<Section> sections = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            String position = "database " + DatabasesReport.quoted(name) + " (" + (i + 1) + " of " + names.size() + ")";
            if (bar != null) {
                bar.label(position);
            }
            Section section = section(command, name, bar);
            sections.add(section);
            if (bar != null) {
                bar.label("");
                AlignRun.Result result = section.part().result();
                bar.line("seqguard " + command + ": " + position + ": " + section.part().outcome()
                        + (result != null && result.report() != null
                                ? ", " + result.report().sequences().size() + " sequences" : ""));
            }
        }
        DatabasesReport report = new DatabasesReport(command, server(), startedAt,
                Duration.ofNanos(System.nanoTime() - t0), sections, notChecked);
        PrintWriter out = commandLine.getOut();
        options.write(out, report::writeText, report::writeJson, report::writeSql);
        out.flush();
        return report.exitCode();
    }

    /** One database: its result, or the failure that stopped it (said as the single-database command says it). */
    private Section section(String command, String name, ProgressBar bar) {
        try {
            return new Section(name, new Part(base.on(name, bar).result(command), null));
        } catch (CommandLine.ParameterException e) {
            throw e; // the same options for every database: wrong for all, said once
        } catch (SeqguardException e) {
            String explained = ServerProbe.explain(e, ServerProbe.urls(options));
            verbose(e);
            return new Section(name, new Part(null, explained != null ? explained : connectionRefusal(name, e)));
        } catch (RuntimeException e) {
            verbose(e);
            return new Section(name, new Part(null, "unexpected " + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + (options.verbose ? "" : " (run again with --verbose for the stack trace)")));
        }
    }

    /**
     * A database named that does not exist, that the role may not connect to, or that accepts no connections, said
     * with the fix.
     */
    private String connectionRefusal(String name, SeqguardException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && "3D000".equals(sql.getSQLState())) {
                return "database " + DatabasesReport.quoted(name) + " does not exist on " + server()
                        + ": check the name given to --database (SELECT datname FROM pg_database lists them)";
            }
            if (t instanceof SQLException sql && "42501".equals(sql.getSQLState())) {
                // the role that connects: --user, else the URL's user=
                String user = base.dataSource().getUser();
                String role = user != null && !user.isBlank() ? DatabasesReport.quoted(user) : "the role";
                return "the role may not connect to database " + DatabasesReport.quoted(name)
                        + " (permission denied): GRANT CONNECT ON DATABASE " + DatabasesReport.quoted(name) + " TO "
                        + role + ", or leave it out";
            }
            if (t instanceof SQLException sql && "55000".equals(sql.getSQLState())) {
                return "database " + DatabasesReport.quoted(name) + " does not accept connections (ALTER DATABASE "
                        + DatabasesReport.quoted(name) + " ALLOW_CONNECTIONS true to check it, or leave it out)";
            }
        }
        return e.getMessage();
    }

    private void verbose(RuntimeException e) {
        if (options.verbose) {
            e.printStackTrace(commandLine.getErr());
        }
    }

    /**
     * The server's databases the role may connect to, read on the URL's database, templates excluded; the others
     * go to {@code notChecked} with the reason and the fix.
     */
    private List<String> listDatabases(List<NotChecked> notChecked) {
        List<String> names = new ArrayList<>();
        try (Connection connection = base.dataSource().getConnection(); Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery(DATABASES)) {
            while (rs.next()) {
                String name = rs.getString(1);
                if (!rs.getBoolean(3)) {
                    notChecked.add(new NotChecked(name, "it does not accept connections (ALTER DATABASE "
                            + rs.getString(4) + " ALLOW_CONNECTIONS true to check it)"));
                } else if (!rs.getBoolean(2)) {
                    notChecked.add(new NotChecked(name, "the role may not connect to it (GRANT CONNECT ON DATABASE "
                            + rs.getString(4) + " TO " + rs.getString(5) + " to check it)"));
                } else {
                    names.add(name);
                }
            }
        } catch (SQLException e) {
            // the list is read through the database the URL names: one that does not exist stops it all
            throw new SeqguardException("--all-databases: could not list the databases of the server: "
                    + e.getMessage() + ("3D000".equals(e.getSQLState()) ? ". The databases are listed through the one "
                    + "--url names: give one the role may connect to (postgres, say), and --all-databases covers "
                    + "the rest" : ""), e);
        }
        return names;
    }

    /** The server the URL names, as host:port, for the report. */
    private String server() {
        List<String> endpoints = new ArrayList<>();
        for (ServerProbe.Endpoint endpoint : ServerProbe.endpoints(options.url)) {
            endpoints.add(endpoint.toString());
        }
        return String.join(",", endpoints);
    }
}
