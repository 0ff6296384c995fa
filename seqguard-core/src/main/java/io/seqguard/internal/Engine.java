package io.seqguard.internal;

import io.seqguard.AlignerConfiguration;
import io.seqguard.AlignmentReport;
import io.seqguard.CitusCluster;
import io.seqguard.Operation;
import io.seqguard.ProgressListener;
import io.seqguard.RepairAction;
import io.seqguard.SeqguardException;
import io.seqguard.SequenceReport;
import io.seqguard.SequenceStatus;
import io.seqguard.Vocabulary;

import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one verb: reads the catalog, the data's bounds and the sequences' states on its {@link Workers}, has each
 * sequence judged ({@link Judge}), and for a repair runs the forward-only statements ({@link Repairer}).
 * {@link io.seqguard.SequenceAligner} only picks the verb.
 */
public final class Engine {

    private static final Logger log = LoggerFactory.getLogger("io.seqguard.SequenceAligner");

    /** Below this many sequences per connection, one catalog query costs less than waiting for another connection. */
    private static final int SEQUENCES_PER_CATALOG_PART = 1000;

    private final AlignerConfiguration config;
    private final Judge judge;

    public Engine(AlignerConfiguration config) {
        this(config, false);
    }

    /**
     * @param mappingsFollow whether a framework's ORM step runs again with the entities' mappings ({@link #runMapped}):
     *     a sequence no column uses is then said to be judged there if an entity uses it, and needs nothing
     */
    public Engine(AlignerConfiguration config, boolean mappingsFollow) {
        this.config = config;
        this.judge = new Judge(config, mappingsFollow);
    }

    /** Runs the verb and builds its report. */
    public AlignmentReport run(Operation operation) {
        return run(operation, null);
    }

    /**
     * Runs the verb on some of the sequences in scope only, for the guard's repair after its verify: only the
     * sequences found behind are read again, so a repair reads each table once.
     *
     * @param only the sequences, by {@link io.seqguard.SequenceReport#qualifiedName()}; null for all
     * @return a report of those sequences only
     */
    public AlignmentReport run(Operation operation, Set<String> only) {
        return run(operation, only, null);
    }

    /**
     * Runs the verb on the sequences the configured mappings name only, for a framework's ORM step after the guard's
     * first run: the entities' mappings change the columns and allocation rules of those alone, so the others keep
     * what the first run found, and their tables are not read (nor their locks waited for) again. A sequence the first
     * run did not see (created since, or dropped and created again, as Hibernate's schema management does) is read
     * too. A sequence a mapping names that the database lacks is reported, as in a full run.
     *
     * @param seen the oids of the sequences the first run read
     * @return a report of those sequences only
     */
    public AlignmentReport runMapped(Operation operation, Set<Long> seen) {
        return run(operation, null, java.util.Objects.requireNonNull(seen, "seen"));
    }

