package io.seqguard.guard;

import static io.seqguard.guard.GuardFixture.q;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.seqguard.AllocationRule;
import io.seqguard.GuardConfiguration;
import io.seqguard.GuardMode;
import io.seqguard.GuardOutcome;
import io.seqguard.GuardResult;
import io.seqguard.AlignmentReport;
import io.seqguard.RepairAction;
import io.seqguard.SequenceAligner;
import io.seqguard.SequenceMapping;
import io.seqguard.SequenceReport;
import io.seqguard.SequenceStatus;
import io.seqguard.StartupGuard;
import io.seqguard.StartupGuardException;
import io.seqguard.test.PostgresTest;
import io.seqguard.test.TestDatabase;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * What the guard's repair reads, counted from the SQL it sends to a real server: without a source each table's
 * {@code max()} is read once, in the pass that repairs; with a source it verifies first and reads again only the
 * tables of the sequences it found behind.
 */
@PostgresTest
class GuardReadsEachTableOnceTest {

    private static final int EXTRA_TABLES = 12;
    /** An identifier as the server quotes it: plain, or in double quotes with quotes doubled. */
    private static final String IDENT = "(?:\"(?:[^\"]|\"\")*\"|\\w+)";
    /** {@code max("id") FROM "schema"."table"}, cast to numeric in a chunk's union: names as the server quoted them. */
    private static final Pattern MAX_READ = Pattern.compile("max\\(" + IDENT + "\\)(?:::numeric)? FROM (" + IDENT
            + "\\." + IDENT + ")");

    private final TestDatabase db;

    GuardReadsEachTableOnceTest(TestDatabase db) {
        this.db = db;
    }

    @Test
    void aRepairWithoutSourceReadsEveryTableOnce() throws Exception {
        String schema = GuardFixture.SCHEMA + " once";
        List<String> tables = GuardFixture.laggingSchema(db.dataSource(), schema, EXTRA_TABLES);
        aheadOfTheirData(schema, 4);
        List<String> sent = new ArrayList<>();
        GuardResult result = StartupGuard.configure().dataSource(recording(db.dataSource(), sent))
                .aligner(a -> a.schemas(q(schema))).load().run();

        assertThat(result.outcome()).isEqualTo(GuardOutcome.REPAIRED);
        assertThat(result.report().isAligned()).isTrue();
        // the fixture's 5 lagging sequences and the extra tables' less the 4 moved ahead
        assertThat(result.report().withAction(RepairAction.REPAIRED)).hasSize(5 + EXTRA_TABLES - 4);
        Map<String, Integer> reads = maxReads(sent);
        assertThat(reads.keySet()).hasSize(tables.size());
        assertThat(reads.values()).containsOnly(1);
    }

    @Test
    void aRepairWithASourceReadsAgainOnlyTheTablesOfSequencesBehind() throws Exception {
        String schema = GuardFixture.SCHEMA + " twice";
        List<String> tables = GuardFixture.laggingSchema(db.dataSource(), schema, EXTRA_TABLES);
        List<String> ahead = aheadOfTheirData(schema, 4);
        List<String> sent = new ArrayList<>();
        // the database as its own witness: the source adds nothing the data does not say, and is read after it
        GuardResult result = StartupGuard.configure().dataSource(recording(db.dataSource(), sent))
                .aligner(a -> a.schemas(q(schema)).source(db.dataSource())).load().run();

        assertThat(result.outcome()).isEqualTo(GuardOutcome.REPAIRED);
        assertThat(result.report().isAligned()).isTrue();
        Map<String, Integer> reads = maxReads(sent);
        assertThat(reads.keySet()).hasSize(tables.size());
        for (Map.Entry<String, Integer> read : reads.entrySet()) {
            boolean wasAhead = ahead.stream().anyMatch(t -> read.getKey().endsWith(t));
            assertThat(read.getValue()).as(read.getKey()).isEqualTo(wasAhead ? 1 : 2);
        }
    }

