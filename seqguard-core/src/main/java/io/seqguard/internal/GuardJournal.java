package io.seqguard.internal;

import io.seqguard.AlignmentReport;
import io.seqguard.GuardMode;
import io.seqguard.PrimaryIdentity;
import io.seqguard.RepairAction;
import io.seqguard.SequenceReport;
import io.seqguard.StartupGuard;

import java.lang.management.ManagementFactory;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The opt-in journal table: one row per guard run. Its name is quoted by the server ({@code format('%I.%I')}), so a
 * hostile configured name stays a name. The table has no sequence of its own (the key is a UUID made here), so it
 * never drifts itself, and it replicates cleanly: after a logical-replication cutover its rows name the old primary,
 * which is how the guard recognizes a first boot against a new one.
 */
final class GuardJournal {

    private static final Logger log = LoggerFactory.getLogger(StartupGuard.class);

    private static final String DDL = "CREATE TABLE IF NOT EXISTS %s ("
            + " run_id uuid PRIMARY KEY,"
            + " ran_at timestamptz NOT NULL,"
            + " primary_id text NOT NULL,"
            + " primary_id_source text NOT NULL,"
            + " first_boot boolean,"
            + " application text NOT NULL,"
            + " instance text NOT NULL,"
            + " database_user text NOT NULL DEFAULT current_user,"
            + " mode text NOT NULL,"
            + " applied text NOT NULL,"
            + " outcome text NOT NULL,"
            + " changed jsonb NOT NULL DEFAULT '[]',"
            + " message text,"
            + " duration_ms bigint NOT NULL)";

    private static final String INSERT = "INSERT INTO %s (run_id, ran_at, primary_id, primary_id_source, first_boot,"
            + " application, instance, mode, applied, outcome, changed, message, duration_ms)"
            + " SELECT ?::uuid, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
            + " coalesce((SELECT jsonb_agg(jsonb_build_object('sequence', s, 'action', a, 'from', f, 'to', t,"
            + " 'reason', r) ORDER BY o) FROM unnest(?::text[], ?::text[], ?::bigint[], ?::bigint[], ?::text[])"
            + " WITH ORDINALITY AS x(s, a, f, t, r, o)), '[]'::jsonb), ?, ?";

    private static final String HISTORY = "SELECT (SELECT max(ran_at) FROM %1$s WHERE primary_id = ?),"
            + " (SELECT primary_id FROM %1$s ORDER BY ran_at DESC LIMIT 1)";

    /** The table, quoted by the server. */
    private final String table;
    /** Whether the table exists (found, or created by this run). */
    private final boolean exists;
    private final boolean createdNow;

    private GuardJournal(String table, boolean exists, boolean createdNow) {
        this.table = table;
        this.exists = exists;
        this.createdNow = createdNow;
    }

    /** One run, as written. */
    static final class Entry {
        final Instant ranAt;
        final PrimaryIdentity primary;
        final String application;
        final GuardMode mode;
        final GuardMode applied;
        final String outcome;
        final AlignmentReport report;
        final String message;
        final Duration duration;

        Entry(Instant ranAt, PrimaryIdentity primary, String application, GuardMode mode, GuardMode applied,
                String outcome, AlignmentReport report, String message, Duration duration) {
            this.ranAt = ranAt;
            this.primary = primary;
            this.application = application;
            this.mode = mode;
            this.applied = applied;
            this.outcome = outcome;
            this.report = report;
            this.message = message;
            this.duration = duration;
        }
    }

