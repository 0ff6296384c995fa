package io.seqguard.internal;

import io.seqguard.AlignerConfiguration;
import io.seqguard.AlignmentReport;
import io.seqguard.FedColumn;
import io.seqguard.Operation;
import io.seqguard.RepairAction;
import io.seqguard.SeqguardException;
import io.seqguard.SequenceReport;
import io.seqguard.SequenceStatus;
import io.seqguard.Witness;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one verb: catalog, sequence states, data bounds, verdicts, and for a repair the forward-only statements.
 * Everything the verbs share lives here; {@link io.seqguard.SequenceAligner} only picks the verb.
 */
public final class Engine {

    private static final Logger log = LoggerFactory.getLogger("io.seqguard.SequenceAligner");

    /** Below this many sequences per connection, one catalog query costs less than waiting for another connection. */
    private static final int SEQUENCES_PER_CATALOG_PART = 1000;

    private final AlignerConfiguration config;

    public Engine(AlignerConfiguration config) {
        this.config = config;
    }

    /** Runs the verb and builds its report. */
    public AlignmentReport run(Operation operation) {
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        boolean readOnly = operation != Operation.REPAIR;
        Map<SequenceInfo, Judged> repairedInPass = new ConcurrentHashMap<>();
        try (Session main = open(readOnly);
                Workers workers = new Workers(config.getJobs(), main, () -> open(readOnly))) {
            String[] server = main.inCatalogTransaction(Engine::serverInfo);
            List<SequenceInfo> sequences = readCatalog(main, workers);
            // Without a source or blocked writers, a repair moves each sequence right after reading it, while its
            // page is still in the server's cache: on a database bigger than shared_buffers, a separate pass later
            // reads every sequence page back.
            boolean inPass = operation == Operation.REPAIR && config.getSource() == null
                    && !config.isBlockWritersDuringRepair();
            readData(workers, sequences, Integer.parseInt(server[2]), inPass ? (session, chunk) -> {
                List<Judged> judged = new ArrayList<>();
                for (SequenceInfo s : chunk.sequences) {
                    Judged j = judge(s, null);
                    judged.add(j);
                    repairedInPass.put(s, j);
                }
                new Repairer().runChunk(session, outcomes(null, judged));
            } : null);
            // The source last: its sequences only ever move forward, so a later read covers at least as much.
            Map<List<String>, SequenceInfo> sources = config.getSource() == null ? null
                    : new SourceReader(config).read();

            List<Judged> judged = new ArrayList<>();
            for (SequenceInfo s : sequences) {
                Judged j = repairedInPass.get(s);
                judged.add(j != null ? j : judge(s, sources));
            }
            if (operation == Operation.REPAIR) {
                if (!inPass) {
                    new Repairer().run(outcomes(main, judged), workers, config.getProgressListener());
                }
                applyOutcomes(judged);
            }
            List<SequenceReport> reports = new ArrayList<>();
            for (Judged j : judged) {
                reports.add(j.toReport(operation, config));
            }
            AlignmentReport report = new AlignmentReport(operation, server[0], server[1], config.getAllocation(),
                    config.getMargin(), started, Duration.ofNanos(System.nanoTime() - t0), reports,
                    sourceOnly(sequences, sources));
            log.info("seqguard {}: {}", operation.name().toLowerCase(Locale.ROOT), report);
            return report;
        } catch (SQLException e) {
            throw new SeqguardException("seqguard " + operation.name().toLowerCase(Locale.ROOT) + " failed: "
                    + e.getMessage() + hint(e) + movedBeforeFailure(repairedInPass.values()), e);
        } catch (SeqguardException e) {
            String moved = movedBeforeFailure(repairedInPass.values());
            if (moved.isEmpty()) {
                throw e;
            }
            throw new SeqguardException(e.getMessage() + moved, e);
        }
    }