    /**
     * A framework's ORM step runs the guard again with the entities' mappings ({@link StartupGuard#runAgain}): only
     * the mapped sequences' tables are read again, a sequence the first run moved still shows as moved, and the first
     * run's refusal for want of the mappings (a sequence only an entity ties to its table) becomes a start.
     */
    @Test
    void aRunAgainWithTheEntitiesMappingsReadsOnlyTheirTables() throws Exception {
        String schema = GuardFixture.SCHEMA + " orm";
        GuardFixture.laggingSchema(db.dataSource(), schema, EXTRA_TABLES);
        String invoiceSeq = GuardFixture.table(schema, "invoice seq");
        String invoice = GuardFixture.table(schema, "Invoice; x");
        entityOnlySequence(invoiceSeq, invoice);
        String copied = GuardFixture.table(schema, "Tåble 00; --");
        String copiedSeq = GuardFixture.table(schema, "Tåble 00; --_id_seq");

        StartupGuardException first = catchThrowableOfType(StartupGuardException.class, () -> StartupGuard.configure()
                .dataSource(db.dataSource()).aligner(a -> a.schemas(q(schema))).load().run());
        assertThat(first.reason()).isEqualTo(StartupGuardException.Reason.INCOMPLETE);
        AlignmentReport earlier = first.report();
        assertThat(earlier.unverified()).extracting(SequenceReport::name).containsExactly("invoice seq");
        int movedFirst = earlier.withAction(RepairAction.REPAIRED).size();
        assertThat(movedFirst).isEqualTo(5 + EXTRA_TABLES);

        List<String> sent = new ArrayList<>();
        GuardResult again = StartupGuard.configure().dataSource(recording(db.dataSource(), sent))
                .aligner(a -> a.schemas(q(schema)).mappings(List.of(
                        SequenceMapping.builder().sequence(invoiceSeq).table(invoice).column("id")
                                .entity("com.acme.Invoice").allocation(AllocationRule.pooled(50)).build(),
                        SequenceMapping.builder().sequence(copiedSeq).table(copied).column("id")
                                .entity("com.acme.Copied").build())))
                .load().runAgain(earlier);

        assertThat(again.outcome()).isEqualTo(GuardOutcome.REPAIRED);
        assertThat(again.report().isAligned()).isTrue();
        assertThat(again.report().sequences()).extracting(SequenceReport::qualifiedName)
                .containsExactlyElementsOf(earlier.sequences().stream().map(SequenceReport::qualifiedName).toList());
        assertThat(maxReads(sent)).as("the mapped tables alone, once each").containsOnlyKeys(invoice, copied)
                .containsValues(1);
        SequenceReport invoiceNow = again.report().sequences().stream()
                .filter(s -> s.name().equals("invoice seq")).findFirst().orElseThrow();
        assertThat(invoiceNow.action()).isEqualTo(RepairAction.REPAIRED);
        assertThat(invoiceNow.nextValue()).isGreaterThan(500L);
        SequenceReport copiedNow = again.report().sequences().stream()
                .filter(s -> s.qualifiedName().equals(copiedSeq)).findFirst().orElseThrow();
        SequenceReport copiedBefore = earlier.sequences().stream()
                .filter(s -> s.qualifiedName().equals(copiedSeq)).findFirst().orElseThrow();
        assertThat(copiedNow.columns()).singleElement().satisfies(c -> assertThat(c.entities())
                .containsExactly("com.acme.Copied"));
        assertThat(copiedNow.action()).as("moved by the first run, from where it found it")
                .isEqualTo(RepairAction.REPAIRED);
        assertThat(copiedNow.previousNextValue()).isEqualTo(copiedBefore.previousNextValue());
        assertThat(again.report().withAction(RepairAction.REPAIRED)).hasSize(movedFirst + 1);
    }

    /** As Hibernate's DDL for a {@code @SequenceGenerator(allocationSize = 50)} leaves it: no column names it. */
    private void entityOnlySequence(String sequence, String table) throws SQLException {
        GuardFixture.execute(db.dataSource(), List.of("CREATE SEQUENCE " + sequence + " START WITH 1 INCREMENT BY 50",
                "CREATE TABLE " + table + " (id bigint PRIMARY KEY, total int)",
                "INSERT INTO " + table + " SELECT g, g FROM generate_series(1, 500) g"));
    }

