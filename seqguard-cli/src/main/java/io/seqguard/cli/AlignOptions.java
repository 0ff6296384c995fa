package io.seqguard.cli;

import io.seqguard.AllocationRule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The options verify, plan and repair share. */
final class AlignOptions {

    /** The usage error of {@code --format sql} with a command that repairs nothing by statements. */
    static final String SQL_FORMAT_ELSEWHERE = "--format sql lists repair statements: use it with plan or repair";

    /** Output formats. */
    enum Format { text, json, sql }

    @Option(names = "--url", required = true, paramLabel = "JDBC_URL",
            description = "The database, for example jdbc:postgresql://db.example:5432/shop")
    String url;

    @Option(names = "--user", paramLabel = "USER", description = "The role to connect as (default: from the URL).")
    String user;

    /**
     * The value of {@code --password} or {@code --source-password} given without one: then {@link PasswordPrompt}
     * asks, once for the whole run. No command line can hold a NUL, so no password given is this; an empty value
     * ({@code --password="$PW"} with PW unset) stays apart from it.
     */
    static final String ASK = "\u0000";

    @Option(names = "--password", paramLabel = "PASSWORD", arity = "0..1", fallbackValue = ASK,
            description = "The password; without a value it is asked for at the terminal, or is the first line of "
                    + "standard input when that is not one. Default: the PGPASSWORD variable.")
    String password;

    @Option(names = "--source", paramLabel = "JDBC_URL",
            description = "The old primary (or its replica), read only, as a second witness: sequences no column "
                    + "uses and values it handed out are covered too.")
    String sourceUrl;

    @Option(names = "--source-user", paramLabel = "USER",
            description = "The role to connect to the source as (default: user= in the source URL, else --user).")
    String sourceUser;

    @Option(names = "--source-password", paramLabel = "PASSWORD", arity = "0..1", fallbackValue = ASK,
            description = "The source's password; without a value it is asked for as --password is (the line after "
                    + "--password's when both read standard input). Default: the PGSOURCEPASSWORD variable.")
    String sourcePassword;

    @Option(names = "--schema", paramLabel = "SCHEMA",
            description = "Only this schema; repeat for several (default: all but PostgreSQL's own).")
    List<String> schemas = new ArrayList<>();

    @Option(names = "--exclude", paramLabel = "NAME",
            description = "A sequence to skip, or a table whose data is not compared (a partitioned table or parent "
                    + "with its partitions and children; a partition alone still counts in its parent's read); "
                    + "repeatable.")
    List<String> excludes = new ArrayList<>();

    @Option(names = "--map", paramLabel = "SEQUENCE=TABLE.COLUMN",
            description = "A column a sequence feeds that the catalog does not show; repeatable.")
    List<String> mappings = new ArrayList<>();

    @Option(names = "--allow-unverified", paramLabel = "SEQUENCE",
            description = "A sequence knowingly not verified (an invoice number only application code uses): it no "
                    + "longer makes the run incomplete (exit 4). Repeatable; 'all' for every sequence no read can "
                    + "verify (no column uses it), not one a missing GRANT, row-level security or a timeout kept "
                    + "unread: that one by its name (a sequence named all is written public.all).")
    List<String> allowUnverified = new ArrayList<>();

    /** Null unless given, so that the report says the rule is seqguard's default rather than this option's. */
    @Option(names = "--allocation", paramLabel = "RULE",
            description = "plain, pooled, pooled-lo, pooled:<size>, pooled-lo:<size> or hilo:<size> (default: "
                    + "pooled).")
    String allocation;

    @Option(names = "--margin", paramLabel = "N", defaultValue = "0",
            description = "Extra values a repair skips beyond what the data needs (default: ${DEFAULT-VALUE}).")
    long margin;

    @Option(names = "--jobs", paramLabel = "N", defaultValue = "2",
            description = "Parallel connections reading the data (default: ${DEFAULT-VALUE}).")
    int jobs;

    @Option(names = "--lock-timeout", paramLabel = "DURATION", defaultValue = "10s",
            converter = DurationConverter.class,
            description = "Longest wait for a lock on a table or sequence, with its unit: 10s, 500ms, 2m "
                    + "(default: ${DEFAULT-VALUE}); per statement: a table another session keeps locked is waited "
                    + "for once, and its sequences are reported not verifiable.")
    Duration lockTimeout;

    @Option(names = "--statement-timeout", paramLabel = "DURATION", defaultValue = "60s",
            converter = DurationConverter.class,
            description = "Longest run of one statement, with its unit: 60s, 5m (default: ${DEFAULT-VALUE}).")
    Duration statementTimeout;

    @Option(names = "--lock-wait-timeout", paramLabel = "DURATION", defaultValue = "60s",
            converter = DurationConverter.class,
            description = "repair and cutover: longest wait for the seqguard lock while another seqguard run (an "
                    + "application's startup guard) repairs this database (default: ${DEFAULT-VALUE}).")
    Duration lockWaitTimeout;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text, json or sql (the repair statements: plan and repair only) (default: "
                    + "${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--all-nodes",
            description = "verify, plan and repair on a Citus cluster: run on every node that hands out ids (the "
                    + "coordinator and each worker with metadata, at the address pg_dist_node gives), one report per "
                    + "node; setval() reaches no other node, and each node's sequences are judged within its own "
                    + "range.")
    boolean allNodes;

    @Option(names = "--verbose", description = "Log what seqguard does, and print stack traces of failures.")
    boolean verbose;

    /** {@return the rule --allocation gives, or null when it was not given} */
    AllocationRule allocationRule() {
        return allocation == null ? null : AllocationRule.parse(allocation);
    }

    /** One way of writing a report. */
    @FunctionalInterface
    interface Rendering {
        void writeTo(Appendable out) throws IOException;
    }

    /** Writes the rendering {@code --format} asks for. */
    void write(Appendable out, Rendering text, Rendering json, Rendering sql) {
        try {
            switch (format) {
                case json:
                    json.writeTo(out);
                    break;
                case sql:
                    sql.writeTo(out);
                    break;
                default:
                    text.writeTo(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