    /**
     * A repair that fails after it moved sequences in the pass says so, and names them in the log: no report will.
     * Empty when it moved none.
     */
    private static String movedBeforeFailure(java.util.Collection<Judged> judged) {
        List<String> moved = new ArrayList<>();
        for (Judged j : judged) {
            if (j.outcome != null && j.outcome.repaired) {
                moved.add(j.sequence.displayName() + " to next value "
                        + j.outcome.targetLast.add(BigInteger.valueOf(j.sequence.increment)));
            }
        }
        if (moved.isEmpty()) {
            return "";
        }
        log.warn("seqguard repair failed after moving {} sequence(s) forward: {}", moved.size(),
                String.join(", ", moved));
        return " (before the failure it had moved " + moved.size() + " sequence(s) forward, named in the log; every"
                + " move is forward-only, and running the repair again is safe)";
    }

    private Session open(boolean readOnly) {
        return Session.open(config.getDataSource(), readOnly, config.getStatementTimeout(), config.getLockTimeout());
    }

    /**
     * The sequences in scope with their columns: which sequences on the caller's connection (the other connections
     * open meanwhile), their details and columns split over the workers on a big database.
     */
    private List<SequenceInfo> readCatalog(Session main, Workers workers) throws SQLException {
        CatalogReader catalog = new CatalogReader(config);
        CatalogReader.Scope scope = main.inCatalogTransaction(catalog::readScope);
        workers.run(scope.parts(workers.size(), SEQUENCES_PER_CATALOG_PART), (session, part) ->
                session.inCatalogTransaction(connection -> {
                    catalog.readPart(connection, part, scope);
                    return null;
                }));
        return scope.sequences();
    }

    /**
     * Reads the data's bounds and then the sequences' states, chunk by chunk on the workers, and hands each chunk to
     * {@code then} (when given) on the same session. States after data: an id in the data was handed out by
     * nextval() before it was written, so a state read later covers it even while the application inserts. The other
     * order reports false drift.
     */
    private void readData(Workers workers, List<SequenceInfo> sequences, int serverVersionNum,
            Workers.Work<BoundReader.Chunk> then) throws SQLException {
        List<BoundReader.Chunk> chunks = BoundReader.plan(sequences, workers.size());
        BoundReader bounds = new BoundReader(config.getStatementTimeout().toMillis());
        StateReader states = new StateReader(serverVersionNum);
        int total = chunks.stream().mapToInt(chunk -> chunk.reads.size()).sum();
        AtomicInteger done = new AtomicInteger();
        workers.run(chunks, (session, chunk) -> {
            // on PostgreSQL 18 the states come in the reads' round trip, after them
            Object batchedStates = bounds.read(session, chunk.reads, states.batched(chunk.sequences));
            states.read(session, chunk.sequences, batchedStates);
            if (then != null) {
                then.run(session, chunk);
            }
            config.getProgressListener().progress("reading data", done.addAndGet(chunk.reads.size()), total);
        });
    }