    /**
     * A framework's first run ({@link StartupGuard#runBeforeMappings()}) refused only for want of the entities'
     * mappings journals {@code awaiting_mappings} with what it moved, and the ORM step's run its own outcome: a healthy
     * start-up journals no failure. Any other refusal of such a run, and the same refusal of a plain {@code run()},
     * are journaled as the failures they are.
     */
    @Test
    void aFirstRunBeforeTheMappingsJournalsAwaitingMappingsNotAFailure() throws Exception {
        String schema = GuardFixture.SCHEMA + " awaiting";
        GuardFixture.laggingSchema(db.dataSource(), schema, 2);
        String invoiceSeq = GuardFixture.table(schema, "invoice seq");
        String invoice = GuardFixture.table(schema, "Invoice; x");
        entityOnlySequence(invoiceSeq, invoice);
        String journal = GuardFixture.table(schema, "Jöurnal; x");
        Supplier<GuardConfiguration> guard = () -> StartupGuard.configure().dataSource(db.dataSource())
                .aligner(a -> a.schemas(q(schema))).journal(true).journalTable(journal);

        StartupGuardException drift = catchThrowableOfType(StartupGuardException.class,
                () -> guard.get().mode(GuardMode.VERIFY).load().runBeforeMappings());
        assertThat(drift.reason()).isEqualTo(StartupGuardException.Reason.DRIFT);
        // before the ORM step, a sequence no column uses may be an entity's: its line says the ORM step judges it
        assertThat(drift.report().sequences()).filteredOn(s -> s.qualifiedName().equals(invoiceSeq)).singleElement()
                .satisfies(s -> assertThat(s.reason()).startsWith("no column uses it yet (a Hibernate entity's "
                        + "sequence needs no mapping or acknowledgement: the ORM step judges it); if no entity uses "
                        + "it"));
        StartupGuardException first = catchThrowableOfType(StartupGuardException.class,
                () -> guard.get().load().runBeforeMappings());
        assertThat(first.isOnlyForWantOfMappings()).isTrue();
        int moved = first.report().withAction(RepairAction.REPAIRED).size();
        assertThat(moved).isPositive();
        GuardResult again = guard.get().aligner(a -> a.mappings(List.of(SequenceMapping.builder()
                        .sequence(invoiceSeq).table(invoice).column("id").allocation(AllocationRule.pooled(50))
                        .build())))
                .load().runAgain(first.report());
        assertThat(again.outcome()).isEqualTo(GuardOutcome.REPAIRED);
        StartupGuardException plain = catchThrowableOfType(StartupGuardException.class,
                () -> guard.get().load().run());
        assertThat(plain.isOnlyForWantOfMappings()).isTrue();
        assertThat(plain.report().sequences()).filteredOn(s -> s.qualifiedName().equals(invoiceSeq)).singleElement()
                .satisfies(s -> assertThat(s.reason()).startsWith("no column uses it (a value handed out by "
                        + "application code?)"));

        assertThat(GuardFixture.queryString(db.dataSource(), "SELECT string_agg(outcome || '/' "
                + "|| jsonb_array_length(changed), ' ' ORDER BY ran_at) FROM " + journal))
                .as("the drift and the plain run fail; the first run before the mappings awaits them")
                .isEqualTo("failed_drift/0 awaiting_mappings/" + moved + " repaired/1 failed_incomplete/0");
        assertThat(GuardFixture.queryString(db.dataSource(), "SELECT message FROM " + journal
                + " WHERE outcome = 'awaiting_mappings'"))
                .as("nothing was refused yet").startsWith("awaiting the ORM step: 1 sequence(s) no column uses, to "
                        + "be judged with the entities' mappings: " + invoiceSeq).doesNotContain("refuses");
    }

    /**
     * Between the first run and the ORM step Hibernate's schema management may drop and create tables and load rows
     * with their ids ({@code ddl-auto=create} and {@code import.sql}): a sequence the first run did not see (same name,
     * another oid) is read again although no mapping names it; the ORM step's journal row names only its own moves.
     */
    @Test
    void aRunAgainReadsASequenceCreatedSinceTheFirstRunAndJournalsItsOwnMoves() throws Exception {
        String schema = GuardFixture.SCHEMA + " recreated";
        GuardFixture.laggingSchema(db.dataSource(), schema, 2);
        String journal = GuardFixture.table(schema, "journal");
        GuardResult first = StartupGuard.configure().dataSource(db.dataSource()).aligner(a -> a.schemas(q(schema)))
                .journal(true).journalTable(journal).load().run();
        String table = GuardFixture.table(schema, "Tåble 00; --");
        GuardFixture.execute(db.dataSource(), List.of("DROP TABLE " + table,
                "CREATE TABLE " + table + " (id bigserial PRIMARY KEY, note text)",
                "INSERT INTO " + table + " (id, note) SELECT g, 'imported' FROM generate_series(1, 50) g"));

        List<String> sent = new ArrayList<>();
        GuardResult again = StartupGuard.configure().dataSource(recording(db.dataSource(), sent))
                .aligner(a -> a.schemas(q(schema))).journal(true).journalTable(journal).load()
                .runAgain(first.report());
        // the journal's own max(ran_at) aside
        assertThat(maxReads(sent).keySet()).as("the recreated table alone").filteredOn(t -> !t.endsWith(".journal"))
                .containsExactly(table);
        assertThat(again.report().isAligned()).isTrue();
        SequenceReport recreated = again.report().sequences().stream()
                .filter(s -> s.name().equals("Tåble 00; --_id_seq")).findFirst().orElseThrow();
        assertThat(recreated.action()).isEqualTo(RepairAction.REPAIRED);
        assertThat(recreated.previousNextValue()).isEqualTo(1L);
        assertThat(recreated.nextValue()).isGreaterThan(50L);
        assertThat(again.report().sequences()).hasSameSizeAs(first.report().sequences());
        assertThat(GuardFixture.queryString(db.dataSource(), "SELECT string_agg(x->>'sequence', ',') FROM (SELECT "
                + "changed FROM " + journal + " ORDER BY ran_at DESC LIMIT 1) j, jsonb_array_elements(j.changed) x"))
                .as("the second row: its own move only").isEqualTo(recreated.qualifiedName());
    }