    /** @param seen null for a run of the scope (or of {@code only}); else as {@link #runMapped} */
    private AlignmentReport run(Operation operation, Set<String> only, Set<Long> seen) {
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        boolean readOnly = operation != Operation.REPAIR;
        Map<SequenceInfo, Judged> repairedInPass = new ConcurrentHashMap<>();
        // every sequence a repair statement was sent for, so that a run that breaks off can say what it moved
        Collection<Judged> attempted = new ConcurrentLinkedQueue<>();
        try (Session main = open(readOnly);
                Workers workers = new Workers(config.getJobs(), main, () -> open(readOnly))) {
            String[] server = main.inCatalogTransaction(Engine::serverInfo);
            List<String> subscriptions = Boolean.parseBoolean(server[3]) ? List.of()
                    : enabledSubscriptions(main, operation);
            // only the sequences named are read: the catalog's details and the data's bounds are what a second read
            // would cost again
            CatalogReader.Scope scope = readCatalog(main, workers, only, seen);
            List<SequenceInfo> sequences = scope.sequences();
            // a narrower run follows a full one, which said these once
            if (only == null && seen == null) {
                for (String warning : UnmatchedNames.find(config, sequences)) {
                    // named with its database: a run of several databases says it once for each
                    log.warn("seqguard {} of database {}: {}", operation.name().toLowerCase(Locale.ROOT),
                            SqlNames.quoteIfNeeded(server[0]), warning);
                }
            }
            // a sequence an entity names that does not exist is never behind: a full run, or one of what the mappings
            // name, reports it; a repair of what a verify found behind does not
            List<Mappings.Missing> missing = only == null ? scope.mappings().missing() : List.of();
            List<SequenceInfo> inScope = sequences;
            CitusCatalog.Topology citus = main.inCatalogTransaction(connection -> {
                SequenceSync.note(connection, Integer.parseInt(server[2]), inScope);
                // on a Citus node, the sequences feeding Citus tables are judged within this node's range
                return CitusCatalog.read(connection, inScope, config.getVocabulary());
            });
            // Without a source or blocked writers, a repair moves each sequence right after reading it, while its
            // page is still in the server's cache: on a database bigger than shared_buffers, a separate pass later
            // reads every sequence page back.
            boolean inPass = operation == Operation.REPAIR && config.getSource() == null
                    && !config.isBlockWritersDuringRepair();
            StateReader states = new StateReader(Integer.parseInt(server[2]));
            PassRepairer pass = !inPass ? null : new PassRepairer(judge, states,
                    judged -> outcomes(null, judged, attempted), attempted, config.getVocabulary());
            readData(workers, sequences, states, pass == null ? null : (session, chunk) -> {
                for (Judged j : pass.run(session, chunk)) {
                    repairedInPass.put(j.sequence, j);
                }
            });
            // The source last: its sequences only ever move forward, so a later read covers at least as much.
            Map<List<String>, SequenceInfo> sources = config.getSource() == null ? null
                    : new SourceReader(config).read();

            List<Judged> judged = new ArrayList<>();
            for (SequenceInfo s : sequences) {
                Judged j = repairedInPass.get(s);
                judged.add(j != null ? j : judge.judge(s, sources));
            }
            for (Mappings.Missing m : missing) {
                insertInOrder(judged, judge.missing(m));
            }
            if (operation == Operation.REPAIR) {
                if (!inPass) {
                    new Repairer().run(outcomes(main, judged, attempted), workers, config.getProgressListener());
                }
                applyOutcomes(judged, server[0]);
            }
            List<SequenceReport> reports = new ArrayList<>();
            Acknowledgements acknowledgements = new Acknowledgements(config);
            for (Judged j : judged) {
                reports.add(j.toReport(operation, config, acknowledgements));
            }
            AlignmentReport report = new AlignmentResult(operation, server[0], server[1], config.getAllocation(),
                    config.getMargin(), started, Duration.ofNanos(System.nanoTime() - t0), reports,
                    judge.sourceOnly(sequences, sources), citus, acknowledgements.all(), subscriptions);
            log.info("seqguard {}: {}", operation.name().toLowerCase(Locale.ROOT), report);
            List<SequenceReport> unverified = report.unverified();
            if (!unverified.isEmpty()) {
                // named, not warned: what an incomplete run means is the caller's to say (the guard fails or warns
                // as onIncomplete says, the CLI exits 4); a framework's first run before its ORM step is incomplete
                // by design, and a WARN there would show on every healthy start
                log.info("seqguard {} of database {}: {} sequence(s) could not be verified, so the run cannot be "
                        + "called aligned: {}", operation.name().toLowerCase(Locale.ROOT),
                        SqlNames.quoteIfNeeded(report.database()), unverified.size(),
                        ReportText.names(unverified));
            }
            List<SequenceReport> blind = report.sequences().stream()
                    .filter(s -> s.acknowledged() && s.dataUnread()).toList();
            if (!blind.isEmpty()) {
                // acknowledged, so not incomplete; but unlike a sequence no column uses, their data may be ahead
                log.warn("seqguard {} of database {}: {} sequence(s) acknowledged with {} although their data could "
                        + "not be read, so they may be behind it: {}. Make them readable (each one's reason in the "
                        + "report says how); acknowledge only a sequence no read can verify",
                        operation.name().toLowerCase(Locale.ROOT), SqlNames.quoteIfNeeded(report.database()),
                        blind.size(),
                        config.getVocabulary().name("allowUnverified"), ReportText.namesWithStatus(blind));
            }
            return report;
        } catch (SQLException e) {
            throw new SeqguardException("seqguard " + operation.name().toLowerCase(Locale.ROOT) + " failed: "
                    + e.getMessage() + hint(e, config.getVocabulary()) + movedBeforeFailure(attempted), e);
        } catch (SeqguardException e) {
            String moved = movedBeforeFailure(attempted);
            if (moved.isEmpty()) {
                throw e;
            }
            throw new SeqguardException(e.getMessage() + moved, e);
        }
    }

    /**
     * Checks the configuration against the database without reading any data or changing anything: the configured
     * schemas exist and the mappings resolve, as a run would check them first. For a caller about to change something
     * a failed run could not undo (the cutover, before it disables the subscription).
     *
     * @throws io.seqguard.UnknownObjectException when a configured schema or a mapping's object does not exist
     */
    public void checkScope() {
        try (Session main = open(true)) {
            main.inCatalogTransaction(catalogReader(main)::readScope);
        } catch (SQLException e) {
            throw new SeqguardException("seqguard could not read the catalog to check its configuration: "
                    + e.getMessage() + hint(e, config.getVocabulary()), e);
        }
    }

