package io.seqguard.cli;

import io.seqguard.AlignmentReport;
import io.seqguard.SequenceAligner;
import io.seqguard.test.EmbeddedPostgres;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Replays a cutover for real on two embedded servers: the application writes on the old primary, native logical
 * replication copies the rows with their ids, the cutover leaves every sequence behind, the first inserts fail — and
 * seqguard finds and repairs it.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Replay a cutover on two embedded PostgreSQL servers and watch seqguard fix it (no database "
                + "of your own needed).")
final class DemoCommand implements Callable<Integer> {

    private static final Duration REPLICATION_DEADLINE = Duration.ofSeconds(60);

    /** The application's tables: every kind of sequence, and a name no hand-written script survives. */
    private static final String[] SCHEMA = {
        "CREATE SCHEMA shop",
        "CREATE TABLE shop.customer (id bigserial PRIMARY KEY, name text NOT NULL)",
        "CREATE TABLE shop.orders (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, customer_id bigint NOT NULL)",
        "CREATE SEQUENCE shop.document_no",
        "CREATE TABLE shop.invoice (no bigint PRIMARY KEY DEFAULT nextval('shop.document_no'), order_id int)",
        "CREATE TABLE shop.credit_note (no bigint PRIMARY KEY DEFAULT nextval('shop.document_no'), order_id int)",
        "CREATE TABLE shop.event (id bigserial, at date NOT NULL DEFAULT current_date, kind text,"
                + " PRIMARY KEY (id, at)) PARTITION BY RANGE (at)",
        "CREATE TABLE shop.event_old PARTITION OF shop.event FOR VALUES FROM (MINVALUE) TO ('2000-01-01')",
        "CREATE TABLE shop.event_new PARTITION OF shop.event FOR VALUES FROM ('2000-01-01') TO (MAXVALUE)",
        "CREATE TABLE shop.\"Order Lines; DROP TABLE x\" (\"Ïd\" serial PRIMARY KEY, order_id int)",
    };

    /** Every table the application writes, as the demo names them in SQL. */
    private static final String[] REPLICATED_TABLES = {
        "shop.customer", "shop.orders", "shop.invoice", "shop.credit_note", "shop.event",
        "shop.\"Order Lines; DROP TABLE x\"",
    };

    /** One application write per table, through the sequences. */
    private static final String[] APPLICATION_INSERTS = {
        "INSERT INTO shop.customer (name) VALUES ('ada')",
        "INSERT INTO shop.orders (customer_id) VALUES (1)",
        "INSERT INTO shop.invoice (order_id) VALUES (1)",
        "INSERT INTO shop.credit_note (order_id) VALUES (1)",
        "INSERT INTO shop.\"Order Lines; DROP TABLE x\" (order_id) VALUES (1)",
    };

    @Spec
    private CommandSpec spec;

    /** Read from the command line by {@link Main} (log level) and {@link FailureHandler} (stack traces). */
    @Option(names = "--verbose", description = "Log what seqguard does, and print stack traces of failures.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        long started = System.nanoTime();
        out.println("seqguard demo: a cutover replayed on two embedded PostgreSQL servers");
        out.println();
        out.println("1. Starting the old primary and the new primary ...");
        try (EmbeddedPostgres oldPrimary = EmbeddedPostgres.builder().start();
                EmbeddedPostgres newPrimary = EmbeddedPostgres.builder().start()) {
            DataSource source = oldPrimary.dataSource("postgres");
            DataSource target = newPrimary.dataSource("postgres");
            out.printf("   PostgreSQL %d on ports %d (old) and %d (new)%n", oldPrimary.majorVersion(),
                    oldPrimary.port(), newPrimary.port());
            execute(source, SCHEMA);
            execute(target, SCHEMA);

            out.println("2. The application writes on the old primary (ids from the sequences) ...");
            writeThroughSequences(source, 500);

            out.println("3. Native logical replication copies the rows, with their ids, to the new primary ...");
            execute(source, "CREATE PUBLICATION seqguard_demo FOR ALL TABLES");
            execute(target, "CREATE SUBSCRIPTION seqguard_demo CONNECTION 'host=127.0.0.1 port="
                    + oldPrimary.port() + " dbname=postgres user=postgres' PUBLICATION seqguard_demo");
            writeThroughSequences(source, 250);
            awaitReplicated(source, target);
            out.printf("   %d customers and their orders, invoices and events arrived%n",
                    count(target, "SELECT count(*) FROM shop.customer"));

            out.println("4. Cutover: replication stops, the application moves to the new primary.");
            execute(target, "ALTER SUBSCRIPTION seqguard_demo DISABLE");

            out.println();
            out.println("5. The application's first inserts on the new primary:");
            showInserts(target, out);

            out.println();
            out.println("6. seqguard verify:");
            SequenceAligner aligner = SequenceAligner.configure().dataSource(target).schemas("shop").load();
            AlignmentReport verify = aligner.verify();
            indent(out, verify.toText());

            out.println("7. seqguard repair:");
            AlignmentReport repair = aligner.repair();
            indent(out, repair.toText());

            out.println("8. The same inserts again:");
            showInserts(target, out);
            out.println();
            boolean aligned = aligner.verify().isAligned();
            out.printf("Done in %.1f s: %s. Servers stopped.%n", (System.nanoTime() - started) / 1e9,
                    aligned ? "every sequence is ahead of its data" : "drift remains (see above)");
            return aligned ? ExitCode.ALIGNED : ExitCode.DRIFT;
        }
    }