    /**
     * An ORM step's refusal counts the start-up's moves and says which of them the first run made: all, or all but
     * the one of a table dropped and created since (Hibernate's {@code ddl-auto=create}), which is the ORM step's own.
     * A sequence no column uses is judged again without reading a table, and its line no longer says the ORM step is
     * to come.
     */
    @Test
    void anOrmStepRefusalSaysWhichMovesTheFirstRunMade() throws Exception {
        String schema = GuardFixture.SCHEMA + " moved first";
        GuardFixture.laggingSchema(db.dataSource(), schema, 2);
        String ticket = GuardFixture.table(schema, "ticket; no");
        GuardFixture.execute(db.dataSource(), List.of("CREATE SEQUENCE " + ticket));
        List<String> sent = new ArrayList<>();
        Supplier<GuardConfiguration> guard = () -> StartupGuard.configure()
                .dataSource(recording(db.dataSource(), sent)).aligner(a -> a.schemas(q(schema)));
        StartupGuardException first = catchThrowableOfType(StartupGuardException.class,
                () -> guard.get().load().runBeforeMappings());
        assertThat(first.isOnlyForWantOfMappings()).isTrue();
        int moved = first.report().withAction(RepairAction.REPAIRED).size();
        assertThat(moved).isGreaterThan(2);

        sent.clear();
        StartupGuardException again = catchThrowableOfType(StartupGuardException.class,
                () -> guard.get().load().runAgain(first.report()));
        assertThat(maxReads(sent)).as("no table read again").isEmpty();
        assertThat(again.reason()).isEqualTo(StartupGuardException.Reason.INCOMPLETE);
        assertThat(again.getMessage())
                .contains("It moved " + moved + " sequence(s) forward first, before the ORM step.");
        assertThat(again.report().sequences()).filteredOn(s -> s.qualifiedName().equals(ticket)).singleElement()
                .satisfies(s -> assertThat(s.reason()).startsWith("no column uses it (a value handed out by "
                        + "application code?)"));

        String table = GuardFixture.table(schema, "Tåble 00; --");
        GuardFixture.execute(db.dataSource(), List.of("DROP TABLE " + table,
                "CREATE TABLE " + table + " (id bigserial PRIMARY KEY, note text)",
                "INSERT INTO " + table + " (id, note) SELECT g, 'imported' FROM generate_series(1, 50) g"));
        StartupGuardException recreated = catchThrowableOfType(StartupGuardException.class,
                () -> guard.get().load().runAgain(first.report()));
        assertThat(recreated.getMessage()).contains("It moved " + moved + " sequence(s) forward first, " + (moved - 1)
                + " of them before the ORM step.");
    }

    /** An ORM step whose entities name no sequence (all IDENTITY) reads no table: the first run's report stands. */
    @Test
    void aRunAgainWithoutMappingsReadsNoTable() throws Exception {
        String schema = GuardFixture.SCHEMA + " no orm";
        GuardFixture.laggingSchema(db.dataSource(), schema, 2);
        GuardResult first = StartupGuard.configure().dataSource(db.dataSource()).aligner(a -> a.schemas(q(schema)))
                .load().run();
        List<String> sent = new ArrayList<>();
        GuardResult again = StartupGuard.configure().dataSource(recording(db.dataSource(), sent))
                .aligner(a -> a.schemas(q(schema))).load().runAgain(first.report());
        assertThat(maxReads(sent)).isEmpty();
        assertThat(again.outcome()).isEqualTo(GuardOutcome.REPAIRED);
        assertThat(again.report().sequences()).isEqualTo(first.report().sequences());
    }