    /**
     * Resolves the table and, when {@code create}, creates it if missing. Failures to create are notes, not errors:
     * the journal is for audit and must not stop start-up.
     */
    static GuardJournal open(GuardSession session, List<String> parts, boolean create, long statementMillis,
            long lockMillis, List<String> notes) throws SQLException {
        String table = session.inTransaction(statementMillis, lockMillis, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT format('%I.%I', ?::text, ?::text)")) {
                ps.setString(1, parts.get(0));
                ps.setString(2, parts.get(1));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        });
        if (exists(session, table, statementMillis, lockMillis)) {
            return new GuardJournal(table, true, false);
        }
        if (!create) {
            return new GuardJournal(table, false, false);
        }
        try {
            session.inTransaction(statementMillis, lockMillis, c -> {
                try (Statement st = c.createStatement()) {
                    st.execute(String.format(Locale.ROOT, DDL, table));
                    st.execute("COMMENT ON TABLE " + table + " IS 'seqguard startup guard journal: one row per run'");
                }
                return null;
            });
            log.info("seqguard startup guard: created the journal table {}", table);
            return new GuardJournal(table, true, true);
        } catch (SQLException e) {
            // two instances creating it at once: one of them loses on the catalog's unique index
            if (exists(session, table, statementMillis, lockMillis)) {
                return new GuardJournal(table, true, false);
            }
            String note = "journal table " + table + " could not be created (" + e.getMessage() + "): create it, or "
                    + "GRANT CREATE ON SCHEMA to the connecting role; runs are not journaled";
            log.warn("seqguard startup guard: {}", note);
            notes.add(note);
            return new GuardJournal(table, false, false);
        }
    }

    private static boolean exists(GuardSession session, String table, long statementMillis, long lockMillis)
            throws SQLException {
        return session.inTransaction(statementMillis, lockMillis, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
                ps.setString(1, table);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getBoolean(1);
                }
            }
        });
    }

    /** Whether this primary has been seen before, from the journal's rows. */
    PrimaryIdentity recognize(GuardSession session, String id, boolean fromSystemIdentifier, List<String> notes)
            throws SQLException {
        if (!exists) {
            return new Primary(id, fromSystemIdentifier, PrimaryIdentity.Recognition.UNKNOWN, null, null);
        }
        if (createdNow) {
            return new Primary(id, fromSystemIdentifier, PrimaryIdentity.Recognition.FIRST_BOOT, null, null);
        }
        try {
            return session.inTransaction(10_000, 10_000, c -> {
                try (PreparedStatement ps = c.prepareStatement(String.format(Locale.ROOT, HISTORY, table))) {
                    ps.setString(1, id);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        Timestamp last = rs.getTimestamp(1);
                        String latestPrimary = rs.getString(2);
                        if (last != null) {
                            return new Primary(id, fromSystemIdentifier, PrimaryIdentity.Recognition.KNOWN,
                                    null, last.toInstant());
                        }
                        return new Primary(id, fromSystemIdentifier, PrimaryIdentity.Recognition.FIRST_BOOT,
                                latestPrimary, null);
                    }
                }
            });
        } catch (SQLException e) {
            String note = "journal table " + table + " could not be read (" + e.getMessage() + ")";
            log.warn("seqguard startup guard: {}", note);
            notes.add(note);
            return new Primary(id, fromSystemIdentifier, PrimaryIdentity.Recognition.UNKNOWN, null, null);
        }
    }

    /**
     * Writes one row.
     *
     * @return null when written, else a note saying why not
     */
    String write(GuardSession session, Entry entry, long statementMillis, long lockMillis) {
        if (!exists) {
            return null;
        }
        List<SequenceReport> changed = new ArrayList<>();
        if (entry.report != null) {
            for (SequenceReport s : entry.report.sequences()) {
                if (s.action() == RepairAction.REPAIRED || s.action() == RepairAction.FAILED) {
                    changed.add(s);
                }
            }
        }
        String[] names = new String[changed.size()];
        String[] actions = new String[changed.size()];
        Long[] from = new Long[changed.size()];
        Long[] to = new Long[changed.size()];
        String[] reasons = new String[changed.size()];
        for (int i = 0; i < names.length; i++) {
            SequenceReport s = changed.get(i);
            names[i] = s.qualifiedName();
            actions[i] = s.action().name().toLowerCase(Locale.ROOT);
            boolean repaired = s.action() == RepairAction.REPAIRED;
            from[i] = repaired ? s.previousNextValue() : s.nextValue();
            to[i] = repaired ? s.nextValue() : null;
            reasons[i] = repaired ? null : s.reason();
        }
        try {
            session.inTransaction(statementMillis, lockMillis, c -> {
                try (PreparedStatement ps = c.prepareStatement(String.format(Locale.ROOT, INSERT, table))) {
                    int i = 1;
                    ps.setString(i++, UUID.randomUUID().toString());
                    ps.setObject(i++, OffsetDateTime.ofInstant(entry.ranAt, ZoneOffset.UTC));
                    ps.setString(i++, entry.primary != null ? entry.primary.id() : "unknown");
                    ps.setString(i++, entry.primary == null ? "unknown"
                            : entry.primary.fromSystemIdentifier() ? "system_identifier" : "fallback");
                    if (entry.primary == null || entry.primary.recognition() == PrimaryIdentity.Recognition.UNKNOWN) {
                        ps.setNull(i++, Types.BOOLEAN);
                    } else {
                        ps.setBoolean(i++, entry.primary.recognition() == PrimaryIdentity.Recognition.FIRST_BOOT);
                    }
                    ps.setString(i++, entry.application != null ? entry.application : "unknown");
                    ps.setString(i++, instance());
                    ps.setString(i++, entry.mode.name().toLowerCase(Locale.ROOT));
                    ps.setString(i++, entry.applied.name().toLowerCase(Locale.ROOT));
                    ps.setString(i++, entry.outcome.toLowerCase(Locale.ROOT));
                    Array[] arrays = {c.createArrayOf("text", names), c.createArrayOf("text", actions),
                            c.createArrayOf("bigint", from), c.createArrayOf("bigint", to),
                            c.createArrayOf("text", reasons)};
                    for (Array array : arrays) {
                        ps.setArray(i++, array);
                    }
                    ps.setString(i++, entry.message);
                    ps.setLong(i, entry.duration.toMillis());
                    ps.executeUpdate();
                }
                return null;
            });
            return null;
        } catch (SQLException e) {
            String note = "journal row not written to " + table + ": " + e.getMessage();
            log.warn("seqguard startup guard: {}", note);
            return note;
        }
    }

    private static String instance() {
        try {
            // "pid@host", computed once by the JVM at start
            return ManagementFactory.getRuntimeMXBean().getName();
        } catch (RuntimeException | LinkageError e) {
            return "pid " + ProcessHandle.current().pid();
        }
    }
}