    /** Reads the Citus cluster the database belongs to, from the catalog; null when it is no Citus node. */
    public CitusCluster citus() {
        try (Session main = open(true)) {
            return main.inCatalogTransaction(CitusCatalog::readTopology);
        } catch (SQLException e) {
            throw new SeqguardException("seqguard could not read Citus's catalog: " + e.getMessage()
                    + hint(e, config.getVocabulary()), e);
        }
    }

    /**
     * A repair that fails after it moved sequences in the pass says so, and names them in the log: no report will.
     * Empty when it moved none.
     */
    private static String movedBeforeFailure(Collection<Judged> judged) {
        List<String> moved = new ArrayList<>();
        for (Judged j : judged) {
            if (j.outcome != null && j.outcome.repaired) {
                moved.add(SqlNames.printable(j.sequence.ident) + " to next value "
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
    private CatalogReader.Scope readCatalog(Session main, Workers workers, Set<String> only, Set<Long> seen)
            throws SQLException {
        CatalogReader catalog = catalogReader(main);
        CatalogReader.Scope scope = main.inCatalogTransaction(connection -> catalog.readScope(connection, only, seen));
        // at 100,000 sequences the details take seconds: a progress bar shows them, and the command line's compiler
        // budget knows the run is large before the bulk of the catalog is read
        int total = scope.oids().size();
        AtomicInteger done = new AtomicInteger();
        config.getProgressListener().progress(ProgressListener.READING_CATALOG, 0, total);
        workers.run(scope.parts(workers.size(), SEQUENCES_PER_CATALOG_PART), (session, part) -> {
            session.inCatalogTransaction(connection -> {
                catalog.readPart(connection, part, scope);
                return null;
            });
            config.getProgressListener().progress(ProgressListener.READING_CATALOG, done.addAndGet(part.size()), total);
        });
        return scope;
    }

    private CatalogReader catalogReader(Session main) throws SQLException {
        // discovered names without a schema are the application's: looked up through its search_path
        return new CatalogReader(config,
                Mappings.needSearchPath(config.getMappings()) ? main.searchPath() : List.of());
    }

    /** Puts a sequence that does not exist where its name belongs among the others (schema, then name). */
    private static void insertInOrder(List<Judged> judged, Judged missing) {
        int at = 0;
        while (at < judged.size() && compare(judged.get(at).sequence, missing.sequence) <= 0) {
            at++;
        }
        judged.add(at, missing);
    }

    private static int compare(SequenceInfo a, SequenceInfo b) {
        int schema = a.schema.compareTo(b.schema);
        return schema != 0 ? schema : a.name.compareTo(b.name);
    }

    /**
     * Reads the data's bounds and then the sequences' states, chunk by chunk on the workers; with a repair in the pass
     * ({@code pass}), the pass reads the states and moves the sequences on the same session. States after data: an id
     * in the data was handed out by nextval() before it was written, so a state read later covers it even while the
     * application inserts. The other order reports false drift.
     */
    private void readData(Workers workers, List<SequenceInfo> sequences, StateReader states,
            Workers.Work<BoundReader.Chunk> pass) throws SQLException {
        List<BoundReader.Chunk> chunks = BoundReader.plan(sequences, workers.size());
        BoundReader bounds = new BoundReader(config.getStatementTimeout().toMillis(), config.getVocabulary());
        int total = chunks.stream().mapToInt(chunk -> chunk.reads.size()).sum();
        AtomicInteger done = new AtomicInteger();
        // before the first chunk: a progress bar shows how much there is at once
        config.getProgressListener().progress(ProgressListener.READING_DATA, 0, total);
        workers.run(chunks, (session, chunk) -> {
            if (pass != null) {
                // the pass reads the states itself, most of them in the statements that move the sequences
                bounds.read(session, chunk.reads, null);
                pass.run(session, chunk);
            } else {
                // the states come in the reads' round trip, after them; not after a full scan, whose statement
                // timeout would spoil them and have the scan run twice
                Object batchedStates = bounds.read(session, chunk.reads,
                        chunk.indexedOnly() ? states.batched(chunk.sequences) : null);
                states.read(session, chunk.sequences, batchedStates);
            }
            config.getProgressListener().progress(ProgressListener.READING_DATA, done.addAndGet(chunk.reads.size()),
                    total);
        });
    }

    private static String[] serverInfo(java.sql.Connection connection) throws SQLException {
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery("SELECT current_database(), current_setting('server_version'), "
                        + "current_setting('server_version_num'), pg_is_in_recovery()::text")) {
            rs.next();
            return new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)};
        }
    }

    /**
     * The enabled subscriptions of this database, quoted, but for Citus's own shard moves and splits (not read on a
     * standby, whose catalog shows its primary's subscriptions, which do not run there). A read that fails is logged
     * and taken as none: the report only warns of them, and a repair through the guard checks again and refuses.
     */
    private static List<String> enabledSubscriptions(Session main, Operation operation) {
        try {
            return main.inCatalogTransaction(connection -> {
                List<String> names = new ArrayList<>();
                for (ServerFacts.Subscription s : ServerFacts.enabledSubscriptions(connection)) {
                    if (!s.citusShardTransfer()) {
                        names.add(s.ident());
                    }
                }
                return names;
            });
        } catch (SQLException e) {
            log.warn("seqguard {}: could not check pg_subscription for enabled subscriptions ({}); the report says "
                    + "nothing of them", operation.name().toLowerCase(Locale.ROOT), e.getMessage());
            return List.of();
        }
    }

    /** What to do about a failure, by its SQL state: appended to messages (the guard uses it too). */
    static String hint(SQLException e, Vocabulary words) {
        String state = e.getSQLState();
        if ("57014".equals(state)) {
            return " (the statement timeout passed: raise " + words.name("statementTimeout")
                    + " or retry when the server is less busy)";
        }
        if ("55P03".equals(state)) {
            return " (the lock timeout passed: another session holds a conflicting lock; retry or raise "
                    + words.name("lockTimeout") + ")";
        }
        if (state != null && state.startsWith("57P")) {
            return " (the server ended the session: terminated, shutting down or restarting after a crash; check the"
                    + " server, then run again; every step is safe to repeat)";
        }
        if (state != null && state.startsWith("08")) {
            return " (the connection was lost: check the server, then run again; every step is safe to repeat)";
        }
        return "";
    }

    /**
     * What a repair of these verdicts runs: one forward-only statement per sequence behind, or, with blocked writers,
     * the locking repair on the caller's session right here ({@code main} is null where writers are not blocked). A
     * sequence the role may not move fails with the grant it needs.
     */
    private List<Repairer.Outcome> outcomes(Session main, List<Judged> judged, Collection<Judged> attempted)
            throws SQLException {
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
            attempted.add(j);
            if (config.isBlockWritersDuringRepair() && !direct.isEmpty()) {
                j.outcome = new LockingRepairer(j.rules, config.getMargin())
                        .repair(main, j.sequence, direct, j.low, j.high, j.sourceNext);
            } else {
                j.outcome = new Repairer.Outcome(j.sequence, j.verdict.targetLast(), j.sql());
                outcomes.add(j.outcome);
            }
        }
        return outcomes;
    }