    /**
     * A table another session holds locked fails its chunk's read with a lock timeout: pg_locks then says which
     * table it is, so the locked one is not waited for again (read alone, it waited once more: a start-up met twice
     * the lock timeout per locked table) and the rest of the chunk is read together again.
     */
    @Test
    void aLockedTableIsWaitedForOnceAndTheRestOfItsChunkReadAgain() throws Exception {
        String schema = GuardFixture.SCHEMA + " locked";
        List<String> tables = GuardFixture.laggingSchema(db.dataSource(), schema, EXTRA_TABLES);
        String locked = tables.get(tables.size() - 1);
        List<String> sent = new ArrayList<>();
        AlignmentReport report = verifyWhileLocked(locked, schema, recording(db.dataSource(), sent));

        SequenceReport blocked = report.sequences().stream()
                .filter(s -> s.columns().stream().anyMatch(c -> locked.endsWith(q(c.table()))))
                .findFirst().orElseThrow();
        assertThat(blocked.status()).isEqualTo(SequenceStatus.NOT_VERIFIABLE);
        assertThat(blocked.reason()).contains("lock timeout");
        Map<String, Integer> reads = maxReads(sent);
        assertThat(reads).as("the locked table: in its chunk only").containsEntry(locked, 1);
        Map<String, Integer> others = new TreeMap<>(reads);
        others.remove(locked);
        assertThat(others).as("the other tables of the failed chunk: together, then together again").isNotEmpty();
        assertThat(others.values()).containsOnly(2);
        assertThat(sent).as("together again: one statement, not one per table")
                .filteredOn(sql -> sql.contains("UNION ALL SELECT 1, max(")).hasSize(2);
    }

    /**
     * A read of a partitioned table locks every partition, and of an inheritance parent every child: a lock another
     * session holds on a partition two levels down is found through the tree, so that table too is waited for once.
     */
    @Test
    void aLockedPartitionIsFoundThroughItsTreeAndWaitedForOnce() throws Exception {
        String schema = GuardFixture.SCHEMA + " partition locked";
        GuardFixture.laggingSchema(db.dataSource(), schema, 2);
        String parent = GuardFixture.table(schema, "Events; x");
        String middle = GuardFixture.table(schema, "Events 2026");
        String leaf = GuardFixture.table(schema, "Events 2026-12");
        GuardFixture.execute(db.dataSource(), List.of(
                "CREATE TABLE " + parent + " (id bigserial, at date NOT NULL, PRIMARY KEY (id, at)) "
                        + "PARTITION BY RANGE (at)",
                "CREATE TABLE " + middle + " PARTITION OF " + parent
                        + " FOR VALUES FROM ('2026-01-01') TO ('2027-01-01') PARTITION BY RANGE (at)",
                "CREATE TABLE " + leaf + " PARTITION OF " + middle
                        + " FOR VALUES FROM ('2026-12-01') TO ('2027-01-01')",
                "INSERT INTO " + parent + " (id, at) SELECT g, date '2026-12-03' FROM generate_series(1, 30) g"));
        List<String> sent = new ArrayList<>();
        AlignmentReport report = verifyWhileLocked(leaf, schema, recording(db.dataSource(), sent));
        assertThat(report.sequences()).filteredOn(s -> s.name().equals("Events; x_id_seq")).singleElement()
                .satisfies(s -> assertThat(s.reason()).contains("lock timeout"));
        Map<String, Integer> reads = maxReads(sent);
        assertThat(reads).as("the partitioned table: in its chunk only").containsEntry(parent, 1);
        Map<String, Integer> others = new TreeMap<>(reads);
        others.remove(parent);
        assertThat(others.values()).as("the rest of the chunk: together, then together again").isNotEmpty()
                .containsOnly(2);
    }