    private static void writeThroughSequences(DataSource source, int customers) throws SQLException {
        execute(source,
                "INSERT INTO shop.customer (name) SELECT 'customer ' || g FROM generate_series(1, " + customers + ") g",
                "INSERT INTO shop.orders (customer_id) SELECT id FROM shop.customer ORDER BY id DESC LIMIT "
                        + customers,
                "INSERT INTO shop.invoice (order_id) SELECT id FROM shop.orders ORDER BY id DESC LIMIT " + customers,
                "INSERT INTO shop.credit_note (order_id) SELECT id FROM shop.orders ORDER BY id DESC LIMIT 10",
                "INSERT INTO shop.event (at, kind) SELECT DATE '2020-01-01' + g % 365, 'order placed' "
                        + "FROM generate_series(1, " + customers + ") g",
                "INSERT INTO shop.\"Order Lines; DROP TABLE x\" (order_id) SELECT id FROM shop.orders "
                        + "ORDER BY id DESC LIMIT " + customers);
    }

    /** Waits until every table holds on the new primary what it holds on the old one: the cutover point. */
    private static void awaitReplicated(DataSource source, DataSource target) throws SQLException,
            InterruptedException {
        long deadline = System.nanoTime() + REPLICATION_DEADLINE.toNanos();
        for (String table : REPLICATED_TABLES) {
            String sql = "SELECT count(*) FROM " + table;
            long expected = count(source, sql);
            while (count(target, sql) != expected) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("logical replication did not deliver " + table + " within "
                            + REPLICATION_DEADLINE.toSeconds() + " s");
                }
                Thread.sleep(100); // polling a condition with a deadline
            }
        }
    }

    private static void showInserts(DataSource target, PrintWriter out) throws SQLException {
        try (Connection connection = target.getConnection(); Statement st = connection.createStatement()) {
            for (String insert : APPLICATION_INSERTS) {
                String table = insert.substring("INSERT INTO ".length(), insert.indexOf(" ("));
                try {
                    st.executeUpdate(insert);
                    out.printf("   ok      %s%n", table);
                } catch (SQLException e) {
                    out.printf("   FAILED  %s: %s%n", table, e.getMessage().lines().findFirst().orElse(""));
                }
            }
            // no unique index on id alone: a collision is silent, so count duplicates inside a transaction
            connection.setAutoCommit(false);
            st.executeUpdate("INSERT INTO shop.event (kind) VALUES ('first event after cutover')");
            long duplicates = count(st, "SELECT count(*) - count(DISTINCT id) FROM shop.event");
            connection.rollback();
            connection.setAutoCommit(true);
            out.printf("   %s shop.event: %s%n", duplicates == 0 ? "ok     " : "SILENT ",
                    duplicates == 0 ? "new id is unique" : "accepted a duplicate id (no unique index on id alone)");
        }
    }

    private static void execute(DataSource dataSource, String... statements) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement st = connection.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        }
    }

    private static long count(DataSource dataSource, String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement st = connection.createStatement()) {
            return count(st, sql);
        }
    }

    private static long count(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void indent(PrintWriter out, String text) {
        for (String line : List.of(text.split("\n"))) {
            out.println("   " + line);
        }
    }
}