    /** Turns what the repair statements did into the verdicts' final status and action. */
    private static void applyOutcomes(List<Judged> judged, String database) {
        List<String> moved = new ArrayList<>();
        int movedCount = 0;
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
                // a change to the data's sequences is named at INFO, the first few in one line: one line per
                // sequence is 10,000 lines on a big database, at DEBUG
                if (movedCount++ < ReportText.NAMES_LISTED) {
                    moved.add(SqlNames.printable(j.sequence.ident) + " (" + j.previousNext + " -> " + j.next + ")");
                }
                log.debug("seqguard moved {} forward: next value {} -> {}", SqlNames.printable(j.sequence.ident),
                        j.previousNext, j.next);
            } else if (outcome.stateAfter != null) {
                // someone else moved it at least as far meanwhile; it is aligned without us
                j.next = outcome.stateAfter.next(j.sequence.increment);
                j.status = SequenceStatus.ALIGNED;
                j.extraNotes.add("moved forward by another session during the repair");
            } else {
                j.action = RepairAction.FAILED;
                j.reason = "setval() failed: " + outcome.error;
                log.warn("seqguard could not repair {} in database {}: {}", SqlNames.printable(j.sequence.ident),
                        SqlNames.quoteIfNeeded(database), SqlNames.printable(outcome.error));
            }
        }
        if (movedCount > 0) {
            log.info("seqguard repair of database {} moved {} sequence(s) forward (next value before -> after): "
                    + "{}{}", SqlNames.quoteIfNeeded(database), movedCount, String.join(", ", moved),
                    movedCount > ReportText.NAMES_LISTED ? ", and " + (movedCount - ReportText.NAMES_LISTED)
                            + " more (each at DEBUG)" : "");
        }
    }
}