    /**
     * A column a sequence feeds only through its {@code DEFAULT nextval(...)} (a Flyway script without
     * {@code OWNED BY}) has its default's text read by the catalog read, and {@code pg_get_expr} locks the table
     * (seen on PostgreSQL 18): a table another session holds locked left the whole run failed on the lock timeout.
     * Now that sequence alone is not verified, with the lock as its reason, and the rest is judged.
     */
    @Test
    void aLockedTableThatOnlyADefaultTiesToItsSequenceLeavesThatSequenceAloneUnverified() throws Exception {
        String schema = GuardFixture.SCHEMA + " default locked";
        GuardFixture.laggingSchema(db.dataSource(), schema, 2);
        String sequence = GuardFixture.table(schema, "ticket no; x");
        String table = GuardFixture.table(schema, "Tickets; x");
        GuardFixture.execute(db.dataSource(), List.of("CREATE SEQUENCE " + sequence,
                "CREATE TABLE " + table + " (no bigint PRIMARY KEY DEFAULT nextval('"
                        + sequence.replace("'", "''") + "'))",
                "INSERT INTO " + table + " SELECT g FROM generate_series(1, 30) g"));
        AlignmentReport report = verifyWhileLocked(table, schema, db.dataSource());
        assertThat(report.unverified()).singleElement().satisfies(s -> {
            assertThat(s.qualifiedName()).isEqualTo(sequence);
            assertThat(s.status()).isEqualTo(SequenceStatus.NOT_VERIFIABLE);
            assertThat(s.reason()).contains("lock timeout");
        });
        assertThat(report.withStatus(SequenceStatus.BEHIND)).isNotEmpty();
    }

    /**
     * Verifies {@code schema} through {@code dataSource} (one job, a lock timeout of 300 ms) while another session
     * holds {@code table} in ACCESS EXCLUSIVE mode.
     */
    private AlignmentReport verifyWhileLocked(String table, String schema, DataSource dataSource) throws SQLException {
        try (Connection holder = db.dataSource().getConnection(); Statement st = holder.createStatement()) {
            holder.setAutoCommit(false);
            st.execute("LOCK TABLE " + table + " IN ACCESS EXCLUSIVE MODE");
            try {
                return SequenceAligner.configure().dataSource(dataSource).schemas(q(schema))
                        .lockTimeout(Duration.ofMillis(300)).jobs(1).load().verify();
            } finally {
                holder.rollback();
            }
        }
    }

    /** Moves the sequences of the first {@code count} extra tables past their data; returns those tables' names. */
    private List<String> aheadOfTheirData(String schema, int count) throws Exception {
        List<String> sql = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String table = String.format("Tåble %02d; --", i);
            sql.add("SELECT setval(pg_get_serial_sequence('" + GuardFixture.table(schema, table).replace("'", "''")
                    + "', 'id'), 1000)");
            names.add(q(table));
        }
        GuardFixture.execute(db.dataSource(), sql);
        return names;
    }

    /** Every table seqguard read {@code max()} of, quoted as sent, and how often. */
    private static Map<String, Integer> maxReads(List<String> sent) {
        Map<String, Integer> reads = new TreeMap<>();
        synchronized (sent) {
            for (String sql : sent) {
                Matcher m = MAX_READ.matcher(sql);
                while (m.find()) {
                    reads.merge(m.group(1), 1, Integer::sum);
                }
            }
        }
        return reads;
    }

    /** The data source, recording the SQL of every statement run on its connections. */
    private static DataSource recording(DataSource real, List<String> sent) {
        return proxy(DataSource.class, real, (target, method, args) -> {
            Object result = method.invoke(target, args);
            return result instanceof Connection c ? proxy(Connection.class, c, (conn, m, a) -> {
                Object r = m.invoke(conn, a);
                if (m.getName().equals("prepareStatement")) {
                    record(sent, (String) a[0]);
                }
                return r instanceof Statement s && m.getName().equals("createStatement")
                        ? proxy(Statement.class, s, (st, sm, sa) -> {
                            if (sm.getName().startsWith("execute") && sa != null && sa[0] instanceof String sql) {
                                record(sent, sql);
                            }
                            return sm.invoke(st, sa);
                        })
                        : r;
            }) : result;
        });
    }

    private static void record(List<String> sent, String sql) {
        synchronized (sent) {
            sent.add(sql);
        }
    }

    /** A proxy that hands each call to {@code handler} with the real object; exceptions come out unwrapped. */
    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, T target, Handler<T> handler) {
        InvocationHandler invocation = (p, method, args) -> {
            try {
                return handler.invoke(target, method, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, invocation);
    }

    @FunctionalInterface
    private interface Handler<T> {
        Object invoke(T target, java.lang.reflect.Method method, Object[] args) throws Throwable;
    }
}