    private static String[] serverInfo(java.sql.Connection connection) throws SQLException {
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery("SELECT current_database(), current_setting('server_version'), "
                        + "current_setting('server_version_num')")) {
            rs.next();
            return new String[] {rs.getString(1), rs.getString(2), rs.getString(3)};
        }
    }

    /** What to do about a failure, by its SQL state: appended to messages (the guard uses it too). */
    static String hint(SQLException e) {
        String state = e.getSQLState();
        if ("57014".equals(state)) {
            return " (the statement timeout passed: raise statementTimeout or retry when the server is less busy)";
        }
        if ("55P03".equals(state)) {
            return " (the lock timeout passed: another session holds a conflicting lock; retry or raise lockTimeout)";
        }
        if (state != null && state.startsWith("08")) {
            return " (the connection was lost: check the server, then run again; every step is safe to repeat)";
        }
        return "";
    }

    /** The source's sequences that have no sequence of the same name here (and are not excluded), quoted. */
    private List<String> sourceOnly(List<SequenceInfo> sequences, Map<List<String>, SequenceInfo> sources) {
        List<String> result = new ArrayList<>();
        if (sources == null) {
            return result;
        }
        Set<List<String>> here = new HashSet<>();
        for (SequenceInfo s : sequences) {
            here.add(List.of(s.schema, s.name));
        }
        for (String name : config.getExcludedSequences()) {
            here.add(SqlNames.parseQualified(name, "excludeSequences"));
        }
        for (Map.Entry<List<String>, SequenceInfo> entry : sources.entrySet()) {
            if (!here.contains(entry.getKey())) {
                result.add(entry.getValue().ident);
            }
        }
        return result;
    }

    /**
     * What the source's sequence of the same name had handed out, as the next value it would hand out; null (with a
     * note saying why) when there is no source, no such sequence, or it cannot witness.
     */
    private static BigInteger sourceNext(SequenceInfo s, Map<List<String>, SequenceInfo> sources, List<String> notes) {
        if (sources == null) {
            return null;
        }
        SequenceInfo src = sources.get(List.of(s.schema, s.name));
        if (src == null) {
            notes.add("no sequence of that name on the source");
            return null;
        }
        List<String> differences = new ArrayList<>();
        if (!src.dataType.equals(s.dataType)) {
            differences.add("type " + src.dataType + " vs " + s.dataType);
        }
        if (src.increment != s.increment) {
            differences.add("increment " + src.increment + " vs " + s.increment);
        }
        if (src.minValue != s.minValue) {
            differences.add("minvalue " + src.minValue + " vs " + s.minValue);
        }
        if (src.maxValue != s.maxValue) {
            differences.add("maxvalue " + src.maxValue + " vs " + s.maxValue);
        }
        if (src.cycle != s.cycle) {
            differences.add("cycle " + src.cycle + " vs " + s.cycle);
        }
        if (!differences.isEmpty()) {
            notes.add("its definition differs from the source's (source vs here): " + String.join(", ", differences));
        }
        if (Long.signum(src.increment) != Long.signum(s.increment)) {
            notes.add("the source's sequence counts the other way, so it cannot witness this one");
            return null;
        }
        if (src.skipReason != null || src.state == null) {
            notes.add("the source's sequence could not be read, so only the data witnesses it: "
                    + (src.skipReason != null ? src.skipReason : src.stateError));
            return null;
        }
        // the source's own increment: the value it would hand out next, below which anything may exist somewhere
        return src.state.next(src.increment);
    }

    private Judged judge(SequenceInfo s, Map<List<String>, SequenceInfo> sources) {
        Judged j = new Judged(s);
        if (s.skipReason != null) {
            j.status = SequenceStatus.SKIPPED;
            j.reason = s.skipReason;
            return j;
        }
        j.sourceNext = sourceNext(s, sources, j.extraNotes);
        if (s.state != null) {
            j.next = s.state.next(s.increment);
        }
        List<ColumnInfo> compared = new ArrayList<>();
        for (ColumnInfo c : s.columns) {
            if (c.compared) {
                compared.add(c);
            }
        }
        j.low = BigInteger.valueOf(s.minValue);
        j.high = BigInteger.valueOf(s.maxValue);
        for (ColumnInfo c : compared) {
            if (c.typeMax() != null) {
                j.high = j.high.min(BigInteger.valueOf(c.typeMax()));
                j.low = j.low.max(BigInteger.valueOf(c.typeMin()));
            }
        }
        if (!s.columns.isEmpty() && s.columns.stream().allMatch(c -> c.excluded)) {
            j.status = SequenceStatus.SKIPPED;
            j.reason = "every table it feeds is excluded by configuration (excludeTables)";
            return j;
        }
        if (compared.isEmpty()) {
            if (j.sourceNext != null && j.next != null) {
                // no data to compare, but the source witnesses what was handed out
                j.extraNotes.add(s.columns.isEmpty() ? "no column uses it: judged by the source alone"
                        : "none of the columns it feeds can be compared (" + notes(s.columns)
                                + "): judged by the source alone");
                j.verdict = Arithmetic.judge(s.increment, j.low, j.high, j.next, null, j.sourceNext,
                        config.getAllocation(), config.getMargin());
                j.status = j.verdict.status();
                j.reason = j.verdict.reason();
                return j;
            }
            j.status = SequenceStatus.NOT_VERIFIABLE;
            if (j.sourceNext != null) {
                j.reason = s.stateError;
                return j;
            }
            j.reason = s.columns.isEmpty()
                    ? "no column uses it (a value handed out by application code?): map it to a column with "
                            + "mappings (" + s.ident + "=SCHEMA.TABLE.COLUMN) to verify it"
                            + (config.getSource() == null ? ", or configure the old primary as source" : "")
                    : "none of the columns it feeds can be compared: " + notes(s.columns);
            return j;
        }
        if (j.next == null) {
            j.status = SequenceStatus.NOT_VERIFIABLE;
            j.reason = s.stateError;
            return j;
        }
        BigDecimal bound = null;
        for (ColumnInfo c : compared) {
            if (!c.readDirectly) {
                continue;
            }
            BoundReader.Read read = c.read;
            if (read.error != null) {
                j.status = SequenceStatus.NOT_VERIFIABLE;
                j.reason = read.error;
                return j;
            }
            if (read.value != null) {
                bound = bound == null ? read.value
                        : s.descending() ? bound.min(read.value) : bound.max(read.value);
            }
        }
        j.bound = bound;
        if (bound != null && outsideLong(bound)) {
            j.status = SequenceStatus.EXHAUSTED;
            j.reason = "the data holds " + bound.toPlainString() + ", beyond any sequence value";
            return j;
        }
        j.verdict = Arithmetic.judge(s.increment, j.low, j.high, j.next, bound, j.sourceNext,
                config.getAllocation(), config.getMargin());
        j.status = j.verdict.status();
        j.reason = j.verdict.reason();
        return j;
    }

    private static boolean outsideLong(BigDecimal value) {
        return value.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0
                || value.compareTo(BigDecimal.valueOf(Long.MIN_VALUE)) < 0;
    }

    private static String notes(List<ColumnInfo> columns) {
        List<String> notes = new ArrayList<>();
        for (ColumnInfo c : columns) {
            notes.add(c.displayName() + ": " + c.note);
        }
        return String.join("; ", notes);
    }

    /**
     * What a repair of these verdicts runs: one forward-only statement per sequence behind, or, with blocked writers,
     * the locking repair on the caller's session right here ({@code main} is null where writers are not blocked). A
     * sequence the role may not move fails with the grant it needs.
     */
    private List<Repairer.Outcome> outcomes(Session main, List<Judged> judged) {
        List<Repairer.Outcome> outcomes = new ArrayList<>();
        for (Judged j : judged) {
            if (j.status != SequenceStatus.BEHIND) {
                continue;
            }
            String missing = Repairer.missingPrivilege(j.sequence);
            if (missing != null) {
                j.action = RepairAction.FAILED;
                j.reason = missing;
                continue;
            }
            List<ColumnInfo> direct = new ArrayList<>();
            for (ColumnInfo c : j.sequence.columns) {
                if (c.compared && c.readDirectly) {
                    direct.add(c);
                }
            }
            // a sequence judged by the source alone feeds no table to hold still
            if (config.isBlockWritersDuringRepair() && !direct.isEmpty()) {
                j.outcome = new LockingRepairer(config.getAllocation(), config.getMargin())
                        .repair(main, j.sequence, direct, j.low, j.high, j.sourceNext);
            } else {
                j.outcome = new Repairer.Outcome(j.sequence, j.verdict.targetLast(), j.sql());
                outcomes.add(j.outcome);
            }
        }
        return outcomes;
    }

    /** Turns what the repair statements did into the verdicts' final status and action. */
    private static void applyOutcomes(List<Judged> judged) {
        for (Judged j : judged) {
            Repairer.Outcome outcome = j.outcome;
            if (outcome == null) {
                continue;
            }
            if (outcome.repaired) {
                j.action = RepairAction.REPAIRED;
                j.previousNext = j.next;
                j.next = outcome.targetLast.add(BigInteger.valueOf(j.sequence.increment));
                j.status = SequenceStatus.ALIGNED;
                // one line per sequence is 10,000 lines on a big database: the summary line is at INFO
                log.debug("seqguard moved {} forward: next value {} -> {}", j.sequence.displayName(), j.previousNext,
                        j.next);
            } else if (outcome.stateAfter != null) {
                // someone else moved it at least as far meanwhile; it is aligned without us
                j.next = outcome.stateAfter.next(j.sequence.increment);
                j.status = SequenceStatus.ALIGNED;
                j.extraNotes.add("moved forward by another session during the repair");
            } else {
                j.action = RepairAction.FAILED;
                j.reason = "setval() failed: " + outcome.error;
                log.warn("seqguard could not repair {}: {}", j.sequence.displayName(), outcome.error);
            }
        }
    }

    /** One sequence on its way to a report. */
    private static final class Judged {
        final SequenceInfo sequence;
        SequenceStatus status;
        String reason;
        BigInteger next;
        BigInteger previousNext;
        BigInteger low;
        BigInteger high;
        BigDecimal bound;
        BigInteger sourceNext;
        Arithmetic.Verdict verdict;
        RepairAction action = RepairAction.NONE;
        Repairer.Outcome outcome;
        final List<String> extraNotes = new ArrayList<>();

        Judged(SequenceInfo sequence) {
            this.sequence = sequence;
        }

        String sql() {
            return verdict != null && verdict.targetLast() != null
                    ? Repairer.statement(sequence, verdict.targetLast()) : null;
        }

        SequenceReport toReport(Operation operation, AlignerConfiguration config) {
            SequenceInfo s = sequence;
            List<FedColumn> columns = new ArrayList<>();
            for (ColumnInfo c : s.columns) {
                columns.add(new FedColumn(c.schema, c.table, c.column, c.tableIdent, c.dataType, c.sources,
                        c.compared, c.note));
            }
            String sql = null;
            if (status == SequenceStatus.BEHIND && operation == Operation.PLAN) {
                action = RepairAction.PLANNED;
                sql = sql();
            } else if (outcome != null && outcome.sql != null) {
                sql = outcome.sql;
            } else if (action == RepairAction.FAILED) {
                sql = sql();
            }
            Double used = next != null && low != null ? Arithmetic.rangeUsed(s.increment, low, high, next) : null;
            List<String> notes = new ArrayList<>(extraNotes);
            if (used != null && used >= config.getCapacityWarning()) {
                notes.add(String.format(Locale.ROOT, "%.1f%% of its range is used (it ends at %s): plan a wider type "
                        + "before it runs out", used * 100, s.descending() ? low : high));
            }
            if (verdict != null && verdict.marginNarrowed()) {
                notes.add("the margin was narrowed to stay within the sequence's range");
            }
            return new SequenceReport(s.schema, s.name, s.ident, s.dataType, s.increment, s.minValue, s.maxValue,
                    s.cycle, columns, toLong(previousNext), toLong(next), bound == null ? null : wholeBound(bound, s.descending()),
                    verdict == null ? null : toLong(verdict.requiredNext()), status, reason, action, sql, used,
                    notes, verdict == null ? Witness.NONE : verdict.witness(), toLong(sourceNext));
        }

        private static Long toLong(BigInteger value) {
            return value == null || value.bitLength() > 63 ? null : value.longValue();
        }

        /** The whole number the sequence must get past: 10.5 needs 11 ascending, -10.5 needs -11 descending. */
        private static Long wholeBound(BigDecimal value, boolean descending) {
            return toLong(value.setScale(0, descending ? RoundingMode.FLOOR : RoundingMode.CEILING).toBigInteger());
        }
    }
}
